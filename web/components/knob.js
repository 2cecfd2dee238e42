// A rotary knob for a parameter of the table (pan, a send level, an effect's
// cutoff): a slider to assistive technology and the keyboard (arrows, Page
// Up/Down, Home/End), dragged up and down with a pointer (Shift for fine),
// back to the parameter's default on double-click. It travels ui_low..ui_high
// on the parameter's scale, as params.js lays a slider out.
import { h, createHold } from './dom.js';
import { formatValue, fromSlider, sliderAttributes, toSlider } from '../params.js';

const SVG = 'http://www.w3.org/2000/svg';
const SWEEP = 270; // degrees from the lowest to the highest position
const DRAG_PX = 160; // pointer travel for the whole range
const FINE = 0.1; // drag factor with Shift held
const STEPS = 100; // keyboard steps across a range that has no step of its own
const R = 15;

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The point at `fraction` (0..1) of the sweep, on a circle of radius `r` about (18, 18). */
function at(fraction, r) {
  const angle = ((-SWEEP / 2 + fraction * SWEEP - 90) * Math.PI) / 180;
  return [18 + r * Math.cos(angle), 18 + r * Math.sin(angle)];
}

function arc(from, to, r) {
  const [a, b] = from <= to ? [from, to] : [to, from];
  const [x1, y1] = at(a, r);
  const [x2, y2] = at(b, r);
  const large = (b - a) * SWEEP > 180 ? 1 : 0;
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${r} ${r} 0 ${large} 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

/**
 * `label` names it for assistive technology; `caption` is the few letters
 * printed under it. `format(value, spec)` writes a value; `origin(spec)` is
 * where its lit arc starts (the low end unless said: panning's is the centre).
 * `onInput(value)` hears every change the user makes.
 */
export function createKnob({ label, caption = '', name, format = (v, spec) => formatValue(spec, v), origin, onInput = () => {} }) {
  const track = svg('path', { class: 'knob-track', d: arc(0, 1, R) });
  const lit = svg('path', { class: 'knob-value' });
  const pointer = svg('line', { class: 'knob-pointer', x1: 18, y1: 18, x2: 18, y2: 6 });
  const face = svg('svg', { viewBox: '0 0 36 36', 'aria-hidden': 'true', class: 'knob-face' });
  face.append(track, lit, svg('circle', { class: 'knob-cap', cx: 18, cy: 18, r: 11 }), pointer);
  const readout = h('span', { class: 'knob-readout', 'aria-hidden': 'true' });
  const dial = h(
    'div',
    { class: 'knob-dial', role: 'slider', tabindex: 0, 'aria-label': label, 'aria-disabled': 'true', dataset: { name } },
    face,
  );
  const element = h('div', { class: 'knob', dataset: { name } }, dial, h('span', { class: 'knob-caption', 'aria-hidden': 'true' }, caption), readout);

  let spec = null;
  let bounds = null; // slider positions {min, max, step}
  let value = NaN;
  const hold = createHold((next) => {
    if (!Number.isFinite(next) || next === value) return;
    value = next;
    draw();
  });

  const position = () => toSlider(spec, value);
  const fraction = (p) => (bounds.max > bounds.min ? (p - bounds.min) / (bounds.max - bounds.min) : 0);

  function draw() {
    const text = spec && Number.isFinite(value) ? format(value, spec) : '–';
    readout.textContent = text;
    dial.setAttribute('aria-valuetext', text);
    if (!spec || !Number.isFinite(value)) return;
    const f = Math.min(Math.max(fraction(position()), 0), 1);
    const from = origin ? fraction(toSlider(spec, origin(spec))) : 0;
    lit.setAttribute('d', Math.abs(f - from) > 1e-3 ? arc(from, f, R) : '');
    const [x, y] = at(f, 9);
    pointer.setAttribute('x2', x.toFixed(2));
    pointer.setAttribute('y2', y.toFixed(2));
    dial.setAttribute('aria-valuenow', String(value));
  }

  /** The user moved it to slider position `p`. */
  function moveTo(p) {
    if (!spec) return;
    const held = Math.min(Math.max(p, bounds.min), bounds.max);
    const next = fromSlider(spec, held);
    hold.touch();
    if (next === value) return;
    value = next;
    draw();
    onInput(value);
  }

  const keyStep = () => bounds.step || (bounds.max - bounds.min) / STEPS;

  dial.addEventListener('keydown', (e) => {
    if (!spec) return;
    const step = keyStep();
    const p = position();
    const moves = {
      ArrowUp: step, ArrowRight: step, ArrowDown: -step, ArrowLeft: -step,
      PageUp: step * 10, PageDown: -step * 10,
    };
    if (e.key in moves) moveTo(p + moves[e.key]);
    else if (e.key === 'Home') moveTo(bounds.min);
    else if (e.key === 'End') moveTo(bounds.max);
    else return;
    e.preventDefault();
  });

  // Dragging keeps the slider position as a real number, so slow, fine drags still add up.
  let drag = null;
  dial.addEventListener('pointerdown', (e) => {
    if (!spec || e.button !== 0) return;
    dial.focus();
    dial.setPointerCapture(e.pointerId);
    drag = { y: e.clientY, p: position() };
    e.preventDefault();
  });
  dial.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const travel = ((drag.y - e.clientY) / DRAG_PX) * (bounds.max - bounds.min) * (e.shiftKey ? FINE : 1);
    drag.y = e.clientY;
    drag.p = Math.min(Math.max(drag.p + travel, bounds.min), bounds.max);
    moveTo(bounds.step ? Math.round(drag.p / bounds.step) * bounds.step : drag.p);
  });
  const endDrag = () => (drag = null);
  dial.addEventListener('pointerup', endDrag);
  dial.addEventListener('pointercancel', endDrag);
  dial.addEventListener('dblclick', () => spec && moveTo(toSlider(spec, spec.default)));

  return {
    element,
    dial,

    /** Size it from a parameter spec (null while the table has not loaded). */
    setSpec(next) {
      spec = next || null;
      if (spec) {
        const attrs = sliderAttributes(spec);
        bounds = { min: Number(attrs.min), max: Number(attrs.max), step: attrs.step === 'any' ? 0 : Number(attrs.step) };
        dial.setAttribute('aria-valuemin', String(spec.ui_low));
        dial.setAttribute('aria-valuemax', String(spec.ui_high));
        if (!Number.isFinite(value)) value = spec.default;
      }
      dial.setAttribute('aria-disabled', String(!spec));
      draw();
    },

    /** Show what the service says, unless the user has just moved it (their value is on its way). */
    follow(next) {
      hold.report(next);
    },

    get value() {
      return value;
    },
  };
}
