// Listen: subscribe to the `monitor` topic and play the main mix in the
// browser. Blocks (PCM s16le, base64) are scheduled back to back as
// AudioBufferSourceNodes a little ahead of the clock; that lead is the
// jitter buffer that absorbs uneven network delivery.
import { h } from './dom.js';

const LEAD = 0.12; // seconds of audio kept queued after an underrun
const MAX_LEAD = 0.6; // beyond this the panel has fallen behind: drop blocks

export function createListen(actions) {
  const button = h('button', { type: 'button', class: 'listen', id: 'listen', 'aria-pressed': 'false' }, 'Listen');
  const note = h('span', { class: 'hint listen-note', 'aria-live': 'polite' }, 'Hear the main mix here');
  let ctx = null;
  let stopBlocks = null;
  let nextTime = 0;
  let blocks = 0;

  function play({ sample_rate: rate, channels = 2, data }) {
    if (!ctx || !data || !rate) return;
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const frames = Math.floor(bytes.length / 2 / channels);
    if (!frames) return;
    const buffer = ctx.createBuffer(2, frames, rate);
    const left = buffer.getChannelData(0);
    const right = buffer.getChannelData(1);
    for (let i = 0; i < frames; i += 1) {
      const at = i * channels * 2;
      left[i] = view.getInt16(at, true) / 32768;
      right[i] = channels > 1 ? view.getInt16(at + 2, true) / 32768 : left[i];
    }
    const now = ctx.currentTime;
    if (nextTime < now + 0.01) nextTime = now + LEAD;
    if (nextTime > now + MAX_LEAD) return;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(ctx.destination);
    source.start(nextTime);
    nextTime += buffer.duration;
    blocks += 1;
    button.dataset.blocks = String(blocks);
  }

  async function start() {
    ctx = new AudioContext({ latencyHint: 'interactive' });
    await ctx.resume();
    nextTime = 0;
    button.setAttribute('aria-pressed', 'true');
    note.textContent = 'Listening to the main mix';
    stopBlocks = await actions.listen(play);
  }

  async function stop() {
    button.setAttribute('aria-pressed', 'false');
    note.textContent = 'Hear the main mix here';
    const stopping = stopBlocks;
    stopBlocks = null;
    const closing = ctx;
    ctx = null;
    if (stopping) await stopping();
    if (closing) await closing.close();
  }

  button.addEventListener('click', () => {
    const on = button.getAttribute('aria-pressed') === 'true';
    (on ? stop() : start()).catch((err) => {
      note.textContent = `Cannot listen: ${err.detail || err.message}`;
    });
  });

  return h('div', { class: 'listen-row' }, button, note);
}
