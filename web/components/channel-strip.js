// One channel strip of the mixer, the same for the main track, a sub track
// and a send track: its name and where it goes, its effect rack, a knob per
// send track it can route to, pan, mute and solo, the fader beside its live
// meter, and the voices playing on it. Each control sends its changes with a short tween,
// so steps join up without zipper noise.
import { h, throttle, formatDb, formatPan, createHold } from './dom.js';
import { createFader, volumeSpec } from './fader.js';
import { createKnob } from './knob.js';
import { createMeter } from './meter.js';
import { createEffectRack } from './effect-rack.js';
import { trackKind, trackLabel } from '../tracks.js';

const TWEEN = { duration: 0.05, easing: 'linear' };
const SEND_EVERY_MS = 50; // one change per tween
const VOICES_SHOWN = 4; // more than this on a strip are counted, not listed

function panSpec(store) {
  return store.parameter('track', 'panning') || store.parameter('sound', 'panning');
}

/**
 * A strip for the track `id`. `report(err, label)` shows what went wrong
 * where the desk shows errors; `onRemove(id)` is asked to remove the track;
 * `onEditEffect(id, effectId)` to open one of its effects in the editor,
 * and `isEditing(effectId)` says whether the editor shows it.
 */
export function createChannelStrip(store, actions, id, { report, onRemove, onEditEffect, isEditing }) {
  const kind = trackKind(id);
  const label = trackLabel(id);
  const send = (changes) =>
    actions.setTrack(id, { ...changes, tween: TWEEN }).catch((err) => report(err, label));

  const fader = createFader({
    id: kind === 'main' ? 'main-fader' : `fader-${id}`,
    name: 'volume',
    label: kind === 'main' ? 'Main volume' : `Volume of ${label}`,
    onInput: throttle((volume) => send({ volume }), SEND_EVERY_MS),
  });
  const pan = createKnob({
    label: `Panning of ${label}`,
    caption: 'Pan',
    name: 'panning',
    format: (v) => formatPan(v),
    origin: (spec) => spec.default,
    onInput: throttle((panning) => send({ panning }), SEND_EVERY_MS),
  });
  const meter = createMeter(label);

  const toggles = {};
  for (const [key, text] of [['muted', 'M'], ['soloed', 'S']]) {
    // The main track cannot be soloed: only muted.
    if (kind === 'main' && key === 'soloed') continue;
    const verb = key === 'muted' ? 'Mute' : 'Solo';
    const button = h('button', { type: 'button', class: `toggle ${key}`, 'aria-pressed': 'false', 'aria-label': `${verb} ${label}` }, text);
    const toggle = { button, on: false };
    toggle.hold = createHold((on) => {
      toggle.on = on;
      button.setAttribute('aria-pressed', String(on));
    });
    button.addEventListener('click', () => {
      toggle.on = !toggle.on;
      toggle.hold.touch();
      button.setAttribute('aria-pressed', String(toggle.on));
      actions.setTrack(id, { [key]: toggle.on }).catch((err) => report(err, label));
    });
    toggles[key] = toggle;
  }

  const sendKnobs = new Map(); // send track id -> knob
  const sendsBox = h('div', { class: 'strip-sends', role: 'group', 'aria-label': `Sends of ${label}` });

  const route = h('span', { class: 'strip-route' });
  const remove =
    kind === 'main'
      ? null
      : h('button', { type: 'button', class: 'ghost strip-remove', 'aria-label': `Remove ${label}`, onclick: () => onRemove(id) }, '✕');
  const voices = h('ul', { class: 'strip-voices', 'aria-label': `Voices on ${label}` });
  const rack = createEffectRack(store, actions, id, {
    label,
    report: (err) => report(err, label),
    onEdit: (effectId) => onEditEffect(id, effectId),
    isEditing,
  });

  const element = h(
    'section',
    {
      class: 'channel-strip',
      id: kind === 'main' ? 'main-track' : null,
      'aria-label': kind === 'main' ? 'Main track' : label,
      title: kind === 'main' ? null : id,
      dataset: { id, kind },
    },
    h('header', { class: 'strip-head' }, h('span', { class: 'strip-name' }, label), route, remove),
    rack.element,
    sendsBox,
    pan.element,
    h('div', { class: 'strip-toggles' }, ...Object.values(toggles).map((t) => t.button)),
    h('div', { class: 'strip-body' }, fader.element, meter.element),
    fader.readout,
    voices,
  );

  function useSpecs() {
    fader.setSpec(volumeSpec(store));
    pan.setSpec(panSpec(store));
    for (const knob of sendKnobs.values()) knob.setSpec(volumeSpec(store));
  }

  /** One knob per send track, in the desk's order of send tracks; none on the main track or a send track. */
  function setSends(sendIds) {
    if (kind !== 'sub') return;
    const wanted = sendIds.join('|');
    if (sendsBox.dataset.sends === wanted) return;
    sendsBox.dataset.sends = wanted;
    for (const sid of [...sendKnobs.keys()]) if (!sendIds.includes(sid)) sendKnobs.delete(sid);
    for (const sid of sendIds) {
      if (sendKnobs.has(sid)) continue;
      const knob = createKnob({
        label: `${label} send to ${trackLabel(sid)}`,
        caption: trackLabel(sid).replace(/^Send /, ''),
        name: `send-level`,
        format: (v) => formatDb(v),
        onInput: throttle((volume) => send({ sends: { [sid]: volume } }), SEND_EVERY_MS),
      });
      knob.element.dataset.send = sid;
      knob.setSpec(volumeSpec(store));
      sendKnobs.set(sid, knob);
    }
    sendsBox.replaceChildren(...sendIds.map((sid) => sendKnobs.get(sid).element));
  }

  function showVoices() {
    const list = store.voicesOn(id);
    const names = list.map((v) => store.soundName(v.sound));
    const signature = list.map((v) => `${v.id}:${v.state}`).join('|') + names.join('|');
    if (voices.dataset.signature === signature) return;
    voices.dataset.signature = signature;
    element.dataset.voices = String(list.length);
    const items = list.slice(0, VOICES_SHOWN).map((v, i) =>
      h('li', { class: 'strip-voice', dataset: { voice: v.id, state: v.state }, title: `${names[i]} (${v.id})` }, names[i]),
    );
    if (list.length > VOICES_SHOWN) items.push(h('li', { class: 'strip-voice more' }, `+${list.length - VOICES_SHOWN} more`));
    voices.replaceChildren(...items);
  }

  useSpecs();
  const offs = [
    store.on('parameters', useSpecs),
    store.on('voices', showVoices),
    store.on('sounds', showVoices),
    // A meter holds no level it cannot vouch for.
    store.on('status', (s) => s !== 'online' && meter.set({})),
  ];
  showVoices();

  return {
    id,
    element,
    rack,

    /** Show one frame of the track's state; `sendIds` are the desk's send tracks. */
    update(track, sendIds) {
      route.textContent = kind === 'main' ? 'Output' : `→ ${trackLabel(track.parent || 'main')}`;
      fader.follow(track.volume);
      pan.follow(track.panning);
      meter.set(track.meters);
      rack.update(track.effects);
      element.dataset.audible = String(track.audible !== false);
      // A spatial track is a sub track heard through a listener; the scene view places it.
      element.dataset.spatial = String(Boolean(track.spatial));
      for (const [key, toggle] of Object.entries(toggles)) toggle.hold.report(Boolean(track[key]));
      element.dataset.muted = String(Boolean(track.muted));
      setSends(sendIds);
      for (const [sid, knob] of sendKnobs) {
        const level = track.sends?.[sid];
        const modulated = level !== null && typeof level === 'object';
        knob.element.classList.toggle('modulated', modulated);
        // A route not set yet is silent: the knob rests at the bottom of its travel.
        if (!modulated) knob.follow(Number.isFinite(level) ? level : volumeSpec(store)?.ui_low ?? -60);
      }
    },

    /** Give the keyboard to the fader. */
    focus(options) {
      fader.input.focus(options);
    },

    destroy() {
      offs.forEach((off) => off());
      rack.destroy();
    },
  };
}
