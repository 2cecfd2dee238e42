// Builds the panel: the transport client feeds the store, components render
// from the store and ask for changes through the actions.
import { Client } from './api.js';
import { createStore } from './store.js';
import { createActions } from './actions.js';
import { createConnection } from './components/connection.js';
import { createLibrary } from './components/library.js';
import { createVoices } from './components/voices.js';
import { createMixer } from './components/mixer.js';
import { createEngineStatus } from './components/engine-status.js';
import { createClocks } from './components/clocks.js';
import { createScene } from './components/scene.js';
import { createSceneStore } from './scene-store.js';

const TOPICS = ['sounds', 'voices', 'tracks', 'engine', 'clocks'];

const client = new Client();
const store = createStore();
const actions = createActions(client, store);

for (const topic of [...TOPICS, 'modulators', 'event']) client.on(topic, (params) => store.receive(topic, params));
client.on('retry', (seconds) => store.setRetry(seconds));
client.on('status', async (status) => {
  if (status === 'online') {
    // The panel says it is online once its controls know their ranges (and
    // the effect racks their kinds); on every connection, since a restarted
    // service may have a newer table.
    try {
      await Promise.all([actions.loadParameters(), actions.loadEffectKinds()]);
    } catch (err) {
      console.error('GET /api/parameters or /api/effect-kinds:', err.message);
    }
    if (client.status !== 'online') return;
  }
  store.setStatus(status);
  document.body.dataset.connection = status;
});

// Pressing Play in the library brings the new voice into view; when the
// last voice of a sound goes, the keyboard goes back to that sound's Play.
const voices = createVoices(store, actions, { whenEmpty: (soundId, options) => library.focusPlay(soundId, options) });
const library = createLibrary(store, actions, { onPlayed: (voice) => voices.reveal(voice.id) });

document.getElementById('connection').replaceWith(createConnection(store, actions));
document.getElementById('desk').append(
  library.element,
  voices.element,
  createMixer(store, actions),
  createClocks(store, actions),
  createEngineStatus(store),
);
// The scene: where listeners and spatial tracks are (`spatial`), and how loud each track is (`tracks`).
const scene = createSceneStore();
for (const topic of ['spatial', 'tracks']) client.on(topic, (params) => scene.receive(topic, params));
document.getElementById('desk').append(createScene(scene, store, actions));
client.subscribe('spatial', 'tracks');

client.subscribe(...TOPICS);
client.start();
