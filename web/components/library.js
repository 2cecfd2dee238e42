// The library: upload by picker or drag and drop, one row per sound with its
// waveform, its play form and what its voices are doing.
import { h, showError, clearError, errorLine, formatTime } from './dom.js';
import { createWaveform } from './waveform.js';
import { createPlayForm } from './play-form.js';

/** What a row says about its sound's voices: "2 playing · 1 waiting", or '' when none is left. */
export function describeActivity({ playing, waiting, paused }) {
  return [
    playing && `${playing} playing`,
    waiting && `${waiting} waiting`,
    paused && `${paused} paused`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The library section, and `focusPlay(soundId)` to give a sound's Play
 * button the keyboard. `onPlayed(voice)` hears of every voice its Play
 * buttons start.
 */
export function createLibrary(store, actions, { onPlayed = () => {} } = {}) {
  const rows = new Map(); // sound id -> {element, play, activity, destroy, signature}
  const error = errorLine();
  const picker = h('input', {
    type: 'file',
    id: 'upload-input',
    class: 'visually-hidden',
    tabindex: -1, // the Upload… button is the keyboard's way in
    multiple: true,
    accept: 'audio/*,.wav,.flac,.ogg,.mp3,.aiff,.aif',
    onchange: () => {
      upload([...picker.files]);
      picker.value = '';
    },
  });
  const list = h('ul', { class: 'sound-list', id: 'sound-list', 'aria-label': 'Sounds' });
  const empty = h('p', { class: 'empty' }, 'No sounds yet.');
  const drop = h(
    'div',
    { class: 'dropzone', id: 'dropzone' },
    h('label', { for: 'upload-input', class: 'visually-hidden' }, 'Audio files to upload'),
    picker,
    h('button', { type: 'button', class: 'upload', id: 'upload-button', onclick: () => picker.click() }, 'Upload…'),
    h('span', { class: 'hint' }, 'or drop audio files here'),
  );

  const section = h(
    'section',
    { class: 'panel library', id: 'library', 'aria-labelledby': 'library-title' },
    h('h2', { id: 'library-title' }, 'Library'),
    drop,
    error,
    empty,
    list,
  );

  // The whole section is a drop target: dropping a file beside the zone
  // should not make the browser navigate away to it.
  let depth = 0;
  section.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
    section.classList.add('dragging');
  });
  section.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  section.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) section.classList.remove('dragging');
  });
  section.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    section.classList.remove('dragging');
    upload([...(e.dataTransfer?.files || [])]);
  });

  async function upload(files) {
    clearError(error);
    const failures = [];
    for (const file of files) {
      drop.classList.add('busy');
      try {
        await actions.upload(file);
      } catch (err) {
        failures.push(`${file.name}: ${err.detail || err.message}`);
      } finally {
        drop.classList.remove('busy');
      }
    }
    if (failures.length) showError(error, failures.join(' — '));
  }

  function row(sound) {
    const meta = [
      formatTime(sound.duration),
      sound.channels === 1 ? 'mono' : sound.channels === 2 ? 'stereo' : `${sound.channels} ch`,
      sound.sample_rate ? `${(sound.sample_rate / 1000).toFixed(1)} kHz` : null,
    ].filter(Boolean);
    const play = createPlayForm(store, actions, sound, { onPlayed });
    // A status, so a screen reader hears "1 playing" after Play, and hears it clear.
    const activity = h('span', { class: 'badge activity', role: 'status', hidden: true });
    const remove = sound.builtin
      ? null
      : h('button', { type: 'button', class: 'ghost', 'aria-label': `Remove ${sound.name}`, onclick: () => removeSound(sound, element) }, '✕');
    const element = h(
      'li',
      { class: 'sound', dataset: { id: sound.id, streaming: String(Boolean(sound.streaming)) } },
      h(
        'div',
        { class: 'sound-head' },
        h('span', { class: 'sound-name' }, sound.name),
        h('span', { class: 'sound-meta' }, h('span', { class: 'duration' }, meta[0]), ` · ${meta.slice(1).join(' · ')}`),
        // Read from its file as it plays, not held in memory: what lets a long file be in the library at all.
        sound.streaming ? h('span', { class: 'badge streaming', title: 'Read from its file as it plays' }, 'streaming') : null,
        activity,
        remove,
      ),
      createWaveform(actions, sound),
      play.element,
    );
    return { element, play: play.play, activity, destroy: play.destroy };
  }

  function showActivity(id, r) {
    const counts = store.activityOf(id);
    const text = describeActivity(counts);
    if (r.activity.textContent === text) return;
    r.activity.textContent = text;
    r.activity.hidden = !text;
    // The row takes the colour of the liveliest of its voices.
    const liveliest = counts.playing ? 'playing' : counts.waiting ? 'waiting' : counts.paused ? 'paused' : 'none';
    r.activity.dataset.state = liveliest;
    r.element.dataset.activity = liveliest;
    r.element.dataset.voices = String(counts.playing + counts.waiting + counts.paused);
  }

  async function removeSound(sound, element) {
    try {
      await actions.removeSound(sound.id);
    } catch (err) {
      const line = element.querySelector('.play-form .error');
      showError(line, err);
    }
  }

  function addOrUpdate(sound) {
    const known = rows.get(sound.id);
    // After a service restart an id may name a different sound: redraw it.
    if (known && known.signature === signature(sound)) return;
    if (known) removeRow(sound.id);
    const r = { ...row(sound), signature: signature(sound) };
    rows.set(sound.id, r);
    list.append(r.element);
    showActivity(sound.id, r);
    empty.hidden = true;
  }

  function removeRow(id) {
    const r = rows.get(id);
    if (!r) return;
    r.destroy();
    r.element.remove();
    rows.delete(id);
    empty.hidden = rows.size > 0;
  }

  store.on('sounds', (sounds) => {
    const ids = new Set(sounds.map((s) => s.id));
    for (const id of [...rows.keys()]) if (!ids.has(id)) removeRow(id);
    sounds.forEach(addOrUpdate);
  });
  store.on('voices', () => {
    for (const [id, r] of rows) showActivity(id, r);
  });

  return {
    element: section,
    /** Put the keyboard on a sound's Play button (`options` as for focus()); false when the sound has no row. */
    focusPlay(soundId, options) {
      const r = rows.get(soundId);
      if (!r) return false;
      r.play.focus(options);
      return true;
    },
  };
}

function signature(sound) {
  return `${sound.name}|${sound.frames}|${sound.sample_rate}`;
}

function hasFiles(e) {
  return Boolean(e.dataTransfer && [...e.dataTransfer.types].includes('Files'));
}
