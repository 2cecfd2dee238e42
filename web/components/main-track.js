// The main track: a fader (PATCH main_track volume, tweened) and its live
// stereo meter from the `meters` topic, with the Listen toggle beside them.
import { h, throttle, showError, clearError, errorLine, formatDb } from './dom.js';
import { createMeter } from './meter.js';
import { createListen } from './listen.js';

const TWEEN = { duration: 0.05, easing: 'linear' };
const HOLD_MS = 600;

export function createMainTrack(client) {
  const error = errorLine();
  const fader = h('input', {
    type: 'range',
    id: 'main-fader',
    class: 'fader',
    name: 'main_volume',
    min: -60,
    max: 6,
    step: 0.5,
    value: '0',
    'aria-label': 'Main volume',
  });
  const readout = h('output', { class: 'value', for: 'main-fader' }, formatDb(0));
  let touchedAt = -Infinity;
  const push = throttle((volume) => {
    clearError(error);
    client.call('main_track.set', { volume, tween: TWEEN }).catch((err) => showError(error, err));
  }, 50);
  const onInput = () => {
    touchedAt = performance.now();
    readout.textContent = formatDb(Number(fader.value));
    push(Number(fader.value));
  };
  fader.addEventListener('input', onInput);
  // Double-click puts the fader back to unity, as on a desk.
  fader.addEventListener('dblclick', () => {
    fader.value = '0';
    onInput();
  });

  const meter = createMeter('Main');
  const listen = createListen(client);

  client.on('main_track', (track) => {
    if (Number.isFinite(track.volume) && performance.now() - touchedAt > HOLD_MS) {
      fader.value = String(track.volume);
      readout.textContent = formatDb(track.volume);
    }
    if (track.meters) meter.set(track.meters);
  });
  client.on('meters', (m) => meter.set(m));
  client.on('status', (s) => {
    if (s !== 'online') meter.set({});
  });

  return h(
    'section',
    { class: 'panel main-track', id: 'main-track', 'aria-labelledby': 'main-title' },
    h('h2', { id: 'main-title' }, 'Main'),
    h(
      'div',
      { class: 'strip' },
      h('div', { class: 'fader-column' }, h('label', { for: 'main-fader', class: 'fader-label' }, 'Volume'), fader, readout),
      meter.element,
    ),
    listen,
    error,
  );
}
