// The mixer's shape as the service sends it (GET /api/tracks, the `tracks`
// topic: {main, sends}, sub tracks nested in `tracks`), and what the panel
// reads from it: names, the desk's order, lookups. Pure functions of plain
// data, so the store and the components read the tree one way.

const SEND_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** 'main', 'sub' or 'send', from an id. */
export function trackKind(id) {
  if (id === 'main') return 'main';
  return String(id).startsWith('send-') ? 'send' : 'sub';
}

/**
 * What the panel calls a track: "Main", "Track 3" (its slot: the main track
 * holds slot 0), "Send B" (send slots from A). A slot is reused only once its
 * track is gone, so a name never stands for two tracks on the desk at once.
 */
export function trackLabel(id) {
  if (id === 'main') return 'Main';
  const match = /^(track|send)-(\d+)-\d+$/.exec(String(id));
  if (!match) return String(id);
  const slot = Number(match[2]);
  if (match[1] === 'track') return `Track ${slot}`;
  return `Send ${slot < SEND_LETTERS.length ? SEND_LETTERS[slot] : slot + 1}`;
}

/** Every track of the main track's tree, parents before their sub tracks, oldest first. */
export function subTracks(mixer) {
  const out = [];
  const walk = (track, depth) => {
    for (const child of track.tracks || []) {
      out.push({ track: child, depth });
      walk(child, depth + 1);
    }
  };
  if (mixer?.main) walk(mixer.main, 0);
  return out;
}

/** The track (main or sub, at any depth) or send track with this id, or undefined. */
export function findTrack(mixer, id) {
  if (!mixer) return undefined;
  if (id === 'main') return mixer.main;
  const send = (mixer.sends || []).find((s) => s.id === id);
  return send || subTracks(mixer).find((entry) => entry.track.id === id)?.track;
}

/** The effect with this id on any track, or undefined. */
export function findEffect(mixer, id) {
  if (!mixer) return undefined;
  const all = [mixer.main, ...subTracks(mixer).map((entry) => entry.track), ...(mixer.sends || [])];
  for (const track of all) {
    const effect = (track.effects || []).find((e) => e.id === id);
    if (effect) return effect;
  }
  return undefined;
}

/** A copy of the mixer without the tracks (with their sub tracks), send tracks and effects whose ids `drop` holds. */
export function without(mixer, drop) {
  const effects = (track) => (track.effects || []).filter((e) => !drop.has(e.id));
  const prune = (track) => ({
    ...track,
    effects: effects(track),
    tracks: (track.tracks || []).filter((t) => !drop.has(t.id)).map(prune),
  });
  return {
    main: prune(mixer.main),
    sends: (mixer.sends || []).filter((s) => !drop.has(s.id)).map((s) => ({ ...s, effects: effects(s) })),
  };
}

/** A copy of `track` (or of the send track, or the main track) with id `id` changed by `change`, at any depth. */
function changeTrack(mixer, id, change) {
  let found = false;
  const visit = (track) => {
    const next = { ...track, tracks: (track.tracks || []).map(visit) };
    if (track.id !== id) return next;
    found = true;
    return change(next);
  };
  const main = visit(mixer.main);
  const sends = (mixer.sends || []).map((s) => (s.id === id ? ((found = true), change({ ...s })) : s));
  return found ? { main, sends } : undefined;
}

/**
 * A copy of the mixer with `thing` added where it belongs: a send track last
 * among the sends, a sub track last under its `parent`, an effect at its
 * `position` (last while it is -1) in its `track`'s chain. Undefined when
 * where it belongs is not there.
 */
export function withAdded(mixer, thing) {
  if (String(thing.id).startsWith('fx-')) {
    return changeTrack(mixer, thing.track, (track) => {
      const chain = [...(track.effects || [])];
      chain.splice(thing.position >= 0 ? thing.position : chain.length, 0, thing);
      return { ...track, effects: chain };
    });
  }
  if (trackKind(thing.id) === 'send') return { main: mixer.main, sends: [...(mixer.sends || []), thing] };
  return changeTrack(mixer, thing.parent, (track) => ({ ...track, tracks: [...track.tracks, { tracks: [], ...thing }] }));
}
