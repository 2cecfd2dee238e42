// The scene, seen from above: each listener an arrow pointing where it
// faces, each spatial track a dot ringed by its min and max distance and
// glowing with its level. Drag a dot, or focus it and use the arrow keys, to
// move its track: the panel sends tweened position changes, one per tween at
// most, so the sound glides instead of jumping.
import { h, field, throttle, showError, clearError, errorLine, ampToDb, formatDb } from './dom.js';
import { arrowRotation, clampTo, formatMetres, fromView, nudge, placeNew, round, toView } from './scene-geometry.js';

const SVG = 'http://www.w3.org/2000/svg';
const TWEEN = { duration: 0.05, easing: 'linear' }; // one position change glides into the next
const SEND_EVERY_MS = 50;
const HOLD_MS = 600; // how long a position the user set wins over the service's echo
const STEP = 0.5; // metres an arrow key moves a dot; Shift moves ten times as far
const RANGES = [10, 25, 50, 100]; // metres from the centre of the view to its edge
const FLOOR_DB = -60;
const DEFAULT_DISTANCES = { min: 1, max: 20 };

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

function setAll(el, attrs) {
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
}

/** A level from 0 (silent, -60 dB or less) to 1 (full scale), for the glow and the bar. */
function levelOf(amplitude) {
  const db = ampToDb(amplitude);
  return Number.isFinite(db) ? Math.min(Math.max((db - FLOOR_DB) / -FLOOR_DB, 0), 1) : 0;
}

