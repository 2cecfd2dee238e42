// A sound's waveform, drawn on a canvas from the sound's peaks.
import { h } from './dom.js';

const POINTS = 300;
const cache = new Map(); // sound id + shape -> Promise of {min, max}

export function createWaveform(actions, sound) {
  const canvas = h('canvas', {
    class: 'waveform',
    width: POINTS,
    height: 48,
    role: 'img',
    'aria-label': `Waveform of ${sound.name}`,
    dataset: { sound: sound.id },
  });
  // Keyed by more than the id: a restarted service may give an id to another sound.
  const key = `${sound.id}|${sound.name}|${sound.frames}`;
  if (!cache.has(key)) {
    const request = actions.waveform(sound.id, POINTS);
    request.catch(() => cache.delete(key));
    cache.set(key, request);
  }
  cache.get(key).then(
    (peaks) => draw(canvas, peaks),
    () => {
      canvas.dataset.failed = 'true';
    },
  );
  return canvas;
}

function draw(canvas, { min, max }) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const mid = height / 2;
  const n = Math.min(min.length, max.length);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = 'rgba(231, 176, 84, 0.18)';
  ctx.fillRect(0, mid, width, 1);
  ctx.fillStyle = '#d9a450';
  const step = width / Math.max(n, 1);
  for (let i = 0; i < n; i += 1) {
    const top = mid - Math.max(max[i], 0) * mid;
    const bottom = mid - Math.min(min[i], 0) * mid;
    ctx.fillRect(i * step, top, Math.max(step - 0.25, 1), Math.max(bottom - top, 1));
  }
  canvas.dataset.drawn = 'true';
}
