// Clocks: add one at a tempo, start / pause / stop it, change its speed, and
// watch its tick counter live.
import { h, field, showError, clearError, errorLine } from './dom.js';
import { applyAttributes, numberAttributes } from '../params.js';

// The panel sets a clock's speed in BPM, the table defines it in ticks per second.
const PER_MINUTE = 60;

export function clockLabel(clock) {
  return `Clock ${String(clock.id).replace(/^clock-/, '')}`;
}

/** Ticks per minute (BPM when a tick is a beat) from any of the speed forms. */
export function bpmOf(speed = {}) {
  if (Number.isFinite(speed.ticks_per_minute)) return speed.ticks_per_minute;
  if (Number.isFinite(speed.ticks_per_second)) return speed.ticks_per_second * 60;
  if (Number.isFinite(speed.seconds_per_tick) && speed.seconds_per_tick > 0) return 60 / speed.seconds_per_tick;
  return NaN;
}

export function createClocks(store, actions) {
  const rows = new Map();
  const bpm = h('input', { type: 'number', name: 'bpm', value: '120', inputmode: 'decimal' });
  const error = errorLine();
  const add = h(
    'form',
    { class: 'clock-add', onsubmit: addClock },
    field('Speed (BPM)', bpm),
    h('button', { type: 'submit', id: 'add-clock' }, 'Add clock'),
  );
  const list = h('ul', { class: 'clock-list', id: 'clock-list', 'aria-label': 'Clocks' });
  const section = h(
    'section',
    { class: 'panel clocks', id: 'clocks', 'aria-labelledby': 'clocks-title' },
    h('h2', { id: 'clocks-title' }, 'Clocks'),
    add,
    error,
    list,
  );

  async function addClock(e) {
    e.preventDefault();
    clearError(error);
    try {
      await actions.addClock({ ticks_per_minute: Number(bpm.value) });
    } catch (err) {
      showError(error, err);
    }
  }

  function createRow(clock) {
    const rowError = errorLine();
    const counter = h('output', { class: 'ticks', 'aria-label': 'Ticks' }, '0');
    const beats = h('span', { class: 'beats', 'aria-hidden': 'true' }, ...[0, 1, 2, 3].map(() => h('span', { class: 'beat' })));
    const state = h('span', { class: 'badge' });
    const speed = h('input', { type: 'number', name: 'clock_bpm', inputmode: 'decimal' });
    bpmRange(speed);
    const act = (verb) => async () => {
      clearError(rowError);
      try {
        if (verb === 'remove') await actions.removeClock(clock.id);
        else await actions.clock(clock.id, verb);
      } catch (err) {
        showError(rowError, err);
      }
    };
    speed.addEventListener('change', async () => {
      clearError(rowError);
      try {
        await actions.setClockSpeed(clock.id, { ticks_per_minute: Number(speed.value) }, { duration: 0.05, easing: 'linear' });
      } catch (err) {
        showError(rowError, err);
      }
    });
    const label = clockLabel(clock);
    const element = h(
      'li',
      { class: 'clock', dataset: { id: clock.id } },
      h('div', { class: 'clock-head' }, h('span', { class: 'clock-name' }, label), state, beats, counter),
      h(
        'div',
        { class: 'clock-controls' },
        field('BPM', speed),
        h('button', { type: 'button', class: 'start', onclick: act('start'), 'aria-label': `Start ${label}` }, 'Start'),
        h('button', { type: 'button', class: 'pause', onclick: act('pause'), 'aria-label': `Pause ${label}` }, 'Pause'),
        h('button', { type: 'button', class: 'stop', onclick: act('stop'), 'aria-label': `Stop ${label}` }, 'Stop'),
        h('button', { type: 'button', class: 'ghost', onclick: act('remove'), 'aria-label': `Remove ${label}` }, '✕'),
      ),
      rowError,
    );
    return { element, counter, beats, state, speed };
  }

  function update(clock) {
    let row = rows.get(clock.id);
    if (!row) {
      row = createRow(clock);
      rows.set(clock.id, row);
      list.append(row.element);
    }
    const ticks = Number(clock.ticks) || 0;
    row.counter.textContent = String(ticks);
    row.element.dataset.ticks = String(ticks);
    row.element.dataset.ticking = String(Boolean(clock.ticking));
    row.state.textContent = clock.ticking ? 'ticking' : 'stopped';
    row.state.dataset.state = clock.ticking ? 'playing' : 'stopped';
    [...row.beats.children].forEach((b, i) => b.classList.toggle('on', clock.ticking && ticks % 4 === i));
    const bpmValue = bpmOf(clock.speed);
    if (document.activeElement !== row.speed && Number.isFinite(bpmValue)) {
      row.speed.value = String(Math.round(bpmValue * 100) / 100);
    }
  }

  function removeRow(id) {
    rows.get(id)?.element.remove();
    rows.delete(id);
  }

  /** A BPM field's range: what the engine accepts for a clock's speed. */
  function bpmRange(input) {
    const spec = store.parameter('clock', 'ticks_per_second');
    if (spec) applyAttributes(input, numberAttributes(spec, PER_MINUTE));
  }
  bpmRange(bpm);
  store.on('parameters', () => {
    bpmRange(bpm);
    for (const row of rows.values()) bpmRange(row.speed);
  });

  store.on('clocks', (clocks) => {
    const ids = new Set(clocks.map((c) => c.id));
    for (const id of [...rows.keys()]) if (!ids.has(id)) removeRow(id);
    clocks.forEach(update);
  });

  return section;
}
