// Attach an LFO to a voice's volume or panning: add an LFO modulator, then
// set the voice's parameter to that modulator through a mapping. Detaching
// puts the slider's value back and removes the modulator.
import { h, field } from './dom.js';
import { applyAttributes, numberAttributes, withUnit } from '../params.js';

// How far the LFO swings by default: below the slider for volume, each side for panning.
const DEFAULT_DEPTH = { volume: 12, panning: 1 };

export function createLfo(store, actions, { voiceId, baseValue, report, clear }) {
  const target = h(
    'select',
    { name: 'lfo_target' },
    h('option', { value: 'volume' }, 'volume'),
    h('option', { value: 'panning' }, 'panning'),
  );
  const frequency = h('input', { type: 'number', name: 'lfo_frequency', value: '1', inputmode: 'decimal' });
  const frequencyLabel = field('Frequency', frequency);
  const depth = h('input', { type: 'number', name: 'lfo_depth', inputmode: 'decimal' });
  const depthLabel = field('Depth', depth);
  target.addEventListener('change', () => useSpecs(true));
  const toggle = h('button', { type: 'button', class: 'lfo-toggle', onclick: () => (state.target ? detach() : attach()) }, 'Attach LFO');
  const element = h(
    'details',
    { class: 'lfo' },
    h('summary', {}, 'LFO'),
    h('div', { class: 'settings-grid' }, field('Target', target), frequencyLabel, depthLabel, toggle),
  );

  const state = { target: null, modulator: null };

  /** Ranges from the parameter table: the LFO's frequency, and a depth within the target's travel. */
  function useSpecs(resetDepth = false) {
    const rate = store.parameter('lfo', 'frequency');
    if (rate) applyAttributes(frequency, numberAttributes(rate));
    frequencyLabel.querySelector('span').textContent = withUnit('Frequency', rate);
    const key = target.value;
    const spec = store.parameter('sound', key);
    if (!spec) return;
    // Depth is decibels below the slider for volume, a swing each side for panning.
    const span = spec.ui_high - spec.ui_low;
    applyAttributes(depth, { min: '0', max: String(key === 'volume' ? span : span / 2), step: spec.step ? String(spec.step) : 'any' });
    depthLabel.querySelector('span').textContent = key === 'volume' ? withUnit('Depth', spec) : 'Depth (±)';
    if (resetDepth || depth.value === '') depth.value = String(DEFAULT_DEPTH[key]);
  }
  useSpecs();
  const offSpecs = store.on('parameters', () => useSpecs());

  function mapping(key, modulator) {
    const d = Number(depth.value);
    const spec = store.parameter('sound', key);
    if (key === 'volume') {
      const top = baseValue('volume');
      return { modulator, input_range: [-1, 1], output_range: [top - d, top], clamp_bottom: true, clamp_top: true };
    }
    const centre = baseValue('panning');
    return {
      modulator,
      input_range: [-1, 1],
      output_range: [Math.max(spec.low, centre - d), Math.min(spec.high, centre + d)],
      clamp_bottom: true,
      clamp_top: true,
    };
  }

  async function attach() {
    clear();
    const key = target.value;
    let mod;
    try {
      mod = await actions.addLfo({ waveform: 'sine', frequency: Number(frequency.value), amplitude: 1, offset: 0, phase: 0 });
      await actions.setVoice(voiceId, { [key]: mapping(key, mod.id) });
    } catch (err) {
      report(err);
      if (mod) actions.removeModulator(mod.id).catch(() => {});
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
      await actions.setVoice(voiceId, { [key]: baseValue(key), tween: { duration: 0.05, easing: 'linear' } });
    } catch (err) {
      report(err);
      return;
    }
    await release();
    target.disabled = false;
    toggle.textContent = 'Attach LFO';
    element.classList.remove('active');
  }

  /** Remove the modulator this row made. */
  async function release() {
    const modulator = state.modulator;
    state.target = null;
    state.modulator = null;
    if (modulator) await actions.removeModulator(modulator).catch(() => {});
  }

  return {
    element,
    /** The voice has left: remove its modulator and stop following the table. */
    destroy() {
      offSpecs();
      return release();
    },
    get target() {
      return state.target;
    },
  };
}
