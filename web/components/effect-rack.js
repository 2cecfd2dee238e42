// A channel strip's effect rack: its chain as a column of slots, first on
// top, each with its name (which opens it in the effect editor), a small
// response curve for a filter or EQ, a bypass light and a remove button;
// slots are dragged to reorder, or moved with Alt+Up / Alt+Down; a menu adds
// an effect of any kind at the bottom of the chain.
import { h, arrange, createHold } from './dom.js';
import { createResponseCurve } from './response-curve.js';
import { choiceLabel, effectLabel, hasResponse, kindLabel, shortLabel } from '../effects.js';

const DRAG_TYPE = 'application/x-mixdeck-effect';

/**
 * The rack of track `trackId` (called `label`). `report(err)` shows a
 * failure; `onEdit(effectId)` opens an effect in the editor; `isEditing(id)`
 * says whether the editor shows it.
 */
export function createEffectRack(store, actions, trackId, { label, report, onEdit, isEditing }) {
  const slots = new Map(); // effect id -> slot
  let chain = [];

  const menu = h('div', { class: 'rack-menu' });
  const add = h(
    'details',
    { class: 'rack-add' },
    h('summary', { 'aria-label': `Add an effect to ${label}` }, '+ FX'),
    menu,
  );
  // The menu closes on Escape (the keyboard back on its button) and on a click elsewhere.
  add.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !add.open) return;
    add.open = false;
    add.querySelector('summary').focus();
  });
  const closeOutside = (e) => {
    if (add.open && !add.contains(e.target)) add.open = false;
  };
  document.addEventListener('pointerdown', closeOutside);
  const list = h('ol', { class: 'rack-slots', 'aria-label': `Effects on ${label}` });
  const element = h('div', { class: 'rack' }, list, add);

  function setKinds(kinds) {
    menu.replaceChildren(
      ...kinds.map((k) =>
        h(
          'button',
          {
            type: 'button',
            class: 'rack-kind',
            dataset: { kind: k.kind },
            title: k.description,
            'aria-label': `Add ${kindLabel(k.kind)} to ${label}`,
            onclick: () => addEffect(k.kind),
          },
          kindLabel(k.kind),
        ),
      ),
    );
  }

  async function addEffect(kind) {
    add.open = false;
    add.querySelector('summary').focus();
    try {
      const effect = await actions.addEffect(trackId, { kind });
      onEdit(effect.id);
    } catch (err) {
      report(err);
    }
  }

  const act = (promise) => promise.catch(report);
  const move = (effect, index) => act(actions.setEffect(trackId, effect.id, { index }));

  function createSlot(effect) {
    const name = h('button', {
      type: 'button',
      class: 'slot-name',
      'aria-keyshortcuts': 'Alt+ArrowUp Alt+ArrowDown',
      'aria-controls': 'effect-editor',
      onclick: () => onEdit(slot.effect.id),
      onkeydown: (e) => {
        if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        e.preventDefault();
        const at = chain.findIndex((x) => x.id === slot.effect.id);
        const to = at + (e.key === 'ArrowUp' ? -1 : 1);
        if (at >= 0 && to >= 0 && to < chain.length) move(slot.effect, to);
      },
    });
    const text = h('span', { class: 'slot-text' });
    const mode = h('span', { class: 'slot-mode' });
    name.append(text, mode);
    const bypass = h('button', {
      type: 'button',
      class: 'slot-bypass',
      'aria-pressed': 'false',
      onclick: () => {
        const next = bypass.getAttribute('aria-pressed') !== 'true';
        slot.bypassHold.touch();
        bypass.setAttribute('aria-pressed', String(next));
        act(actions.setEffect(trackId, slot.effect.id, { bypassed: next }));
      },
    });
    const remove = h('button', {
      type: 'button',
      class: 'ghost slot-remove',
      onclick: () => act(actions.removeEffect(trackId, slot.effect.id)),
    }, '✕');
    const curve = hasResponse(effect) ? createResponseCurve({ width: 96, height: 22 }) : null;
    const element = h(
      'li',
      { class: 'rack-slot', draggable: 'true', dataset: { id: effect.id, kind: effect.kind } },
      curve?.element,
      name,
      bypass,
      remove,
    );
    const slot = { effect, element, name, text, mode, bypass, remove, curve, label: '' };
    slot.bypassHold = createHold((bypassed) => bypass.setAttribute('aria-pressed', String(bypassed)));

    element.addEventListener('dragstart', (e) => {
      e.dataTransfer.setData(DRAG_TYPE, slot.effect.id);
      e.dataTransfer.effectAllowed = 'move';
      element.classList.add('dragging');
    });
    element.addEventListener('dragend', () => element.classList.remove('dragging'));
    element.addEventListener('dragover', (e) => {
      if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      element.classList.add('drop-target');
    });
    element.addEventListener('dragleave', () => element.classList.remove('drop-target'));
    element.addEventListener('drop', (e) => {
      element.classList.remove('drop-target');
      const id = e.dataTransfer.getData(DRAG_TYPE);
      const dragged = chain.find((x) => x.id === id);
      // Only within this rack: an effect stays on its track.
      if (!dragged || id === slot.effect.id) return;
      e.preventDefault();
      move(dragged, chain.findIndex((x) => x.id === slot.effect.id));
    });
    return slot;
  }

  function show(slot, effect) {
    slot.effect = effect;
    const called = effectLabel(effect, chain);
    const choice = Object.values(effect.choices || {})[0];
    // The slot has room for a short name; its number, if any, stays.
    slot.text.textContent = called.replace(kindLabel(effect.kind), shortLabel(effect.kind));
    slot.mode.textContent = choice ? shortLabel(choice) : '';
    const edit = `Edit ${called}${choice ? ` (${choiceLabel(choice)})` : ''} on ${label}`;
    if (slot.label !== edit) {
      slot.label = edit;
      slot.name.setAttribute('aria-label', edit);
      slot.bypass.setAttribute('aria-label', `Bypass ${called} on ${label}`);
      slot.remove.setAttribute('aria-label', `Remove ${called} from ${label}`);
    }
    slot.bypassHold.report(Boolean(effect.bypassed));
    slot.element.dataset.bypassed = String(effect.bypassed);
    slot.name.setAttribute('aria-expanded', String(isEditing(effect.id)));
    slot.curve?.draw(effect, store.state.engine?.sample_rate || 48000);
  }

  setKinds(store.state.effectKinds);
  const off = store.on('effect_kinds', setKinds);

  return {
    element,

    /** Show the track's chain, in order, from one frame. */
    update(effects = []) {
      chain = effects;
      for (const id of [...slots.keys()]) {
        if (effects.some((e) => e.id === id)) continue;
        const gone = slots.get(id);
        const hadFocus = gone.element.contains(document.activeElement);
        gone.element.remove();
        slots.delete(id);
        if (hadFocus) add.querySelector('summary').focus({ preventScroll: true });
      }
      const ordered = effects.map((effect) => {
        if (!slots.has(effect.id)) slots.set(effect.id, createSlot(effect));
        const slot = slots.get(effect.id);
        show(slot, effect);
        return slot.element;
      });
      arrange(list, ordered);
      element.dataset.effects = String(effects.length);
    },

    /** Give the keyboard to the rack's add menu. */
    focusAdd() {
      add.querySelector('summary').focus({ preventScroll: true });
    },

    destroy() {
      off();
      document.removeEventListener('pointerdown', closeOutside);
    },
  };
}
