// The state the panel renders from: what the service last said about its
// sounds, voices, clocks, tracks and engine, the parameter table, and the
// connection's status. Plain data and listeners, no DOM and no network, so it
// can be driven and tested on its own: app.js feeds it the service's topics,
// actions.js the answers to what the panel asked for, and components listen.
import { findEffect, findTrack, withAdded, without } from './tracks.js';

// A voice the panel has just started may be missing from a state sample that
// was taken before the play reached the engine but arrives after its answer
// (REST and the WebSocket are separate roads); it is kept this long. A track
// the panel has just added or removed is kept (or kept out) as long, for the
// same reason.
export const PLAYED_GRACE_MS = 1000;

const PAUSED = new Set(['pausing', 'paused', 'waiting_to_resume']);

/** How the panel groups a voice's `state`: 'waiting', 'paused', 'playing' or 'stopped'. */
export function activity(state) {
  if (state === 'waiting') return 'waiting';
  if (PAUSED.has(state)) return 'paused';
  if (state === 'stopped') return 'stopped';
  return 'playing';
}

export function createStore({ now = () => performance.now() } = {}) {
  const listeners = new Map(); // change name -> Set of functions
  const state = {
    status: 'connecting', // 'connecting' | 'online' | 'offline' | 'unauthorized'
    retryIn: 0, // seconds until the next attempt while offline
    sounds: [],
    voices: new Map(), // voice id -> voice, in the service's order
    clocks: [],
    modulators: [],
    engine: null,
    tracks: null, // the mixer {main, sends}, as in the `tracks` topic
    effectKinds: [], // GET /api/effect-kinds: each kind with its parameters, choices and settings
    parameters: new Map(), // 'group.name' -> parameter spec from GET /api/parameters
  };
  const played = new Map(); // voice id -> when the panel started it, until a sample lists it
  const added = new Map(); // track or effect id -> {thing, at}: added by the panel, until a sample lists it
  const removed = new Map(); // track or effect id -> when the panel removed it
  let mixerSample = null; // the mixer as the service last sent it

  function on(name, fn) {
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name).add(fn);
    return () => listeners.get(name).delete(fn);
  }

  function emit(name, detail) {
    for (const fn of [...(listeners.get(name) || [])]) fn(detail);
  }

  function setVoices(list) {
    const next = new Map();
    for (const voice of list) {
      played.delete(voice.id);
      if (voice.state !== 'stopped') next.set(voice.id, voice);
    }
    const t = now();
    for (const [id, at] of played) {
      if (t - at < PLAYED_GRACE_MS && state.voices.has(id)) next.set(id, state.voices.get(id));
      else played.delete(id);
    }
    state.voices = next;
    emit('voices', state.voices);
  }

  function dropVoice(id) {
    played.delete(id);
    if (state.voices.delete(id)) emit('voices', state.voices);
  }

  function setMixer(sample) {
    mixerSample = sample;
    if (!sample?.main) return;
    const t = now();
    for (const [id, at] of removed) if (t - at >= PLAYED_GRACE_MS) removed.delete(id);
    let mixer = without(sample, removed);
    for (const [id, { thing, at }] of added) {
      const fresh = t - at < PLAYED_GRACE_MS && !findTrack(sample, id) && !findEffect(sample, id);
      const next = fresh && withAdded(mixer, thing);
      if (next) mixer = next;
      else added.delete(id);
    }
    state.tracks = mixer;
    emit('tracks', mixer);
  }

  function keep(thing) {
    removed.delete(thing.id);
    added.set(thing.id, { thing, at: now() });
    setMixer(mixerSample);
  }

  function drop(id) {
    added.delete(id);
    removed.set(id, now());
    setMixer(mixerSample);
  }

  function upsert(list, item) {
    const i = list.findIndex((x) => x.id === item.id);
    return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x));
  }

  /** One message of a service topic (`sounds`, `voices`, `event`, ...), by its name and params. */
  function receive(topic, params = {}) {
    switch (topic) {
      case 'sounds':
        state.sounds = params.sounds || [];
        emit('sounds', state.sounds);
        break;
      case 'voices':
        setVoices(params.voices || []);
        break;
      case 'clocks':
        state.clocks = params.clocks || [];
        emit('clocks', state.clocks);
        break;
      case 'modulators':
        state.modulators = params.modulators || [];
        emit('modulators', state.modulators);
        break;
      case 'engine':
        state.engine = params;
        emit('engine', params);
        break;
      case 'tracks':
        setMixer(params);
        break;
      case 'event':
        if (params.type === 'voice_finished') dropVoice(params.voice);
        break;
      default:
        break;
    }
  }

  return {
    state,
    on,
    receive,

    setStatus(status) {
      if (state.status === status) return;
      state.status = status;
      emit('status', status);
    },

    /** The connection is down and the next attempt comes in `seconds`. */
    setRetry(seconds) {
      state.retryIn = seconds;
      emit('retry', seconds);
    },

    setParameters(list) {
      state.parameters = new Map(list.map((p) => [`${p.group}.${p.name}`, p]));
      emit('parameters', state.parameters);
    },

    /** A voice the panel started (the play's answer), shown before the next state sample. */
    addPlayed(voice) {
      played.set(voice.id, now());
      state.voices = new Map(state.voices).set(voice.id, { ...state.voices.get(voice.id), ...voice });
      emit('voices', state.voices);
    },

    addSound(sound) {
      state.sounds = upsert(state.sounds, sound);
      emit('sounds', state.sounds);
    },

    removeSound(id) {
      state.sounds = state.sounds.filter((s) => s.id !== id);
      emit('sounds', state.sounds);
    },

    addClock(clock) {
      state.clocks = upsert(state.clocks, clock);
      emit('clocks', state.clocks);
    },

    removeClock(id) {
      state.clocks = state.clocks.filter((c) => c.id !== id);
      emit('clocks', state.clocks);
    },

    /** A sub track or send track the panel added (the POST's answer), shown before the next sample. */
    addTrack: keep,

    /** A track the panel removed: off the desk at once with its sub tracks, whatever a late sample says. */
    removeTrack: drop,

    /** An effect the panel added (the POST's answer), in its track's chain before the next sample. */
    addEffect: keep,

    /** An effect the panel removed: out of its chain at once. */
    removeEffect: drop,

    setEffectKinds(list) {
      state.effectKinds = list;
      emit('effect_kinds', list);
    },

    /** A kind of effect from GET /api/effect-kinds ({kind, parameters, choices, settings}), or undefined. */
    effectKind(kind) {
      return state.effectKinds.find((k) => k.kind === kind);
    },

    /** A track or send track by id ('main' is the main track), as last shown. */
    track(id) {
      return findTrack(state.tracks, id);
    },

    /** The voices playing on a track, in the service's order. */
    voicesOn(trackId) {
      return [...state.voices.values()].filter((v) => (v.track || 'main') === trackId);
    },

    /** The spec of `group.name` from GET /api/parameters, or undefined before it has loaded. */
    parameter(group, name) {
      return state.parameters.get(`${group}.${name}`);
    },

    sound(id) {
      return state.sounds.find((s) => s.id === id);
    },

    soundName(id) {
      return this.sound(id)?.name || id;
    },

    clock(id) {
      return state.clocks.find((c) => c.id === id);
    },

    /** How many voices of a sound are waiting, paused and playing: {waiting, paused, playing}. */
    activityOf(soundId) {
      const counts = { waiting: 0, paused: 0, playing: 0 };
      for (const voice of state.voices.values()) {
        if (voice.sound !== soundId) continue;
        const kind = activity(voice.state);
        if (kind in counts) counts[kind] += 1;
      }
      return counts;
    },
  };
}
