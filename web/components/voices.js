// Every playing voice, live from the `voices` topic: state, a position bar
// that seeks when clicked, tweened sliders, transport buttons and an LFO.
import { h, field, throttle, showError, clearError, errorLine, formatTime, formatDb, formatPan } from './dom.js';
import { createLfo } from './lfo.js';

const TWEEN = { duration: 0.05, easing: 'linear' }; // smooths each slider step
const SEND_EVERY_MS = 50; // one change per tween, so steps join up
const HOLD_MS = 600; // how long the user's value wins over the service's echo
const SEEK_STEP = 1; // seconds per arrow key on the position bar

const SLIDERS = [
  { key: 'volume', label: 'Volume', min: -60, max: 12, step: 0.5, show: formatDb },
  { key: 'panning', label: 'Panning', min: -1, max: 1, step: 0.01, show: formatPan },
  { key: 'playback_rate', label: 'Rate', min: 0.25, max: 4, step: 0.01, show: (v) => `${v.toFixed(2)}×` },
];

const GONE = new Set(['stopped']);

export function createVoices(client) {
  const rows = new Map();
  const list = h('ul', { class: 'voice-list', id: 'voice-list', 'aria-label': 'Voices' });
  const empty = h('p', { class: 'empty' }, 'Nothing is playing.');
  const section = h(
    'section',
    { class: 'panel voices', id: 'voices', 'aria-labelledby': 'voices-title' },
    h('h2', { id: 'voices-title' }, 'Voices'),
    empty,
    list,
  );

  function soundName(id) {
    const sounds = client.latest.get('sounds')?.sounds || [];
    return sounds.find((s) => s.id === id)?.name || id;
  }

  function createRow(voice) {
    const vid = voice.id;
    const error = errorLine();
    const report = (err) => showError(error, err);
    const send = (method, params) => {
      clearError(error);
      return client.call(method, { id: vid, ...params }).catch(report);
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
        'aria-label': 'Position',
        'aria-valuemin': '0',
        onclick: (e) => {
          const rect = bar.getBoundingClientRect();
          const fraction = Math.min(Math.max((e.clientX - rect.left) / rect.width, 0), 1);
          send('voices.seek', { to: fraction * (row.duration || 0) });
        },
        onkeydown: (e) => {
          const moves = { ArrowRight: SEEK_STEP, ArrowUp: SEEK_STEP, ArrowLeft: -SEEK_STEP, ArrowDown: -SEEK_STEP };
          if (e.key in moves) send('voices.seek', { by: moves[e.key] });
          else if (e.key === 'Home') send('voices.seek', { to: 0 });
          else return;
          e.preventDefault();
        },
      },
      fill,
    );

    const sliders = {};
    for (const spec of SLIDERS) {
      const input = h('input', { type: 'range', name: spec.key, min: spec.min, max: spec.max, step: spec.step });
      const out = h('output', { class: 'value' });
      const push = throttle((value) => send('voices.set', { [spec.key]: value, tween: TWEEN }), SEND_EVERY_MS);
      const slider = { input, out, spec, touchedAt: -Infinity };
      input.addEventListener('input', () => {
        slider.touchedAt = performance.now();
        const value = Number(input.value);
        out.textContent = spec.show(value);
        push(value);
      });
      sliders[spec.key] = slider;
    }

    const buttons = {
      pause: h('button', { type: 'button', class: 'pause', onclick: () => send('voices.pause', {}) }, 'Pause'),
      resume: h('button', { type: 'button', class: 'resume', onclick: () => send('voices.resume', {}) }, 'Resume'),
      stop: h('button', { type: 'button', class: 'stop', onclick: () => send('voices.stop', {}) }, 'Stop'),
    };

    const lfo = createLfo(client, {
      voiceId: vid,
      baseValue: (key) => Number(sliders[key].input.value),
      report,
      clear: () => clearError(error),
    });

    const title = h('span', { class: 'voice-name' }, soundName(voice.sound));
    const element = h(
      'li',
      { class: 'voice', dataset: { id: vid } },
      h('div', { class: 'voice-head' }, title, state, time),
      bar,
      h(
        'div',
        { class: 'voice-sliders' },
        ...Object.values(sliders).map(({ input, out, spec }) =>
          h('div', { class: 'slider' }, field(spec.label, input), out),
        ),
      ),
      h('div', { class: 'voice-buttons' }, buttons.pause, buttons.resume, buttons.stop, lfo.element),
      error,
    );
    for (const [name, button] of Object.entries(buttons)) {
      button.setAttribute('aria-label', `${name[0].toUpperCase()}${name.slice(1)} ${title.textContent}`);
    }
    const row = { element, state, time, bar, fill, sliders, buttons, lfo, title, duration: voice.duration };
    return row;
  }

  function update(voice) {
    if (GONE.has(voice.state)) {
      removeRow(voice.id);
      return;
    }
    let row = rows.get(voice.id);
    if (!row) {
      row = createRow(voice);
      rows.set(voice.id, row);
      list.append(row.element);
      empty.hidden = true;
    }
    row.duration = voice.duration;
    row.element.dataset.state = voice.state;
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
      } else if (Number.isFinite(value) && now - slider.touchedAt > HOLD_MS) {
        slider.input.value = String(value);
        slider.out.textContent = slider.spec.show(value);
      } else if (Number.isFinite(value) && !slider.out.textContent) {
        slider.out.textContent = slider.spec.show(value);
      }
    }
    // Buttons stay enabled: disabling the one just pressed would drop the
    // keyboard focus, and the service treats a repeated pause as a no-op.
    const paused = ['paused', 'pausing', 'waiting_to_resume'].includes(voice.state);
    row.buttons.pause.classList.toggle('moot', paused);
    row.buttons.resume.classList.toggle('moot', !paused);
    if (row.title.textContent === voice.sound) row.title.textContent = soundName(voice.sound);
  }

  function removeRow(id) {
    const row = rows.get(id);
    if (!row) return;
    row.lfo.release();
    row.element.remove();
    rows.delete(id);
    empty.hidden = rows.size > 0;
  }

  client.on('voices', ({ voices = [] }) => {
    const ids = new Set(voices.map((v) => v.id));
    for (const id of [...rows.keys()]) if (!ids.has(id)) removeRow(id);
    voices.forEach(update);
  });
  client.on('voice_started', update);
  client.on('event', (e) => {
    if (e && e.type === 'voice_finished') removeRow(e.voice);
  });

  return section;
}