export function createScene(scene, store, actions) {
  const error = errorLine();
  const report = (err) => showError(error, err);
  const dots = new Map(); // spatial track id -> its drawing and its row in the list
  const arrows = new Map(); // listener id -> its drawing
  const held = new Map(); // spatial track id -> {position, at}: where the user put it
  let range = 25;

  // ---- controls ----------------------------------------------------------

  const sound = h('select', { name: 'scene_sound' });
  const minimum = h('input', { type: 'number', name: 'min_distance', value: String(DEFAULT_DISTANCES.min), min: '0', step: 'any', inputmode: 'decimal' });
  const maximum = h('input', { type: 'number', name: 'max_distance', value: String(DEFAULT_DISTANCES.max), min: '0', step: 'any', inputmode: 'decimal' });
  const zoom = h('select', { name: 'scene_range', onchange: () => setRange(Number(zoom.value)) },
    ...RANGES.map((r) => h('option', { value: String(r), selected: r === range }, `±${r} m`)));
  const facing = h('input', { type: 'range', name: 'listener_yaw', min: '-180', max: '180', step: '1', value: '0', disabled: true });
  const facingValue = h('output', { class: 'value' }, '0°');
  let facingAt = -Infinity;

  const addForm = h(
    'form',
    { class: 'scene-add', onsubmit: addTrack },
    field('Sound', sound),
    field('Min (m)', minimum),
    field('Max (m)', maximum),
    h('button', { type: 'submit', id: 'add-spatial-track' }, 'Add spatial track'),
  );
  const controls = h(
    'div',
    { class: 'scene-controls' },
    h('button', { type: 'button', id: 'add-listener', onclick: addListener }, 'Add listener'),
    h('div', { class: 'slider scene-facing' }, field('Facing (°)', facing), facingValue),
    field('View', zoom),
  );

  function fillSounds() {
    const chosen = sound.value;
    sound.replaceChildren(
      h('option', { value: '' }, 'Silent'),
      ...store.state.sounds.map((s) => h('option', { value: s.id, selected: s.id === chosen }, s.name)),
    );
  }
  fillSounds();
  store.on('sounds', fillSounds);

  const turn = throttle((id, yaw) => {
    actions.setListener(id, { orientation: { yaw }, tween: TWEEN }).catch(report);
  }, SEND_EVERY_MS);
  facing.addEventListener('input', () => {
    const first = scene.state.listeners[0];
    if (!first) return;
    facingAt = performance.now();
    facingValue.textContent = `${facing.value}°`;
    clearError(error);
    turn(first.id, Number(facing.value));
  });

  async function listenerOrNew() {
    const first = scene.state.listeners[0];
    if (first) return first;
    const made = await actions.addListener({});
    scene.addListener(made);
    return made;
  }

  async function addListener() {
    clearError(error);
    try {
      scene.addListener(await actions.addListener({}));
    } catch (err) {
      report(err);
    }
  }

  async function addTrack(e) {
    e.preventDefault();
    clearError(error);
    try {
      const listener = await listenerOrNew();
      const track = await actions.addSpatialTrack({
        listener: listener.id,
        position: placeNew(listener.position, scene.state.tracks.size),
        distances: { min: Number(minimum.value), max: Number(maximum.value) },
      });
      scene.addTrack(track);
      if (sound.value) await actions.play(sound.value, { track: track.id, loop: true });
      dots.get(track.id)?.dot.focus();
    } catch (err) {
      report(err);
    }
  }

  // ---- the view ------------------------------------------------------------

  const grid = svg('g', { class: 'scene-grid', 'aria-hidden': 'true' });
  const rings = svg('g', { class: 'scene-rings', 'aria-hidden': 'true' });
  const emitters = svg('g', { class: 'scene-emitters' });
  const ears = svg('g', { class: 'scene-listeners' });
  const view = svg(
    'svg',
    { class: 'scene-view', id: 'scene-view', role: 'group', 'aria-label': 'Scene seen from above, ahead is up' },
    grid,
    rings,
    emitters,
    ears,
  );
  const hint = h('p', { class: 'hint', id: 'scene-hint' }, 'Drag a dot, or focus it and use the arrow keys (Shift: 5 m), to move its track.');
  const empty = h('p', { class: 'empty' }, 'No spatial tracks yet.');
  const list = h('ul', { class: 'scene-list', id: 'scene-list', 'aria-label': 'Spatial tracks' });

  /** Metres a screen pixel spans, so dots, arrows and labels keep their size whatever the view's. */
  function pixel() {
    return (2 * range) / (view.clientWidth || 480);
  }

  function drawGrid() {
    const step = range / 5;
    const parts = [];
    const diagonal = Math.SQRT1_2;
    for (let r = step; r <= range + 1e-9; r += step) {
      parts.push(svg('circle', { cx: 0, cy: 0, r, class: 'grid-ring' }));
      const at = { x: r * diagonal + 3 * pixel(), y: r * diagonal + 10 * pixel(), 'font-size': 10 * pixel() };
      parts.push(svg('text', { ...at, class: 'grid-label' }, `${round(r)} m`));
    }
    parts.push(svg('line', { x1: -range, y1: 0, x2: range, y2: 0, class: 'grid-axis' }));
    parts.push(svg('line', { x1: 0, y1: -range, x2: 0, y2: range, class: 'grid-axis' }));
    grid.replaceChildren(...parts);
    setAll(view, { viewBox: `${-range} ${-range} ${2 * range} ${2 * range}` });
  }

  function setRange(metres) {
    range = metres;
    drawGrid();
    render();
  }

  function labelOf(id) {
    const names = [...store.state.voices.values()]
      .filter((v) => v.track === id && v.state !== 'stopped')
      .map((v) => store.soundName(v.sound));
    const number = String(id).split('-')[1] ?? id;
    return names.length ? [...new Set(names)].join(', ') : `Emitter ${number}`;
  }

  /** Metres from `position` to the listener `id`, as the panel last heard of it; null without one. */
  function distanceTo(position, id) {
    const listener = scene.state.listeners.find((l) => l.id === id);
    return listener ? Math.hypot(...position.map((v, i) => v - listener.position[i])) : null;
  }

  function positionOf(place) {
    const mine = held.get(place.id);
    if (mine && performance.now() - mine.at < HOLD_MS) return mine.position;
    held.delete(place.id);
    return place.position;
  }

  const push = throttle((id, position) => {
    actions.moveSpatialTrack(id, position, TWEEN).catch(report);
  }, SEND_EVERY_MS);

  /** Send a track to `position`, shown there at once; a drag stays inside the view (`keep`). */
  function moveTo(id, position, keep = false) {
    const rounded = position.map(round);
    const next = keep ? clampTo(rounded, range) : rounded;
    held.set(id, { position: next, at: performance.now() });
    clearError(error);
    push(id, next);
    render();
  }

  function createDot(place) {
    const id = place.id;
    const glow = svg('circle', { class: 'glow' });
    const core = svg('circle', { class: 'core' });
    const label = svg('text', { class: 'emitter-label' });
    const dot = svg('g', {
      class: 'emitter',
      tabindex: 0,
      role: 'button',
      'aria-roledescription': 'spatial track',
      'aria-describedby': 'scene-hint',
      'data-id': id,
    }, glow, core, label);
    const inner = svg('circle', { class: 'min-ring' });
    const outer = svg('circle', { class: 'max-ring' });
    let dragging = null;

    dot.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      dot.focus();
      dot.setPointerCapture(e.pointerId);
      dragging = e.pointerId;
      dot.classList.add('dragging');
    });
    dot.addEventListener('pointermove', (e) => {
      if (dragging !== e.pointerId) return;
      const matrix = view.getScreenCTM();
      if (!matrix) return;
      const point = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix.inverse());
      const current = positionOf(scene.state.tracks.get(id) || place);
      moveTo(id, fromView(point, current[1]), true);
    });
    const drop = (e) => {
      if (dragging !== e.pointerId) return;
      dragging = null;
      dot.classList.remove('dragging');
    };
    dot.addEventListener('pointerup', drop);
    dot.addEventListener('pointercancel', drop);
    dot.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? STEP * 10 : STEP;
      const by = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[e.key];
      if (!by) return;
      e.preventDefault();
      const current = positionOf(scene.state.tracks.get(id) || place);
      moveTo(id, nudge(current, ...by));
    });

    const where = h('span', { class: 'scene-where' });
    const away = h('span', { class: 'scene-away' });
    const bar = h('div', { class: 'fill' });
    const meter = h('div', {
      class: 'scene-level',
      role: 'meter',
      'aria-valuemin': String(FLOOR_DB),
      'aria-valuemax': '0',
      'aria-valuenow': String(FLOOR_DB),
    }, bar);
    const name = h('span', { class: 'scene-name' });
    const remove = h('button', {
      type: 'button',
      class: 'ghost',
      onclick: async () => {
        clearError(error);
        try {
          await actions.removeSpatialTrack(id);
          scene.removeTrack(id);
        } catch (err) {
          report(err);
        }
      },
    }, '✕');
    const row = h('li', { class: 'scene-track', dataset: { id } }, name, remove, where, away, meter);
    rings.append(inner, outer);
    emitters.append(dot);
    list.append(row);
    return { dot, glow, core, label, inner, outer, row, name, where, away, meter, bar, remove };
  }

  function drawDot(parts, place) {
    const position = positionOf(place);
    const { x, y } = toView(position);
    const size = 6 * pixel();
    const peak = scene.peak(place.id);
    const level = levelOf(peak);
    const db = Math.max(FLOOR_DB, ampToDb(peak));
    const name = labelOf(place.id);
    const distance = held.has(place.id) ? distanceTo(position, place.listener) : place.distance;
    setAll(parts.core, { cx: x, cy: y, r: size });
    setAll(parts.glow, { cx: x, cy: y, r: size * (1.3 + 2.2 * level), opacity: (0.12 + 0.5 * level).toFixed(3) });
    // The name goes on the side of the dot with room for it.
    const left = x > range * 0.45;
    setAll(parts.label, {
      x: x + (left ? -1 : 1) * size * 1.8,
      y: y - size * 1.2,
      'font-size': 12 * pixel(),
      'text-anchor': left ? 'end' : 'start',
    });
    parts.label.textContent = name;
    setAll(parts.inner, { cx: x, cy: y, r: place.distances.min });
    setAll(parts.outer, { cx: x, cy: y, r: place.distances.max });
    const text = `x ${position[0].toFixed(1)}, z ${position[2].toFixed(1)} m`;
    parts.dot.setAttribute('aria-label', `${name}: ${text}`);
    parts.dot.dataset.x = String(position[0]);
    parts.dot.dataset.z = String(position[2]);
    parts.dot.dataset.level = db.toFixed(1);
    parts.dot.classList.toggle('orphan', place.listener === null);
    parts.name.textContent = name;
    parts.where.textContent = text;
    parts.away.textContent = place.listener === null ? 'no listener' : `${formatMetres(distance ?? NaN)} away`;
    parts.bar.style.width = `${(level * 100).toFixed(1)}%`;
    parts.meter.setAttribute('aria-valuenow', db.toFixed(1));
    parts.meter.setAttribute('aria-label', `${name} level`);
    parts.meter.setAttribute('aria-valuetext', formatDb(db));
    parts.remove.setAttribute('aria-label', `Remove ${name}`);
  }

  function drawArrow(parts, listener) {
    const { x, y } = toView(listener.position);
    const size = 16 * pixel();
    const yaw = Number(listener.orientation?.yaw) || 0;
    setAll(parts.group, { transform: `translate(${x} ${y}) rotate(${arrowRotation(yaw)}) scale(${size})` });
    parts.group.dataset.yaw = String(yaw);
    parts.group.setAttribute('aria-label', `Listener facing ${Math.round(yaw)}°`);
  }

  function createArrow(listener) {
    const group = svg('g', { class: 'listener', role: 'img', 'data-id': listener.id },
      svg('path', { d: 'M 0 -1 L 0.7 0.8 L 0 0.4 L -0.7 0.8 Z', 'vector-effect': 'non-scaling-stroke' }));
    ears.append(group);
    return { group };
  }

  function render() {
    const state = scene.state;
    for (const [id, parts] of [...dots]) {
      if (state.tracks.has(id)) continue;
      for (const el of [parts.dot, parts.inner, parts.outer, parts.row]) el.remove();
      dots.delete(id);
      held.delete(id);
    }
    for (const place of state.tracks.values()) {
      if (!dots.has(place.id)) dots.set(place.id, createDot(place));
      drawDot(dots.get(place.id), place);
    }
    const listenerIds = new Set(state.listeners.map((l) => l.id));
    for (const [id, parts] of [...arrows]) {
      if (listenerIds.has(id)) continue;
      parts.group.remove();
      arrows.delete(id);
    }
    for (const listener of state.listeners) {
      if (!arrows.has(listener.id)) arrows.set(listener.id, createArrow(listener));
      drawArrow(arrows.get(listener.id), listener);
    }
    const first = state.listeners[0];
    facing.disabled = !first;
    if (first && performance.now() - facingAt > HOLD_MS && document.activeElement !== facing) {
      const yaw = Math.round(Number(first.orientation?.yaw) || 0);
      facing.value = String(yaw);
      facingValue.textContent = `${yaw}°`;
    }
    empty.hidden = state.tracks.size > 0;
  }

  drawGrid();
  render();
  scene.on(render);
  new ResizeObserver(() => {
    drawGrid();
    render();
  }).observe(view);
  store.on('voices', render);

  return h(
    'section',
    { class: 'panel scene', id: 'scene', 'aria-labelledby': 'scene-title' },
    h('h2', { id: 'scene-title' }, 'Scene'),
    controls,
    addForm,
    error,
    h('div', { class: 'scene-body' }, h('div', { class: 'scene-stage' }, view), h('div', { class: 'scene-side' }, hint, empty, list)),
  );
}
