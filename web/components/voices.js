// Every voice the service has, live: state, a position bar that seeks when
// clicked, tweened sliders sized by the parameter table, transport buttons
// and an LFO.
import { h, field, throttle, showError, clearError, errorLine, formatTime, formatDb, formatPan } from './dom.js';
import { applyAttributes, formatValue, fromSlider, sliderAttributes, toSlider, withUnit } from '../params.js';
import { activity } from '../store.js';
import { createLfo } from './lfo.js';

const TWEEN = { duration: 0.05, easing: 'linear' }; // smooths each slider step
const SEND_EVERY_MS = 50; // one change per tween, so steps join up
const HOLD_MS = 3000; // the longest the user's value waits for the service to report it back
const SEEK_STEP = 1; // seconds per arrow key on the position bar

// The sliders, by their field in the API; ranges, steps and scales come from the table.
const SLIDERS = [
  { key: 'volume', label: 'Volume', show: (v) => formatDb(v) },
  { key: 'panning', label: 'Panning', show: (v) => formatPan(v) },
  { key: 'playback_rate', label: 'Playback rate', show: (v, spec) => formatValue(spec, v) },
];

/**
 * The Voices section, and `reveal(voiceId)` to bring a voice's row into
 * view. When the voice whose row has the keyboard leaves, the keyboard goes
 * to the next voice's Stop button, else to `whenEmpty(soundId, focusOptions)`
 * (the sound's Play button), else to this section's heading.
 */
