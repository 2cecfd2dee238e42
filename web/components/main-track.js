// The main track: a fader (main volume, tweened) and its live stereo meter,
// with the Listen toggle beside them.
import { h, throttle, showError, clearError, errorLine, formatDb } from './dom.js';
import { applyAttributes, fromSlider, sliderAttributes, toSlider, withUnit } from '../params.js';
import { createMeter } from './meter.js';
import { createListen } from './listen.js';

const TWEEN = { duration: 0.05, easing: 'linear' };
const HOLD_MS = 600;

/** The main track's volume is checked by the same definition as a sound's; a table may list it on its own. */
function volumeSpec(store) {
  return store.parameter('track', 'volume') || store.parameter('sound', 'volume');
}

export function createMainTrack(store, actions) {
  const error = errorLine();
  const fader = h('input', {
    type: 'range',
    id: 'main-fader',
    class: 'fader',
    name: 'main_volume',
    disabled: true, // until the parameter table says how far it travels
    'aria-label': 'Main volume',
  });
  const readout = h('output', { class: 'value', for: 'main-fader' }, formatDb(0));
  const label = h('label', { for: 'main-fader', class: 'fader-label' }, 'Volume');
  let spec = null;
  let volume = 0;
  let touchedAt = -Infinity;
  const push = throttle((value) => {
    clearError(error);
    actions.setMainVolume(value, TWEEN).catch((err) => showError(error, err));
  }, 50);

  function show(value) {
    volume = value;
    readout.textContent = formatDb(value);
    if (!spec) return;
    fader.value = String(toSlider(spec, value));
    fader.setAttribute('aria-valuetext', formatDb(value));
  }

  const onInput = () => {
    touchedAt = performance.now();
    const value = fromSlider(spec, fader.value);
    show(value);
    push(value);
  };
  fader.addEventListener('input', onInput);
  // Double-click puts the fader back to the parameter's default (unity), as on a desk.
  fader.addEventListener('dblclick', () => {
    if (!spec) return;
    fader.value = String(toSlider(spec, spec.default));
    onInput();
  });

  function useSpec() {
    spec = volumeSpec(store) || null;
    fader.disabled = !spec;
    if (spec) applyAttributes(fader, sliderAttributes(spec));
    label.textContent = withUnit('Volume', spec);
    show(volume);
  }
  useSpec();
  store.on('parameters', useSpec);

  const meter = createMeter('Main');
  const listen = createListen(actions);

  store.on('main_track', (track) => {
    if (Number.isFinite(track.volume) && performance.now() - touchedAt > HOLD_MS) show(track.volume);
  });
  store.on('meters', (m) => meter.set(m));
  store.on('status', (s) => {
    if (s !== 'online') meter.set({});
  });

  return h(
    'section',
    { class: 'panel main-track', id: 'main-track', 'aria-labelledby': 'main-title' },
    h('h2', { id: 'main-title' }, 'Main'),
    h(
      'div',
      { class: 'strip' },
      h('div', { class: 'fader-column' }, label, fader, readout),
      meter.element,
    ),
    listen,
    error,
  );
}
