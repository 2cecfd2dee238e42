// How a control shows a parameter of GET /api/parameters (the engine's table,
// engine/spec.py): a slider travels ui_low..ui_high on the parameter's scale,
// a typed number may be anything the engine accepts (low..high). Pure
// functions of a spec, so every control reads one definition the same way.

// Positions of a log-scale slider; for a rate of 0.25..4 that is 60 an
// octave, a fifth of a semitone per arrow key.
export const LOG_POSITIONS = 240;

const SIGNS = { x: '×' };

/** The unit as the panel writes it: 'dB', '×', 'Hz', or '' for a plain number. */
export function unitSign(spec) {
  return spec ? (SIGNS[spec.unit] ?? spec.unit) : '';
}

/** A label with the parameter's unit: "Volume (dB)"; a plain number gets none. */
export function withUnit(text, spec) {
  const sign = unitSign(spec);
  return sign ? `${text} (${sign})` : text;
}

function isLog(spec) {
  return spec.scale === 'log' && spec.ui_low > 0 && spec.ui_high > spec.ui_low;
}

function decimals(step) {
  if (!step) return 2;
  const text = String(step);
  return text.includes('.') ? text.split('.')[1].length : 0;
}

/** `value` on the parameter's step (or as it is when it has none). */
export function onStep(spec, value) {
  if (!spec.step) return value;
  return Number((Math.round(value / spec.step) * spec.step).toFixed(decimals(spec.step)));
}

/** min, max and step of an <input type=range>: the UI range, or positions on a log scale. */
export function sliderAttributes(spec) {
  if (isLog(spec)) return { min: '0', max: String(LOG_POSITIONS), step: '1' };
  return { min: String(spec.ui_low), max: String(spec.ui_high), step: spec.step ? String(spec.step) : 'any' };
}

/** The slider position that shows `value` (held to the slider's travel). */
export function toSlider(spec, value) {
  const v = Math.min(Math.max(value, spec.ui_low), spec.ui_high);
  if (!isLog(spec)) return v;
  return Math.round((LOG_POSITIONS * Math.log(v / spec.ui_low)) / Math.log(spec.ui_high / spec.ui_low));
}

/** The parameter's value at a slider position. */
export function fromSlider(spec, position) {
  const p = Number(position);
  if (!isLog(spec)) return onStep(spec, p);
  const v = spec.ui_low * (spec.ui_high / spec.ui_low) ** (p / LOG_POSITIONS);
  return onStep(spec, Math.min(Math.max(v, spec.ui_low), spec.ui_high));
}

/**
 * min, max and step of an <input type=number>: what the engine accepts,
 * times `factor` for a control in other units (BPM for ticks per second).
 */
export function numberAttributes(spec, factor = 1) {
  return {
    min: String(spec.low * factor),
    max: String(spec.high * factor),
    step: spec.step ? String(spec.step * factor) : 'any',
  };
}

/** Set an input's attributes from one of the functions above. */
export function applyAttributes(input, attributes) {
  for (const [key, value] of Object.entries(attributes)) input.setAttribute(key, value);
}

/** A value with the parameter's unit: "1.00×", "2.0 Hz"; a bare number while the table has not loaded. */
export function formatValue(spec, value) {
  if (!Number.isFinite(value)) return '–';
  if (!spec) return value.toFixed(2);
  const sign = unitSign(spec);
  const text = value.toFixed(Math.max(decimals(spec.step), spec.scale === 'log' ? 2 : 0));
  if (!sign) return text;
  return sign === '×' ? `${text}${sign}` : `${text} ${sign}`;
}