export function createVoices(store, actions, { whenEmpty = () => false } = {}) {
  const rows = new Map();
  const list = h('ul', { class: 'voice-list', id: 'voice-list', 'aria-label': 'Voices' });
  const empty = h('p', { class: 'empty' }, 'Nothing is playing.');
  const heading = h('h2', { id: 'voices-title', tabindex: -1 }, 'Voices');
  const section = h(
    'section',
    { class: 'panel voices', id: 'voices', 'aria-labelledby': 'voices-title' },
    heading,
    empty,
    list,
  );

  function createRow(voice) {
    const vid = voice.id;
    const error = errorLine();
    const report = (err) => showError(error, err);
    const run = (promise) => promise.catch(report);
    const act = (method, ...args) => {
      clearError(error);
      return run(actions[method](vid, ...args));
    };

    const state = h('span', { class: 'badge state' });
    const time = h('span', { class: 'time' });
    const fill = h('div', { class: 'fill' });
    const bar = h(
      'div',
      {
        class: 'position',
        role: 'slider',
        tabindex: 0,
        'aria-valuemin': '0',
        onclick: (e) => {
          const rect = bar.getBoundingClientRect();
          const fraction = Math.min(Math.max((e.clientX - rect.left) / rect.width, 0), 1);
          act('seekVoice', { to: fraction * (row.duration || 0) });
        },
        onkeydown: (e) => {
          const moves = { ArrowRight: SEEK_STEP, ArrowUp: SEEK_STEP, ArrowLeft: -SEEK_STEP, ArrowDown: -SEEK_STEP };
          if (e.key in moves) act('seekVoice', { by: moves[e.key] });
          else if (e.key === 'Home') act('seekVoice', { to: 0 });
          else return;
          e.preventDefault();
        },
      },
      fill,
    );

    const sliders = {};
    for (const def of SLIDERS) {
      // Disabled until the table says how far it travels.
      const input = h('input', { type: 'range', name: def.key, disabled: true });
      const out = h('output', { class: 'value' });
      const push = throttle((value) => act('setVoice', { [def.key]: value, tween: TWEEN }), SEND_EVERY_MS);
      const slider = {
        def, input, out, spec: null, value: NaN, pending: NaN, touchedAt: -Infinity, label: field(def.label, input),
      };
      input.addEventListener('input', () => {
        slider.touchedAt = performance.now();
        const value = fromSlider(slider.spec, input.value);
        slider.pending = value;
        showSlider(slider, value);
        push(value);
      });
      sliders[def.key] = slider;
    }

    const buttons = {
      pause: h('button', { type: 'button', class: 'pause', onclick: () => act('pauseVoice') }, 'Pause'),
      resume: h('button', { type: 'button', class: 'resume', onclick: () => act('resumeVoice') }, 'Resume'),
      stop: h('button', { type: 'button', class: 'stop', onclick: () => act('stopVoice') }, 'Stop'),
    };

    const lfo = createLfo(store, actions, {
      voiceId: vid,
      baseValue: (key) => sliders[key].value,
      report,
      clear: () => clearError(error),
    });

    const title = h('span', { class: 'voice-name' });
    const element = h(
      'li',
      { class: 'voice', dataset: { id: vid, sound: voice.sound } },
      h('div', { class: 'voice-head' }, title, state, time),
      bar,
      h(
        'div',
        { class: 'voice-sliders' },
        ...Object.values(sliders).map(({ label, out }) => h('div', { class: 'slider' }, label, out)),
      ),
      h('div', { class: 'voice-buttons' }, buttons.pause, buttons.resume, buttons.stop, lfo.element),
      error,
    );
    const row = { id: vid, sound: voice.sound, element, state, time, bar, fill, sliders, buttons, lfo, title, name: '' };
    row.duration = voice.duration;
    useSpecs(row);
    name(row);
    return row;
  }

  /** Name the row after its sound, and every control after the voice, so a screen reader can tell voices apart. */
  function name(row) {
    const text = store.soundName(row.sound);
    if (row.name === text) return;
    row.name = text;
    const who = `${text} (${row.id})`;
    row.title.textContent = text;
    row.element.setAttribute('aria-label', who);
    row.bar.setAttribute('aria-label', `Position of ${who}`);
    for (const slider of Object.values(row.sliders)) slider.input.setAttribute('aria-label', `${slider.def.label} of ${who}`);
    for (const [key, button] of Object.entries(row.buttons)) {
      button.setAttribute('aria-label', `${key[0].toUpperCase()}${key.slice(1)} ${who}`);
    }
  }

  function useSpecs(row) {
    for (const slider of Object.values(row.sliders)) {
      const spec = store.parameter('sound', slider.def.key);
      if (!spec || spec === slider.spec) continue;
      slider.spec = spec;
      applyAttributes(slider.input, sliderAttributes(spec));
      slider.label.querySelector('span').textContent = withUnit(slider.def.label, spec);
      slider.input.disabled = false;
      if (Number.isFinite(slider.value)) showSlider(slider, slider.value);
    }
  }

  // Reports sent before the user's last change (and the steps of its short
  // tween) are older news: the slider keeps the user's value until the
  // service reports that value, or for HOLD_MS at most, however slow the
  // round trip is.
  function awaiting(slider, value, now) {
    if (!Number.isFinite(slider.pending) || !Number.isFinite(slider.value)) return false;
    if (now - slider.touchedAt > HOLD_MS || Math.abs(value - slider.pending) <= 1e-6 * Math.max(1, Math.abs(value))) {
      slider.pending = NaN;
      return false;
    }
    return true;
  }

  function showSlider(slider, value) {
    slider.value = value;
    const text = slider.def.show(value, slider.spec);
    slider.out.textContent = text;
    if (!slider.spec) return;
    slider.input.value = String(toSlider(slider.spec, value));
    slider.input.setAttribute('aria-valuetext', text);
  }

  function update(voice) {
    let row = rows.get(voice.id);
    if (!row) {
      row = createRow(voice);
      rows.set(voice.id, row);
      list.append(row.element);
      empty.hidden = true;
    }
    row.duration = voice.duration;
    row.element.dataset.state = voice.state;
    row.element.dataset.activity = activity(voice.state);
    row.state.textContent = voice.state.replace(/_/g, ' ');
    row.state.dataset.state = voice.state;
    const position = Number(voice.position) || 0;
    const duration = Number(voice.duration) || 0;
    const fraction = duration > 0 ? Math.min(position / duration, 1) : 0;
    row.fill.style.width = `${(fraction * 100).toFixed(2)}%`;
    row.bar.setAttribute('aria-valuemax', duration.toFixed(3));
    row.bar.setAttribute('aria-valuenow', position.toFixed(3));
    row.bar.setAttribute('aria-valuetext', `${formatTime(position)} of ${formatTime(duration)}`);
    row.time.textContent = `${formatTime(position)} / ${formatTime(duration)}`;

    const now = performance.now();
    for (const [key, slider] of Object.entries(row.sliders)) {
      const value = voice[key];
      // While an LFO drives a parameter the service reports the moving
      // value; the slider keeps the base the LFO swings from.
      const modulated = row.lfo.target === key || (value !== null && typeof value === 'object');
      slider.input.closest('.slider').classList.toggle('modulated', modulated);
      if (modulated) {
        slider.out.textContent = 'LFO';
      } else if (Number.isFinite(value) && !awaiting(slider, value, now)) {
        showSlider(slider, value);
      }
    }
    // Buttons stay enabled: disabling the one just pressed would drop the
    // keyboard focus, and the service treats a repeated pause as a no-op.
    const paused = activity(voice.state) === 'paused';
    row.buttons.pause.classList.toggle('moot', paused);
    row.buttons.resume.classList.toggle('moot', !paused);
    name(row);
  }

  function removeRow(id) {
    const row = rows.get(id);
    if (!row) return;
    const hadFocus = row.element.contains(document.activeElement);
    // Follow the keyboard to wherever the focus goes; a click leaves the page where it is.
    const options = { preventScroll: !row.element.querySelector(':focus-visible') };
    const neighbour = rows.get((row.element.nextElementSibling || row.element.previousElementSibling)?.dataset.id);
    row.lfo.destroy();
    row.element.remove();
    rows.delete(id);
    empty.hidden = rows.size > 0;
    if (!hadFocus) return;
    if (neighbour) neighbour.buttons.stop.focus(options);
    else if (!whenEmpty(row.sound, options)) heading.focus(options);
  }

  store.on('voices', (voices) => {
    for (const id of [...rows.keys()]) if (!voices.has(id)) removeRow(id);
    voices.forEach(update);
  });
  store.on('parameters', () => rows.forEach(useSpecs));
  store.on('sounds', () => rows.forEach(name));

  return {
    element: section,
    /** Scroll a voice's row into view, as little as it takes; false when there is no such row. */
    reveal(voiceId) {
      const row = rows.get(voiceId);
      if (!row) return false;
      const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      row.element.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
      return true;
    },
  };
}
