// A filter's or EQ band's frequency response, drawn as an SVG curve on a
// log-frequency, decibel grid from the effect's parameters (web/effects.js).
// The same drawing serves a strip's rack slot (small, no grid) and the
// effect editor (large, with its grid and labels).
import { logFrequencies, responseDb } from '../effects.js';

const SVG = 'http://www.w3.org/2000/svg';
const LOW_HZ = 20;
const HIGH_HZ = 20000;
const RANGE_DB = 24; // the grid shows ±24 dB, an EQ band's whole travel
const GRID_HZ = [100, 1000, 10000];
const GRID_DB = [-12, 0, 12];

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

const x = (hz, width) => (Math.log(hz / LOW_HZ) / Math.log(HIGH_HZ / LOW_HZ)) * width;
const y = (db, height) => height / 2 - (Math.max(-RANGE_DB * 1.5, Math.min(RANGE_DB * 1.5, db)) / RANGE_DB) * (height / 2);

/** `label` names the picture for assistive technology; `grid` draws the scale under the curve. */
export function createResponseCurve({ width, height, grid = false, label = 'Frequency response' }) {
  const points = Math.round(width / 2);
  const frequencies = logFrequencies(points, LOW_HZ, HIGH_HZ);
  const element = svg('svg', {
    class: grid ? 'response-curve large' : 'response-curve',
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': label,
  });
  if (grid) {
    for (const hz of GRID_HZ) {
      element.append(svg('line', { class: 'grid', x1: x(hz, width), x2: x(hz, width), y1: 0, y2: height }));
      const text = svg('text', { class: 'grid-label', x: x(hz, width) + 3, y: height - 4 });
      text.textContent = hz >= 1000 ? `${hz / 1000}k` : String(hz);
      element.append(text);
    }
    for (const db of GRID_DB) {
      element.append(svg('line', { class: db ? 'grid' : 'grid zero', x1: 0, x2: width, y1: y(db, height), y2: y(db, height) }));
      const text = svg('text', { class: 'grid-label', x: 3, y: y(db, height) - 3 });
      text.textContent = db > 0 ? `+${db}` : String(db);
      element.append(text);
    }
  }
  const fill = svg('path', { class: 'response-fill' });
  const line = svg('path', { class: 'response-line' });
  element.append(fill, line);

  return {
    element,
    /** Draw `effect`'s response at `sampleRate`; its highest, lowest-frequency and highest-frequency dB go in data-peak-db, data-low-db and data-high-db. */
    draw(effect, sampleRate) {
      const db = responseDb(effect, frequencies, sampleRate);
      const path = db.map((d, i) => `${i ? 'L' : 'M'}${x(frequencies[i], width).toFixed(1)} ${y(d, height).toFixed(1)}`).join(' ');
      line.setAttribute('d', path);
      fill.setAttribute('d', `${path} L${width} ${height / 2} L0 ${height / 2} Z`);
      element.dataset.bypassed = String(Boolean(effect.bypassed));
      element.dataset.peakDb = Math.max(...db).toFixed(2);
      element.dataset.lowDb = db[0].toFixed(2);
      element.dataset.highDb = db[db.length - 1].toFixed(2);
    },
  };
}
