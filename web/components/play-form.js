// The play button of a library sound and its small settings form.
import { h, field, showError, clearError, errorLine } from './dom.js';
import { clockLabel } from './clocks.js';

function numberInput(name, value, { min, max, step }) {
  return h('input', { type: 'number', name, value: String(value), min, max, step, inputmode: 'decimal' });
}

export function createPlayForm(client, sound) {
  const volume = numberInput('volume', 0, { min: -60, max: 12, step: 0.5 });
  const panning = numberInput('panning', 0, { min: -1, max: 1, step: 0.1 });
  const rate = numberInput('playback_rate', 1, { min: 0.1, max: 4, step: 0.05 });
  const loop = h('input', { type: 'checkbox', name: 'loop' });
  const fadeIn = numberInput('fade_in', 0, { min: 0, max: 30, step: 0.05 });
  const delay = numberInput('start_delay', 0, { min: 0, max: 60, step: 0.1 });
  const beat = h('select', { name: 'next_beat' }, h('option', { value: '' }, 'now'));
  beat.addEventListener('change', () => {
    delay.disabled = Boolean(beat.value);
  });
  const error = errorLine();
  const play = h('button', { type: 'submit', class: 'play', 'aria-label': `Play ${sound.name}` }, '▶ Play');

  const settings = h(
    'details',
    { class: 'play-settings' },
    h('summary', {}, 'Settings'),
    h(
      'div',
      { class: 'settings-grid' },
      field('Volume (dB)', volume),
      field('Panning', panning),
      field('Rate', rate),
      field('Fade-in (s)', fadeIn),
      field('Start delay (s)', delay),
      field('Start on beat', beat),
      h('label', { class: 'check' }, loop, h('span', {}, 'Loop')),
    ),
  );

  const form = h('form', { class: 'play-form', onsubmit: submit }, play, settings, error);

  function settingsBody() {
    const body = {};
    const num = (input) => Number(input.value);
    if (volume.value !== '' && num(volume) !== 0) body.volume = num(volume);
    if (panning.value !== '' && num(panning) !== 0) body.panning = num(panning);
    if (rate.value !== '' && num(rate) !== 1) body.playback_rate = num(rate);
    if (loop.checked) body.loop = true;
    if (fadeIn.value !== '' && num(fadeIn) > 0) body.fade_in = { duration: num(fadeIn), easing: 'linear' };
    if (beat.value) {
      // The clock's next tick, from the last state the clocks topic sent.
      const clock = (client.latest.get('clocks')?.clocks || []).find((c) => c.id === beat.value);
      body.start_time = { clock: beat.value, ticks: (clock ? clock.ticks : 0) + 1, fraction: 0 };
    } else if (delay.value !== '' && num(delay) > 0) {
      body.start_time = { delay: num(delay) };
    }
    return body;
  }

  async function submit(e) {
    e.preventDefault();
    clearError(error);
    play.disabled = true;
    try {
      const voice = await client.request('POST', `/sounds/${encodeURIComponent(sound.id)}/play`, settingsBody());
      client.emit('voice_started', voice);
    } catch (err) {
      showError(error, err);
    } finally {
      play.disabled = false;
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
  setClocks(client.latest.get('clocks')?.clocks || []);
  const off = client.on('clocks', (p) => setClocks(p.clocks || []));

  return { element: form, destroy: off };
}
