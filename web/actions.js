// Everything the panel can ask of the service, by what it means. The REST
// routes and JSON-RPC method names live here and nowhere else: components
// call these functions, and answers that change what the panel shows go into
// the store, which the components render from. Each function returns a
// promise that rejects with the service's ApiError.

import { trackKind } from './tracks.js';

const path = (id) => encodeURIComponent(id);
const isSend = (id) => trackKind(id) === 'send';

export function createActions(client, store) {
  return {
    // ---- connection -------------------------------------------------------

    get hasToken() {
      return Boolean(client.token);
    },

    /** Keep a token (or forget it with '') and connect again with it. */
    setToken(token) {
      client.setToken(token);
    },

    /** The parameter table (GET /api/parameters) into the store; controls size themselves from it. */
    async loadParameters() {
      store.setParameters(await client.request('GET', '/parameters'));
    },

    // ---- library ----------------------------------------------------------

    async upload(file) {
      const sound = await client.upload(file);
      store.addSound(sound);
      return sound;
    },

    async removeSound(id) {
      await client.request('DELETE', `/sounds/${path(id)}`);
      store.removeSound(id);
    },

    /** Peaks of a sound for drawing: {min, max}, `points` long. */
    waveform(id, points) {
      return client.request('GET', `/sounds/${path(id)}/waveform?points=${points}`);
    },

    /** Start a voice of a sound with PlaySettings; resolves to the voice. */
    async play(soundId, settings = {}) {
      const voice = await client.request('POST', `/sounds/${path(soundId)}/play`, settings);
      store.addPlayed(voice);
      return voice;
    },

    // ---- voices -----------------------------------------------------------

    /** Change a voice's volume, panning or playback_rate (numbers or modulated values), with a tween. */
    setVoice(id, changes) {
      return client.call('voices.set', { id, ...changes });
    },

    pauseVoice(id, fade = {}) {
      return client.call('voices.pause', { id, ...fade });
    },

    resumeVoice(id, fade = {}) {
      return client.call('voices.resume', { id, ...fade });
    },

    stopVoice(id, fade = {}) {
      return client.call('voices.stop', { id, ...fade });
    },

    /** Seek `{to: seconds}` or `{by: seconds}`. */
    seekVoice(id, where) {
      return client.call('voices.seek', { id, ...where });
    },

    // ---- spatial ----------------------------------------------------------

    /** Add a listener (`{position, orientation}`, metres and degrees or a quaternion); resolves to it. */
    addListener(settings = {}) {
      return client.request('POST', '/listeners', settings);
    },

    /** Move or turn a listener: `{position?, orientation?, tween?}`. */
    setListener(id, changes) {
      return client.call('listeners.set', { id, ...changes });
    },

    /** Add a spatial track (`{listener, position, distances, ...}`); resolves to the track. */
    addSpatialTrack(settings) {
      return client.request('POST', '/spatial-tracks', settings);
    },

    /** Move a spatial track to `position` ([x, y, z] in metres), gliding over `tween`. */
    moveSpatialTrack(id, position, tween) {
      return client.call('spatial_tracks.set', { id, position, tween });
    },

    /** Fade a spatial track out over `fade` seconds and remove it with what plays on it. */
    removeSpatialTrack(id, fade = 0.05) {
      return client.request('DELETE', `/spatial-tracks/${path(id)}?fade=${fade}`);
    },

    // ---- modulators -------------------------------------------------------

    /** Add an LFO; resolves to the modulator (its `id` is what a mapping names). */
    addLfo(settings) {
      return client.request('POST', '/modulators', { type: 'lfo', ...settings });
    },

    removeModulator(id) {
      return client.request('DELETE', `/modulators/${path(id)}`);
    },

    // ---- mixer ------------------------------------------------------------

    /** Add a sub track (`{parent, ...}`, under 'main' by default); resolves to the track. */
    async addTrack(settings = {}) {
      const track = await client.request('POST', '/tracks', settings);
      store.addTrack(track);
      return track;
    },

    async addSend(settings = {}) {
      const send = await client.request('POST', '/sends', settings);
      store.addTrack(send);
      return send;
    },

    /** Fade a sub track or send track out over `fade` seconds and remove it (a sub track with its own). */
    async removeTrack(id, fade) {
      const query = fade === undefined ? '' : `?fade=${fade}`;
      const route = isSend(id) ? 'sends' : 'tracks';
      await client.request('DELETE', `/${route}/${path(id)}${query}`);
      store.removeTrack(id);
    },

    /**
     * Change a track's volume, panning, muted, soloed or (sub tracks) sends,
     * with a tween; 'main' is the main track, a 'send-…' id a send track.
     */
    setTrack(id, changes) {
      return client.call(isSend(id) ? 'sends.set' : 'tracks.set', { id, ...changes });
    },

    /**
     * Receive the main mix as `monitor` blocks ({sample_rate, channels, data});
     * resolves to a function that stops them.
     */
    async listen(onBlock) {
      const off = client.on('monitor', onBlock);
      try {
        await client.subscribe('monitor');
      } catch (err) {
        off();
        throw err;
      }
      return async () => {
        off();
        await client.unsubscribe('monitor').catch(() => {});
      };
    },

    // ---- effects ----------------------------------------------------------

    /** The kinds of effect with their parameters, choices and settings (GET /api/effect-kinds) into the store. */
    async loadEffectKinds() {
      store.setEffectKinds(await client.request('GET', '/effect-kinds'));
    },

    /** Add an effect (`{kind, ...its fields, index?}`) to a track's chain; resolves to the effect. */
    async addEffect(trackId, settings) {
      const effect = await client.request('POST', `/${isSend(trackId) ? 'sends' : 'tracks'}/${path(trackId)}/effects`, settings);
      store.addEffect(effect);
      return effect;
    },

    /** Change an effect's parameters (with a tween), choices, `bypassed` or `index` (its place in the chain). */
    setEffect(trackId, effectId, changes) {
      return client.call(isSend(trackId) ? 'send_effects.set' : 'effects.set', { id: trackId, effect: effectId, ...changes });
    },

    async removeEffect(trackId, effectId) {
      await client.request('DELETE', `/${isSend(trackId) ? 'sends' : 'tracks'}/${path(trackId)}/effects/${path(effectId)}`);
      store.removeEffect(effectId);
    },

    // ---- clocks -----------------------------------------------------------

    async addClock(speed) {
      const clock = await client.request('POST', '/clocks', { speed });
      store.addClock(clock);
      return clock;
    },

    async setClockSpeed(id, speed, tween) {
      store.addClock(await client.request('PATCH', `/clocks/${path(id)}`, { speed, tween }));
    },

    /** 'start', 'pause' or 'stop' a clock. */
    async clock(id, verb) {
      const clock = await client.request('POST', `/clocks/${path(id)}/${verb}`);
      if (clock) store.addClock(clock);
    },

    async removeClock(id) {
      await client.request('DELETE', `/clocks/${path(id)}`);
      store.removeClock(id);
    },
  };
}
