// A channel strip's fader: a vertical slider in decibels with its readout,
// sized by the volume parameter of the table. Arrow keys move it a step, Page
// Up/Down ten, double-click puts it back to the default (unity), as on a desk.
import { h, formatDb, createHold } from './dom.js';
import { applyAttributes, fromSlider, sliderAttributes, toSlider } from '../params.js';

/** A track's volume is checked by the same definition as a sound's; a table may list it on its own. */
export function volumeSpec(store) {
  return store.parameter('track', 'volume') || store.parameter('sound', 'volume');
}

/** `label` names it ("Main volume"); `onInput(dB)` hears every change the user makes. */
export function createFader({ id, name, label, onInput = () => {} }) {
  const input = h('input', {
    type: 'range',
    id,
    class: 'fader',
    name,
    disabled: true, // until the parameter table says how far it travels
    'aria-label': label,
  });
  const readout = h('output', { class: 'value fader-readout', for: id }, formatDb(0));
  let spec = null;
  let value = 0;

  function show(next) {
    value = next;
    readout.textContent = formatDb(next);
    if (!spec) return;
    input.value = String(toSlider(spec, next));
    input.setAttribute('aria-valuetext', formatDb(next));
  }

  const hold = createHold((next) => {
    if (Number.isFinite(next) && next !== value) show(next);
  });

  const moved = () => {
    hold.touch();
    const next = fromSlider(spec, input.value);
    show(next);
    onInput(next);
  };
  input.addEventListener('input', moved);
  input.addEventListener('dblclick', () => {
    if (!spec) return;
    input.value = String(toSlider(spec, spec.default));
    moved();
  });

  return {
    input,
    readout,
    element: h('div', { class: 'fader-column' }, input),

    /** Size it from the volume spec (null while the table has not loaded). */
    setSpec(next) {
      spec = next || null;
      input.disabled = !spec;
      if (spec) applyAttributes(input, sliderAttributes(spec));
      show(value);
    },

    /** Show what the service says, unless the user has just moved it (their value is on its way). */
    follow(next) {
      hold.report(next);
    },
  };
}
