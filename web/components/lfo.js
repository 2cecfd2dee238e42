// Attach an LFO to a voice's volume or panning: create an LFO modulator
// (POST /api/modulators), then set the voice's parameter to that modulator
// through a mapping. Detaching puts the slider's value back and removes it.
import { h, field } from './dom.js';

export function createLfo(client, { voiceId, baseValue, report, clear }) {
  const target = h(
    'select',
    { name: 'lfo_target' },
    h('option', { value: 'volume' }, 'volume'),
    h('option', { value: 'panning' }, 'panning'),
  );
  const frequency = h('input', { type: 'number', name: 'lfo_frequency', value: '1', min: 0.01, max: 20, step: 0.05, inputmode: 'decimal' });
  const depth = h('input', { type: 'number', name: 'lfo_depth', value: '12', min: 0, max: 60, step: 0.5, inputmode: 'decimal' });
  const depthLabel = field('Depth (dB)', depth);
  target.addEventListener('change', () => {
    // Depth means decibels below the slider for volume, swing each side for panning.
    const volume = target.value === 'volume';
    depthLabel.querySelector('span').textContent = volume ? 'Depth (dB)' : 'Depth (±)';
    depth.max = volume ? '60' : '1';
    depth.step = volume ? '0.5' : '0.05';
    depth.value = volume ? '12' : '1';
  });
  const toggle = h('button', { type: 'button', class: 'lfo-toggle', onclick: () => (state.target ? detach() : attach()) }, 'Attach LFO');
  const element = h(
    'details',
    { class: 'lfo' },
    h('summary', {}, 'LFO'),
    h('div', { class: 'settings-grid' }, field('Target', target), field('Rate (Hz)', frequency), depthLabel, toggle),
  );

  const state = { target: null, modulator: null };

  function mapping(key, modulator) {
    const d = Number(depth.value);
    if (key === 'volume') {
      const top = baseValue('volume');
      return { modulator, input_range: [-1, 1], output_range: [top - d, top], clamp_bottom: true, clamp_top: true };
    }
    const centre = baseValue('panning');
    return {
      modulator,
      input_range: [-1, 1],
      output_range: [Math.max(-1, centre - d), Math.min(1, centre + d)],
      clamp_bottom: true,
      clamp_top: true,
    };
  }

  async function attach() {
    clear();
    const key = target.value;
    let mod;
    try {
      mod = await client.request('POST', '/modulators', {
        type: 'lfo',
        waveform: 'sine',
        frequency: Number(frequency.value),
        amplitude: 1,
        offset: 0,
        phase: 0,
      });
      await client.call('voices.set', { id: voiceId, [key]: mapping(key, mod.id) });
    } catch (err) {
      report(err);
      if (mod) client.request('DELETE', `/modulators/${encodeURIComponent(mod.id)}`).catch(() => {});
      return;
    }
    state.target = key;
    state.modulator = mod.id;
    target.disabled = true;
    toggle.textContent = 'Detach LFO';
    element.classList.add('active');
  }

  async function detach() {
    clear();
    const key = state.target;
    try {
      await client.call('voices.set', { id: voiceId, [key]: baseValue(key), tween: { duration: 0.05, easing: 'linear' } });
    } catch (err) {
      report(err);
      return;
    }
    await release();
    target.disabled = false;
    toggle.textContent = 'Attach LFO';
    element.classList.remove('active');
  }

  /** Remove the modulator this row made; called when the voice leaves too. */
  async function release() {
    const modulator = state.modulator;
    state.target = null;
    state.modulator = null;
    if (modulator) {
      await client.request('DELETE', `/modulators/${encodeURIComponent(modulator)}`).catch(() => {});
    }
  }

  return {
    element,
    release,
    get target() {
      return state.target;
    },
  };
}
