// Effects as the panel reads them: names for kinds and choices, and the
// magnitude response of a filter or an EQ band computed from its parameters
// exactly as the engine designs it (engine/effect/svf.py). Pure functions of
// plain data, so they can be checked against the engine on their own.
import { formatValue } from './params.js';

const KIND_LABELS = {
  filter: 'Filter',
  eq_filter: 'EQ',
  delay: 'Delay',
  reverb: 'Reverb',
  distortion: 'Distortion',
  compressor: 'Compressor',
  panning_control: 'Panner',
  volume_control: 'Gain',
  limiter: 'Limiter',
};

const CHOICE_LABELS = {
  low_pass: 'Low-pass',
  band_pass: 'Band-pass',
  high_pass: 'High-pass',
  notch: 'Notch',
  bell: 'Bell',
  low_shelf: 'Low shelf',
  high_shelf: 'High shelf',
  hard_clip: 'Hard clip',
  soft_clip: 'Soft clip',
};

// What a rack slot has room for.
const SHORT_KINDS = { compressor: 'Comp', distortion: 'Dist' };
const SHORT_CHOICES = {
  low_pass: 'LP', band_pass: 'BP', high_pass: 'HP', notch: 'Notch',
  bell: 'Bell', low_shelf: 'Lo shelf', high_shelf: 'Hi shelf', hard_clip: 'Hard', soft_clip: 'Soft',
};

const PARAMETER_LABELS = {
  delay_time: 'Time',
  makeup_gain: 'Makeup',
  stereo_width: 'Width',
  threshold: 'Thresh',
};

/** "Filter", "EQ", "Compressor"…: what the panel calls a kind of effect. */
export function kindLabel(kind) {
  return KIND_LABELS[kind] || String(kind).replace(/_/g, ' ');
}

/** "Low-pass", "Low shelf"…: a choice's value as the panel writes it. */
export function choiceLabel(value) {
  return CHOICE_LABELS[value] || String(value).replace(/_/g, ' ');
}

/** A kind and a choice as a rack slot writes them: "Comp", "Hi shelf". */
export function shortLabel(kindOrChoice) {
  return SHORT_KINDS[kindOrChoice] || SHORT_CHOICES[kindOrChoice] || kindLabel(kindOrChoice);
}

/** A parameter's short caption under its knob: "Cutoff", "Time", "Makeup". */
export function parameterLabel(name) {
  const text = PARAMETER_LABELS[name] || name.replace(/_/g, ' ');
  return text[0].toUpperCase() + text.slice(1);
}

/** A parameter's value with its unit, frequencies as a desk writes them: "800 Hz", "2.40 kHz". */
export function formatParameter(spec, value) {
  if (spec?.unit !== 'Hz' || !Number.isFinite(value)) return formatValue(spec, value);
  return value >= 1000 ? `${(value / 1000).toFixed(value >= 10000 ? 1 : 2)} kHz` : `${Math.round(value)} Hz`;
}

/**
 * What an effect is called on its track: its kind, numbered in chain order
 * when the chain holds more than one of that kind ("Filter 2").
 */
export function effectLabel(effect, chain = []) {
  const same = chain.filter((e) => e.kind === effect.kind);
  const name = kindLabel(effect.kind);
  return same.length > 1 ? `${name} ${same.findIndex((e) => e.id === effect.id) + 1}` : name;
}

/** Whether the panel can draw the effect's frequency response. */
export function hasResponse(effect) {
  return effect?.kind === 'filter' || effect?.kind === 'eq_filter';
}

// As the engine: above this fraction of the rate a frequency acts as it; Q never below MIN_Q.
const MAX_RELATIVE_FREQUENCY = 0.49;
const MIN_Q = 0.01;
const clamp = (x, lo, hi) => Math.min(Math.max(x, lo), hi);

/**
 * The state-variable filter's design for an effect: prewarped g, damping k
 * and output mix m0 + m1·band + m2·low (engine/effect/svf.py `design`).
 */
export function svfDesign(effect, sampleRate) {
  const v = effect.values || {};
  const c = effect.choices || {};
  const relative = clamp((effect.kind === 'filter' ? v.cutoff : v.frequency) / sampleRate, 0, MAX_RELATIVE_FREQUENCY);
  let g = Math.tan(Math.PI * relative);
  if (effect.kind === 'filter') {
    const k = 2 - 1.9 * clamp(v.resonance ?? 0, 0, 1);
    const outputs = { low_pass: [0, 0, 1], band_pass: [0, 1, 0], high_pass: [1, -k, -1], notch: [1, -k, 0] };
    const [m0, m1, m2] = outputs[c.mode || 'low_pass'];
    return { g, k, m0, m1, m2 };
  }
  const a = Math.exp((v.gain ?? 0) * (Math.LN10 / 40));
  const q = Math.max(v.q ?? 1, MIN_Q);
  const shape = c.shape || 'bell';
  if (shape === 'bell') {
    const k = 1 / (q * a);
    return { g, k, m0: 1, m1: k * (a * a - 1), m2: 0 };
  }
  const k = 1 / q;
  if (shape === 'low_shelf') {
    g /= Math.sqrt(a);
    return { g, k, m0: 1, m1: k * (a - 1), m2: a * a - 1 };
  }
  g *= Math.sqrt(a);
  return { g, k, m0: a * a, m1: k * (1 - a) * a, m2: 1 - a * a };
}

/**
 * |H| of a filter or EQ band at `frequency` (Hz), dry/wet mix included.
 *
 * The trapezoidal SVF is the bilinear transform of the analog prototype
 * (m0·s² + (m0·k + m1)·s + m0 + m2) / (s² + k·s + 1), so on the unit circle
 * s = j·tan(π·f / rate) / g; the mix blends wet and dry as
 * sqrt(mix)·H + sqrt(1 - mix), as the engine's equal-power blend does.
 */
export function magnitude(effect, frequency, sampleRate) {
  const { g, k, m0, m1, m2 } = svfDesign(effect, sampleRate);
  const w = Math.tan(Math.PI * Math.min(frequency / sampleRate, 0.4999)) / g;
  const denRe = 1 - w * w;
  const denIm = k * w;
  const numRe = m0 * (1 - w * w) + m2;
  const numIm = (m0 * k + m1) * w;
  const d = denRe * denRe + denIm * denIm;
  let re = (numRe * denRe + numIm * denIm) / d;
  let im = (numIm * denRe - numRe * denIm) / d;
  const mix = clamp(effect.values?.mix ?? 1, 0, 1);
  re = Math.sqrt(mix) * re + Math.sqrt(1 - mix);
  im = Math.sqrt(mix) * im;
  return Math.hypot(re, im);
}

/** The response in dB at each of `frequencies`; flat (0 dB) while the effect is bypassed. */
export function responseDb(effect, frequencies, sampleRate) {
  return frequencies.map((f) => (effect.bypassed ? 0 : 20 * Math.log10(Math.max(magnitude(effect, f, sampleRate), 1e-9))));
}

/** `count` frequencies spread evenly on a log scale from `low` to `high` Hz. */
export function logFrequencies(count, low = 20, high = 20000) {
  return Array.from({ length: count }, (_, i) => low * (high / low) ** (i / (count - 1)));
}
