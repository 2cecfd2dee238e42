// The effect editor under the desk, as on a console's central screen: the
// effect a rack slot opened, with a knob per parameter (units and ranges from
// GET /api/effect-kinds), its choices, bypass, moves along the chain, remove,
// and for a filter or EQ band its frequency response, redrawn as the knobs turn.
import { h, field, throttle, createHold } from './dom.js';
import { createKnob } from './knob.js';
import { createResponseCurve } from './response-curve.js';
import { choiceLabel, effectLabel, formatParameter, hasResponse, parameterLabel } from '../effects.js';
import { findTrack, trackLabel } from '../tracks.js';

const TWEEN = { duration: 0.05, easing: 'linear' };
const SEND_EVERY_MS = 50;

/**
 * `report(err, label)` shows a failure; `onClosed(trackId, hadFocus)` hears
 * that the editor closed (the effect went, or the user closed it), so the
 * keyboard can go back to the track's rack.
 */
export function createEffectEditor(store, actions, { report, onClosed }) {
  const title = h('h3', { class: 'editor-title', id: 'effect-editor-title' });
  const controls = h('div', { class: 'editor-controls' });
  const knobs = h('div', { class: 'editor-knobs', role: 'group', 'aria-label': 'Parameters' });
  const settings = h('p', { class: 'editor-settings hint' });
  const curveBox = h('div', { class: 'editor-curve' });
  const element = h(
    'section',
    { class: 'effect-editor', id: 'effect-editor', 'aria-labelledby': 'effect-editor-title', hidden: true },
    h('header', { class: 'editor-head' }, title, controls),
    h('div', { class: 'editor-body' }, curveBox, knobs),
    settings,
  );

  let open = null; // {trackId, effectId, kind, knobs: Map(name -> knob), ...controls}
  element.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.target.tagName === 'SELECT') return;
    e.preventDefault();
    close(true);
  });

  const rate = () => store.state.engine?.sample_rate || 48000;
  const where = () => `${open.label} on ${trackLabel(open.trackId)}`;
  const fail = (err) => report(err, open ? where() : '');
  const set = (changes) => actions.setEffect(open.trackId, open.effectId, changes).catch(fail);

  function build(trackId, effect) {
    const kind = store.effectKind(effect.kind);
    const state = { trackId, effectId: effect.id, kind: effect.kind, knobs: new Map(), choices: new Map(), effect, label: '' };
    open = state;
    for (const spec of kind?.parameters || []) {
      const push = throttle((name, value) => set({ [name]: value, tween: TWEEN }), SEND_EVERY_MS);
      const knob = createKnob({
        label: spec.name,
        caption: parameterLabel(spec.name),
        name: spec.name,
        format: (v) => formatParameter(spec, v),
        onInput: (value) => {
          push(spec.name, value);
          drawCurve();
        },
      });
      knob.setSpec(spec);
      knob.element.title = spec.description;
      // What the parameter follows, when it follows something: turning the knob makes it hold still.
      knob.follows = h('span', { class: 'knob-follows' });
      knob.element.append(knob.follows);
      state.knobs.set(spec.name, knob);
    }
    knobs.replaceChildren(...[...state.knobs.values()].map((k) => k.element));

    const choiceFields = (kind?.choices || []).map((choice) => {
      const select = h(
        'select',
        { name: choice.name, onchange: () => set({ [choice.name]: select.value }) },
        ...choice.options.map((o) => h('option', { value: o }, choiceLabel(o))),
      );
      state.choices.set(choice.name, select);
      return field(parameterLabel(choice.name), select);
    });
    state.bypass = h('button', { type: 'button', class: 'toggle bypass', 'aria-pressed': 'false', onclick: toggleBypass }, 'Bypass');
    const bypass = state.bypass;
    state.bypassHold = createHold((bypassed) => {
      bypass.setAttribute('aria-pressed', String(bypassed));
      if (open === state) drawCurve();
    });
    state.earlier = h('button', { type: 'button', onclick: () => step(-1) }, '◀ Earlier');
    state.later = h('button', { type: 'button', onclick: () => step(1) }, 'Later ▶');
    state.remove = h('button', { type: 'button', class: 'remove', onclick: remove }, 'Remove');
    state.close = h('button', { type: 'button', class: 'ghost', 'aria-label': 'Close the effect editor', onclick: () => close(true) }, '✕');
    controls.replaceChildren(...choiceFields, state.bypass, state.earlier, state.later, state.remove, state.close);

    state.curve = hasResponse(effect) ? createResponseCurve({ width: 360, height: 150, grid: true }) : null;
    curveBox.replaceChildren(...(state.curve ? [state.curve.element] : []));
    curveBox.hidden = !state.curve;
    const units = new Map((kind?.settings || []).map((x) => [x.name, x.unit]));
    const fixed = Object.entries(effect.settings || {}).map(
      ([name, value]) => `${parameterLabel(name)}: ${value}${units.get(name) ? ` ${units.get(name)}` : ''}`,
    );
    settings.textContent = fixed.length ? `Fixed when added — ${fixed.join(', ')}` : '';
    settings.hidden = !fixed.length;
    element.hidden = false;
    element.dataset.effect = effect.id;
    element.dataset.kind = effect.kind;
  }

  function toggleBypass() {
    const next = open.bypass.getAttribute('aria-pressed') !== 'true';
    open.bypass.setAttribute('aria-pressed', String(next));
    open.bypassHold.touch();
    set({ bypassed: next });
    drawCurve();
  }

  function step(by) {
    const chain = findTrack(store.state.tracks, open.trackId)?.effects || [];
    const at = chain.findIndex((e) => e.id === open.effectId);
    const to = at + by;
    if (at >= 0 && to >= 0 && to < chain.length) set({ index: to });
  }

  async function remove() {
    const { trackId, effectId } = open;
    try {
      await actions.removeEffect(trackId, effectId);
    } catch (err) {
      fail(err);
    }
  }

  function close(byUser = false) {
    if (!open) return;
    const { trackId } = open;
    const hadFocus = element.contains(document.activeElement);
    open = null;
    element.hidden = true;
    delete element.dataset.effect;
    onClosed(trackId, hadFocus || byUser);
  }

  /** The effect as the knobs have it: the user's values win while they are on their way. */
  function drawCurve() {
    if (!open?.curve) return;
    const values = { ...open.effect.values };
    for (const [name, knob] of open.knobs) if (Number.isFinite(knob.value)) values[name] = knob.value;
    const bypassed = open.bypass.getAttribute('aria-pressed') === 'true';
    open.curve.draw({ ...open.effect, values, bypassed }, rate());
  }

  function show(effect, chain) {
    open.effect = effect;
    const called = effectLabel(effect, chain);
    if (open.label !== called) {
      open.label = called;
      const at = where();
      title.textContent = at;
      for (const [name, knob] of open.knobs) knob.dial.setAttribute('aria-label', `${parameterLabel(name)} of ${at}`);
      for (const [name, select] of open.choices) select.setAttribute('aria-label', `${parameterLabel(name)} of ${at}`);
      open.bypass.setAttribute('aria-label', `Bypass ${at}`);
      open.earlier.setAttribute('aria-label', `Move ${at} earlier in the chain`);
      open.later.setAttribute('aria-label', `Move ${at} later in the chain`);
      open.remove.setAttribute('aria-label', `Remove ${at}`);
      open.curve?.element.setAttribute('aria-label', `Frequency response of ${at}`);
    }
    for (const [name, knob] of open.knobs) {
      knob.follow(effect.values?.[name]);
      // Marked as a send knob that follows a modulator is (the `modulated` class), and said in words.
      const source = effect.follows?.[name];
      const distance = source === 'listener_distance';
      knob.element.classList.toggle('modulated', Boolean(source));
      knob.follows.textContent = source ? `follows ${distance ? 'distance' : 'modulator'}` : '';
      if (source) knob.dial.setAttribute('aria-description', `follows ${distance ? 'the listener distance' : source}`);
      else knob.dial.removeAttribute('aria-description');
    }
    for (const [name, select] of open.choices) {
      const value = effect.choices?.[name];
      if (value && document.activeElement !== select) select.value = value;
    }
    open.bypassHold.report(Boolean(effect.bypassed));
    const at = chain.findIndex((e) => e.id === effect.id);
    open.earlier.classList.toggle('moot', at <= 0);
    open.later.classList.toggle('moot', at >= chain.length - 1);
    element.dataset.position = String(at);
    drawCurve();
  }

  return {
    element,

    /** Show an effect of a track in the editor (it opens on the next frame that lists it, if this one does not). */
    open(trackId, effectId) {
      const effect = findTrack(store.state.tracks, trackId)?.effects?.find((e) => e.id === effectId);
      if (!effect) return;
      if (open?.effectId !== effectId) build(trackId, effect);
      show(effect, findTrack(store.state.tracks, trackId).effects);
      element.scrollIntoView({ block: 'nearest' });
    },

    isEditing(effectId) {
      return open?.effectId === effectId;
    },

    /** Follow one frame of the mixer; the editor closes when its effect or its track has gone. */
    update(mixer) {
      if (!open) return;
      const chain = findTrack(mixer, open.trackId)?.effects;
      const effect = chain?.find((e) => e.id === open.effectId);
      if (effect) show(effect, chain);
      else close();
    },
  };
}
