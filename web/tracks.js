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

/** A copy of the mixer without the tracks (and their sub tracks) and send tracks whose ids `drop` holds. */
export function withoutTracks(mixer, drop) {
  const prune = (track) => ({
    ...track,
    tracks: (track.tracks || []).filter((t) => !drop.has(t.id)).map(prune),
  });
  return { main: prune(mixer.main), sends: (mixer.sends || []).filter((s) => !drop.has(s.id)) };
}

/**
 * A copy of the mixer with `thing` added where it belongs: a send track last
 * among the sends, a sub track last under its parent. Undefined when its
 * parent is not there.
 */
export function withTrack(mixer, thing) {
  if (trackKind(thing.id) === 'send') return { main: mixer.main, sends: [...(mixer.sends || []), thing] };
  let placed = false;
  const place = (track) => {
    const tracks = (track.tracks || []).map(place);
    if (track.id === thing.parent) {
      tracks.push({ tracks: [], ...thing });
      placed = true;
    }
    return { ...track, tracks };
  };
  const main = place(mixer.main);
  return placed ? { main, sends: mixer.sends || [] } : undefined;
}
