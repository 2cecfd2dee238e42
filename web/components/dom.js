// Small DOM and formatting helpers shared by the panel's components.

// How long a control keeps the value the user gave it over the service's
// reports, which lag a change by the time it takes to reach the engine and come back.
const HOLD_MS = 600;

/**
 * A control's value that both the user and the service set: after the user
 * touches it, reports are held back for HOLD_MS, then the latest is shown
 * (`apply(value)`), even if none comes after it: a state topic sends only
 * changes, so the last report may be the one that arrived during the hold.
 */
export function createHold(apply) {
  let touchedAt = -Infinity;
  let latest;
  let timer = null;
  function report(value) {
    latest = value;
    const wait = HOLD_MS - (performance.now() - touchedAt);
    if (wait <= 0) apply(value);
    else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        report(latest);
      }, wait + 1);
    }
  }
  return {
    report,
    /** The user has just set it. */
    touch() {
      touchedAt = performance.now();
    },
  };
}

/**
 * Create an element: h('button', {class: 'x', onclick: fn}, 'Play').
 * Keys starting with "on" become listeners, "dataset" and "style" objects are
 * merged, false/null attributes are left out, everything else is an attribute.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset' || key === 'style') {
      Object.assign(el[key], value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let uid = 0;
/** A unique id for label/input pairs. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled control: returns [label, control] wired by id. */
export function field(text, control) {
  if (!control.id) control.id = nextId('f');
  return h('label', { for: control.id, class: 'field' }, h('span', {}, text), control);
}

/**
 * Call fn at most once per `ms`, always delivering the latest arguments
 * (leading and trailing), so a dragged slider sends a steady stream of
 * changes and always ends on the value where the user let go.
 */
export function throttle(fn, ms) {
  let last = 0;
  let timer = null;
  let pending = null;
  const fire = () => {
    last = performance.now();
    timer = null;
    const args = pending;
    pending = null;
    fn(...args);
  };
  return (...args) => {
    pending = args;
    const wait = ms - (performance.now() - last);
    if (wait <= 0 && !timer) fire();
    else if (!timer) timer = setTimeout(fire, Math.max(wait, 0));
  };
}

/** Seconds as m:ss.t */
export function formatTime(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(1).padStart(4, '0');
  return `${m}:${rest}`;
}

export function formatDb(db) {
  if (!Number.isFinite(db)) return '–∞ dB';
  if (db <= -60) return '–∞ dB';
  const sign = db > 0 ? '+' : db < 0 ? '−' : '';
  return `${sign}${Math.abs(db).toFixed(1)} dB`;
}

export function formatPan(p) {
  if (Math.abs(p) < 0.005) return 'C';
  return `${p < 0 ? 'L' : 'R'}${Math.round(Math.abs(p) * 100)}`;
}

/** Linear amplitude (0..1+) to decibels, with silence at -Infinity. */
export function ampToDb(amp) {
  return amp > 0 ? 20 * Math.log10(amp) : -Infinity;
}

/** Show an API error (or any Error) in a message element next to its cause. */
export function showError(el, err, prefix = '') {
  const text = err && (err.detail || err.message) ? (err.detail || err.message) : String(err);
  el.textContent = prefix ? `${prefix}: ${text}` : text;
  el.hidden = false;
}

export function clearError(el) {
  el.textContent = '';
  el.hidden = true;
}

/** The message element components put next to the controls it speaks for. */
export function errorLine() {
  return h('p', { class: 'error', role: 'alert', hidden: true });
}

/** Put `elements` into `container` in this order, moving nodes only when the order differs; the focus stays where it was. */
export function arrange(container, elements) {
  const current = [...container.children];
  if (current.length === elements.length && current.every((el, i) => el === elements[i])) return;
  const focused = document.activeElement;
  container.replaceChildren(...elements);
  if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
}
