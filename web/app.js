// Builds the panel from its components and connects it to the service.
import { Client } from './api.js';
import { createConnection } from './components/connection.js';
import { createLibrary } from './components/library.js';
import { createVoices } from './components/voices.js';
import { createMainTrack } from './components/main-track.js';
import { createEngineStatus } from './components/engine-status.js';
import { createClocks } from './components/clocks.js';

const TOPICS = ['sounds', 'voices', 'main_track', 'meters', 'engine', 'clocks'];

const client = new Client();
document.getElementById('connection').replaceWith(createConnection(client));
const desk = document.getElementById('desk');
desk.append(
  createLibrary(client),
  createMainTrack(client),
  createVoices(client),
  createClocks(client),
  createEngineStatus(client),
);
client.on('status', (status) => {
  document.body.dataset.connection = status;
});
client.subscribe(...TOPICS);
client.start();
