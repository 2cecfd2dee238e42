// Engine status from the `engine` topic: output and device, sample rate,
// block size, the audio thread's load, underflows and connected clients.
import { h } from './dom.js';

const FIELDS = [
  ['output', 'Output'],
  ['device', 'Device'],
  ['sample_rate', 'Sample rate'],
  ['block_size', 'Block size'],
  ['load', 'Load'],
  ['underflows', 'Underflows'],
  ['late_blocks', 'Late blocks'],
  ['clients', 'Clients'],
];

function describe(key, value, engine) {
  if (value === null || value === undefined || value === '') return '–';
  switch (key) {
    case 'output':
    case 'device':
      if (typeof value === 'object') return value.name || value.kind || value.type || JSON.stringify(value);
      return String(value);
    case 'sample_rate':
      return `${(Number(value) / 1000).toFixed(1)} kHz`;
    case 'block_size': {
      const ms = engine.sample_rate ? ` (${((Number(value) / engine.sample_rate) * 1000).toFixed(1)} ms)` : '';
      return `${value} frames${ms}`;
    }
    case 'load':
      return `${(Number(value) * 100).toFixed(1)} %`;
    default:
      return String(value);
  }
}

export function createEngineStatus(store) {
  const cells = new Map();
  const list = h(
    'dl',
    { class: 'engine-list', id: 'engine-list' },
    ...FIELDS.flatMap(([key, label]) => {
      const dd = h('dd', { dataset: { field: key } }, '–');
      cells.set(key, dd);
      return [h('dt', {}, label), dd];
    }),
  );
  const loadBar = h('div', { class: 'load-bar', 'aria-hidden': 'true' }, h('div', { class: 'fill' }));
  cells.get('load').append(loadBar);

  store.on('engine', (engine) => {
    for (const [key] of FIELDS) {
      const dd = cells.get(key);
      const text = describe(key, engine[key], engine);
      if (dd.firstChild.nodeType === Node.TEXT_NODE) dd.firstChild.textContent = text;
      else dd.prepend(text);
      dd.classList.toggle('warn', (key === 'underflows' || key === 'late_blocks') && Number(engine[key]) > 0);
    }
    const load = Math.min(Math.max(Number(engine.load) || 0, 0), 1);
    loadBar.firstChild.style.width = `${(load * 100).toFixed(1)}%`;
    loadBar.classList.toggle('hot', load > 0.7);
  });

  return h(
    'section',
    { class: 'panel engine', id: 'engine', 'aria-labelledby': 'engine-title' },
    h('h2', { id: 'engine-title' }, 'Engine'),
    list,
  );
}
