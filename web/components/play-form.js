// The play button of a library sound and its small settings form.
import { h, field, showError, clearError, errorLine } from './dom.js';
import { applyAttributes, numberAttributes, withUnit } from '../params.js';
import { clockLabel } from './clocks.js';
import { subTracks, trackLabel } from '../tracks.js';

// Fields of PlaySettings that are parameters of the table, with their labels.
const PARAMETERS = [
  ['volume', 'Volume'],
  ['panning', 'Panning'],
  ['playback_rate', 'Playback rate'],
];

function numberInput(name, value, { min, max, step }) {
  return h('input', { type: 'number', name, value: String(value), min, max, step, inputmode: 'decimal' });
}

export function createPlayForm(store, actions, sound, { onPlayed = () => {} } = {}) {
  const parameters = PARAMETERS.map(([key, text]) => {
    // Empty and disabled until the table gives the default and the range.
    const input = h('input', { type: 'number', name: key, inputmode: 'decimal', disabled: true });
    return { key, text, input, label: field(text, input), edited: false };
  });
  for (const p of parameters) p.input.addEventListener('input', () => (p.edited = true));
  const loop = h('input', { type: 'checkbox', name: 'loop' });
  const fadeIn = numberInput('fade_in', 0, { min: 0, max: 30, step: 0.05 });
  const delay = numberInput('start_delay', 0, { min: 0, max: 60, step: 0.1 });
  const beat = h('select', { name: 'next_beat' }, h('option', { value: '' }, 'now'));
  beat.addEventListener('change', () => {
    delay.disabled = Boolean(beat.value);
  });
  const track = h('select', { name: 'track' }, h('option', { value: 'main' }, 'Main'));
  const error = errorLine();
  const play = h('button', { type: 'submit', class: 'play', 'aria-label': `Play ${sound.name}` }, '▶ Play');

  const settings = h(
    'details',
    { class: 'play-settings' },
    h('summary', {}, 'Settings'),
    h(
      'div',
      { class: 'settings-grid' },
      ...parameters.map((p) => p.label),
      field('Fade-in (s)', fadeIn),
      field('Start delay (s)', delay),
      field('Start on beat', beat),
      field('Track', track),
      h('label', { class: 'check' }, loop, h('span', {}, 'Loop')),
    ),
  );

  const form = h('form', { class: 'play-form', onsubmit: submit }, play, settings, error);

  function useSpecs() {
    for (const p of parameters) {
      const spec = store.parameter('sound', p.key);
      if (!spec) continue;
      applyAttributes(p.input, numberAttributes(spec));
      p.label.querySelector('span').textContent = withUnit(p.text, spec);
      if (!p.edited) p.input.value = String(spec.default);
      p.input.disabled = false;
    }
  }
  useSpecs();
  const offSpecs = store.on('parameters', useSpecs);

  function settingsBody() {
    const body = {};
    const num = (input) => Number(input.value);
    for (const p of parameters) {
      const spec = store.parameter('sound', p.key);
      if (p.input.value !== '' && (!spec || num(p.input) !== spec.default)) body[p.key] = num(p.input);
    }
    if (loop.checked) body.loop = true;
    if (fadeIn.value !== '' && num(fadeIn) > 0) body.fade_in = { duration: num(fadeIn), easing: 'linear' };
    if (beat.value) {
      // The clock's next tick, from the last state the service sent.
      const clock = store.clock(beat.value);
      body.start_time = { clock: beat.value, ticks: (clock ? clock.ticks : 0) + 1, fraction: 0 };
    } else if (delay.value !== '' && num(delay) > 0) {
      body.start_time = { delay: num(delay) };
    }
    if (track.value !== 'main') body.track = track.value;
    return body;
  }

  // The button stays enabled while a play is on its way: disabling it would
  // drop the keyboard focus, and pressing twice rightly starts two voices.
  async function submit(e) {
    e.preventDefault();
    clearError(error);
    try {
      onPlayed(await actions.play(sound.id, settingsBody()));
    } catch (err) {
      showError(error, err);
    }
  }

  function setClocks(clocks) {
    const chosen = beat.value;
    beat.replaceChildren(
      h('option', { value: '' }, 'now'),
      ...clocks.map((c) => h('option', { value: c.id }, `next beat of ${clockLabel(c)}`)),
    );
    beat.value = clocks.some((c) => c.id === chosen) ? chosen : '';
    delay.disabled = Boolean(beat.value);
  }
  setClocks(store.state.clocks);
  const offClocks = store.on('clocks', setClocks);

  // Voices play on the main track or a sub track; the list changes only when tracks come and go.
  function setTracks(mixer) {
    const subs = subTracks(mixer);
    const ids = ['main', ...subs.map((s) => s.track.id)];
    if (track.dataset.ids === ids.join('|')) return;
    track.dataset.ids = ids.join('|');
    const chosen = track.value;
    track.replaceChildren(...ids.map((id) => h('option', { value: id }, trackLabel(id))));
    track.value = ids.includes(chosen) ? chosen : 'main';
  }
  setTracks(store.state.tracks);
  const offTracks = store.on('tracks', setTracks);

  return {
    element: form,
    play,
    destroy() {
      offSpecs();
      offClocks();
      offTracks();
    },
  };
}
