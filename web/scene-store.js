// What the scene view draws: the listeners and where the spatial tracks are
// (the `spatial` topic) and how loud each spatial track is (its meters, from
// the `tracks` topic). Plain data and listeners, no DOM and no network, so it
// can be driven and tested on its own.

/** Every track of the mixer's tree under `track`, the track itself first. */
function* walk(track) {
  if (!track) return;
  yield track;
  for (const child of track.tracks || []) yield* walk(child);
}

export function createSceneStore() {
  const listeners = new Set();
  const state = {
    listeners: [], // [{id, position, orientation: {quaternion, yaw, pitch, roll}, tracks}]
    tracks: new Map(), // spatial track id -> {id, listener, position, distance, distances}
    meters: new Map(), // spatial track id -> {peak: [l, r], rms: [l, r]}
  };

  function emit() {
    for (const fn of [...listeners]) fn(state);
  }

  return {
    state,

    /** Call `fn(state)` on every change; returns a function that stops it. */
    on(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },

    /** One message of the `spatial` or `tracks` topic. */
    receive(topic, params = {}) {
      if (topic === 'spatial') {
        state.listeners = params.listeners || [];
        state.tracks = new Map((params.tracks || []).map((t) => [t.id, t]));
        for (const id of [...state.meters.keys()]) if (!state.tracks.has(id)) state.meters.delete(id);
      } else if (topic === 'tracks') {
        const meters = new Map();
        for (const track of walk(params.main)) if (track.spatial) meters.set(track.id, track.meters);
        state.meters = meters;
      } else {
        return;
      }
      emit();
    },

    /** A spatial track the panel added (the POST's answer, a Track), shown before the next sample. */
    addTrack(track) {
      const { listener, position, distance, distances } = track.spatial;
      state.tracks = new Map(state.tracks).set(track.id, { id: track.id, listener, position, distance, distances });
      emit();
    },

    /** A listener the panel added (the POST's answer), shown before the next sample. */
    addListener(listener) {
      if (!state.listeners.some((l) => l.id === listener.id)) state.listeners = [...state.listeners, listener];
      emit();
    },

    removeTrack(id) {
      state.tracks = new Map(state.tracks);
      state.tracks.delete(id);
      state.meters.delete(id);
      emit();
    },

    /** The loudest channel's peak of a spatial track, as a linear amplitude (0 when unknown). */
    peak(id) {
      const peak = state.meters.get(id)?.peak || [0, 0];
      return Math.max(Number(peak[0]) || 0, Number(peak[1]) || 0);
    },
  };
}
