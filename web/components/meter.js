// A stereo level meter: RMS as a bar, peak as a line with a short hold.
import { h, ampToDb } from './dom.js';

const FLOOR_DB = -60;
const TOP_DB = 6;
const HOLD_MS = 1200; // a peak line stays this long before it falls
const FALL_DB_PER_S = 20;
const SCALE = [6, 0, -6, -12, -24, -36, -48];

/** Position of a level on the meter's scale, 0 (floor) to 1 (top). */
function scale(db) {
  if (!Number.isFinite(db) || db <= FLOOR_DB) return 0;
  return Math.min((db - FLOOR_DB) / (TOP_DB - FLOOR_DB), 1);
}

export function createMeter(label) {
  const channels = ['L', 'R'].map((name) => {
    const rms = h('div', { class: 'rms' });
    const peak = h('div', { class: 'peak' });
    const element = h(
      'div',
      {
        class: 'meter-channel',
        role: 'meter',
        'aria-label': `${label} ${name === 'L' ? 'left' : 'right'} peak level`,
        'aria-valuemin': String(FLOOR_DB),
        'aria-valuemax': String(TOP_DB),
        'aria-valuenow': String(FLOOR_DB),
        dataset: { channel: name },
      },
      rms,
      peak,
    );
    return { name, element, rms, peak, held: -Infinity, heldAt: 0, lastAt: 0 };
  });
  const ticks = h(
    'div',
    { class: 'meter-scale', 'aria-hidden': 'true' },
    ...SCALE.map((db) => h('span', { style: { bottom: `${scale(db) * 100}%` } }, db > 0 ? `+${db}` : String(db))),
  );
  const element = h(
    'div',
    { class: 'meter' },
    ticks,
    ...channels.map((c) => h('div', { class: 'meter-column' }, c.element, h('span', { class: 'meter-label', 'aria-hidden': 'true' }, c.name))),
  );

  /** Show one `meters` frame; levels are linear amplitudes (1 = full scale). */
  function set({ peak = [0, 0], rms = [0, 0] } = {}) {
    const now = performance.now();
    channels.forEach((c, i) => {
      const peakDb = ampToDb(Number(peak[i]) || 0);
      const rmsDb = ampToDb(Number(rms[i]) || 0);
      if (peakDb >= c.held) {
        c.held = peakDb;
        c.heldAt = now;
      } else if (now - c.heldAt > HOLD_MS) {
        c.held = Math.max(peakDb, c.held - ((now - c.lastAt) / 1000) * FALL_DB_PER_S);
      }
      c.lastAt = now;
      c.rms.style.clipPath = `inset(${((1 - scale(rmsDb)) * 100).toFixed(2)}% 0 0 0)`;
      c.peak.style.bottom = `${(scale(c.held) * 100).toFixed(2)}%`;
      c.peak.classList.toggle('over', c.held > 0);
      c.element.setAttribute('aria-valuenow', Math.max(FLOOR_DB, peakDb).toFixed(1));
      c.element.dataset.rms = Math.max(FLOOR_DB, rmsDb).toFixed(1);
    });
  }

  return { element, set };
}
