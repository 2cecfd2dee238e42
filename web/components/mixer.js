// The mixer: a desk of channel strips from the `tracks` topic — the sub
// tracks as a tree, each one's sub tracks beside it inside its group, then a
// strip per send track, the main strip last — the effect editor under it,
// and the controls that add a sub track under a chosen parent or a send
// track, and listen to the mix.
import { h, field, showError, clearError, errorLine, arrange } from './dom.js';
import { createChannelStrip } from './channel-strip.js';
import { createEffectEditor } from './effect-editor.js';
import { createListen } from './listen.js';
import { subTracks, trackKind, trackLabel } from '../tracks.js';

export function createMixer(store, actions) {
  const strips = new Map(); // track id -> {strip, group, children}
  const error = errorLine();
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const report = (err, label) => showError(error, err, label);

  const parent = h('select', { name: 'parent', id: 'track-parent' }, h('option', { value: 'main' }, 'Main'));
  const addTrack = h('button', { type: 'submit', id: 'add-track' }, 'Add sub track');
  const addSend = h('button', { type: 'button', id: 'add-send', onclick: () => add('send') }, 'Add send track');
  const form = h(
    'form',
    { class: 'mixer-add', onsubmit: (e) => (e.preventDefault(), add('sub')) },
    field('Under', parent),
    addTrack,
    addSend,
  );

  const tree = h('div', { class: 'desk-tracks', role: 'group', 'aria-label': 'Sub tracks' });
  const sends = h('div', { class: 'desk-sends', role: 'group', 'aria-label': 'Send tracks' });
  const master = h('div', { class: 'desk-main' });
  const emptyTree = h('p', { class: 'empty desk-empty' }, 'No sub tracks yet: voices play on Main.');
  const desk = h('div', { class: 'mixer-desk', id: 'mixer-desk' }, emptyTree, tree, sends, master);

  const editor = createEffectEditor(store, actions, {
    report,
    // Back to the rack the effect was opened from, when the editor had the keyboard.
    onClosed: (trackId, hadFocus) => {
      const known = strips.get(trackId);
      known?.strip.rack.update(store.track(trackId)?.effects || []);
      if (hadFocus) known?.strip.rack.focusAdd();
    },
  });

  const section = h(
    'section',
    { class: 'panel mixer', id: 'mixer', 'aria-labelledby': 'mixer-title' },
    h('div', { class: 'mixer-top' }, h('h2', { id: 'mixer-title' }, 'Mixer'), form, createListen(actions)),
    error,
    status,
    desk,
    editor.element,
  );

  async function add(kind) {
    clearError(error);
    try {
      const made = kind === 'send' ? await actions.addSend() : await actions.addTrack({ parent: parent.value });
      const where = kind === 'send' ? '' : ` under ${trackLabel(made.parent)}`;
      status.textContent = `Added ${trackLabel(made.id)}${where}`;
      strips.get(made.id)?.strip.element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    } catch (err) {
      showError(error, err);
    }
  }

  async function remove(id) {
    clearError(error);
    try {
      await actions.removeTrack(id);
      status.textContent = `Removed ${trackLabel(id)}`;
    } catch (err) {
      showError(error, err, trackLabel(id));
    }
  }

  function entry(id) {
    let known = strips.get(id);
    if (!known) {
      const strip = createChannelStrip(store, actions, id, {
        report,
        onRemove: remove,
        onEditEffect: (trackId, effectId) => {
          editor.open(trackId, effectId);
          strips.get(trackId)?.strip.rack.update(store.track(trackId)?.effects || []);
        },
        isEditing: (effectId) => editor.isEditing(effectId),
      });
      known = { strip };
      if (trackKind(id) === 'sub') {
        // A sub track's group holds its strip and, beside it, the groups of its own sub tracks.
        known.children = h('div', { class: 'strip-children', dataset: { parent: `→ ${trackLabel(id)}` } });
        known.group = h('div', { class: 'strip-group', dataset: { id } }, strip.element, known.children);
      }
      strips.set(id, known);
    }
    return known;
  }

  /** Where the keyboard goes when the strip that has it leaves: the strip it fed, else the main fader. */
  function drop(id, present, parents) {
    const { strip, group } = strips.get(id);
    const hadFocus = strip.element.contains(document.activeElement);
    strip.destroy();
    (group || strip.element).remove();
    strips.delete(id);
    if (!hadFocus) return;
    let to = parents.get(id);
    while (to && !present.has(to)) to = parents.get(to);
    (strips.get(to) || strips.get('main'))?.strip.focus({ preventScroll: true });
  }

  const parents = new Map(); // track id -> the id of the track it fed when last shown

  function render(mixer) {
    const sendIds = mixer.sends.map((s) => s.id);
    const present = new Set(['main', ...sendIds]);
    const subs = subTracks(mixer);
    for (const { track } of subs) present.add(track.id);

    for (const id of [...strips.keys()]) if (!present.has(id)) drop(id, present, parents);

    const place = (track, container) => {
      const kids = (track.tracks || []).map((child) => {
        const known = entry(child.id);
        parents.set(child.id, track.id);
        known.strip.update(child, sendIds);
        place(child, known.children);
        return known.group;
      });
      arrange(container, kids);
    };
    place(mixer.main, tree);
    for (const { track } of subs) strips.get(track.id).group.dataset.children = String(track.tracks.length);

    arrange(
      sends,
      mixer.sends.map((s) => {
        const known = entry(s.id);
        known.strip.update(s, sendIds);
        return known.strip.element;
      }),
    );
    const main = entry('main');
    main.strip.update(mixer.main, sendIds);
    arrange(master, [main.strip.element]);

    editor.update(mixer);
    emptyTree.hidden = subs.length > 0;
    // Every rack is as tall as the longest, so the strips' controls stay level.
    const longest = Math.max(0, ...[mixer.main, ...mixer.sends, ...subs.map((s) => s.track)].map((t) => (t.effects || []).length));
    desk.style.setProperty('--rack-rows', String(longest));
    desk.dataset.sends = String(sendIds.length);
    desk.style.setProperty('--send-rows', String(Math.ceil(sendIds.length / 2)));
    setParents(subs);
  }

  function setParents(subs) {
    const ids = ['main', ...subs.map((s) => s.track.id)];
    if (parent.dataset.ids === ids.join('|')) return;
    parent.dataset.ids = ids.join('|');
    const chosen = parent.value;
    // Indented by depth, so the list reads as the tree it is.
    const indent = (i) => (i ? '\u00a0\u00a0'.repeat(subs[i - 1].depth) : '');
    parent.replaceChildren(...ids.map((id, i) => h('option', { value: id }, `${indent(i)}${trackLabel(id)}`)));
    parent.value = ids.includes(chosen) ? chosen : 'main';
  }

  store.on('tracks', render);
  if (store.state.tracks) render(store.state.tracks);

  return section;
}
