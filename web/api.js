// The panel's only door to mixdeck: the public REST routes and the JSON-RPC
// WebSocket at /api/ws, with reconnection and token handling. Nothing here
// knows about the DOM.

const TOKEN_KEY = 'mixdeck.token';
const BACKOFF_FIRST = 0.5; // seconds before the first retry
const BACKOFF_MAX = 5; // seconds; a restarted service is found within this

/** An error the service answered with (problem+json or a JSON-RPC error). */
export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `request failed (${status})`);
    this.status = status;
    this.problem = problem;
    this.detail = this.message;
    this.errors = problem.errors || [];
  }
}

/**
 * Client for one mixdeck service.
 *
 * Events (listen with `on(name, fn)`):
 * - `status` → 'connecting' | 'online' | 'offline' | 'unauthorized'
 * - every subscribed topic by name (`voices`, `meters`, ...) → its params
 * - `event` → engine events (`voice_finished`, `clock_tick`)
 * A REST snapshot (GET /api/state) taken on each (re)connect is fanned out
 * as the same topic events, so a listener needs only the topics. The panel
 * has one such listener, its store; components do not listen here.
 */
export class Client extends EventTarget {
  constructor({ origin = window.location.origin, storage = window.localStorage } = {}) {
    super();
    this.origin = origin;
    this.storage = storage;
    this.status = 'connecting';
    this.retryIn = 0; // seconds until the next attempt while offline
    this.topics = new Set();
    this.ws = null;
    this.pending = new Map();
    this.nextId = 1;
    this.backoff = BACKOFF_FIRST;
    this.timer = null;
  }

  on(name, fn) {
    const listener = (e) => fn(e.detail);
    this.addEventListener(name, listener);
    return () => this.removeEventListener(name, listener);
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  get token() {
    return this.storage.getItem(TOKEN_KEY) || '';
  }

  /** Store a token (or clear it with '') and connect again with it. */
  setToken(token) {
    if (token) this.storage.setItem(TOKEN_KEY, token);
    else this.storage.removeItem(TOKEN_KEY);
    this.reconnect();
  }

  // ---- REST ---------------------------------------------------------------

  /** Call a REST route under /api; resolves to its JSON, throws ApiError. */
  async request(method, path, body) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const init = { method, headers };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(`${this.origin}/api${path}`, init);
    } catch {
      throw new ApiError(0, { detail: 'the service cannot be reached' });
    }
    if (res.status === 401) this.setStatus('unauthorized');
    if (!res.ok) {
      let problem;
      try {
        problem = await res.json();
      } catch {
        problem = { title: res.statusText || `HTTP ${res.status}` };
      }
      if (typeof problem.detail !== 'string') {
        problem.detail = describeDetail(problem.detail) || problem.title || `HTTP ${res.status}`;
      }
      throw new ApiError(res.status, problem);
    }
    if (res.status === 204) return null;
    const type = res.headers.get('content-type') || '';
    return type.includes('json') ? res.json() : res.text();
  }

  /** Upload one File to the library (multipart `file`). */
  upload(file) {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.request('POST', '/sounds', form);
  }

  // ---- WebSocket JSON-RPC -------------------------------------------------

  /** Call a JSON-RPC method; resolves to its result, throws ApiError. */
  call(method, params = {}) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new ApiError(0, { detail: 'not connected to the service' }));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Ask for notifications of these topics, now and after every reconnect. */
  subscribe(...topics) {
    const fresh = topics.filter((t) => !this.topics.has(t));
    fresh.forEach((t) => this.topics.add(t));
    if (fresh.length && this.status === 'online') {
      return this.call('subscribe', { topics: fresh });
    }
    return Promise.resolve();
  }

  unsubscribe(...topics) {
    const known = topics.filter((t) => this.topics.delete(t));
    if (known.length && this.status === 'online') {
      return this.call('unsubscribe', { topics: known });
    }
    return Promise.resolve();
  }

  // ---- connection ---------------------------------------------------------

  start() {
    this.connect();
  }

  /** Drop the current connection (if any) and connect again at once. */
  reconnect() {
    this.backoff = BACKOFF_FIRST;
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close();
    this.failPending();
    this.connect();
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  /**
   * Probe with a REST snapshot first: it tells a stopped service (network
   * error) from a missing token (401) — a browser WebSocket cannot see the
   * handshake's status — and gives the panel a full state to start from.
   */
  async connect() {
    clearTimeout(this.timer);
    this.timer = null;
    let snapshot;
    try {
      snapshot = await this.request('GET', '/state');
    } catch (err) {
      if (err.status === 401) {
        this.setStatus('unauthorized');
      } else {
        this.retryLater();
      }
      return;
    }
    this.openSocket(snapshot);
  }

  retryLater() {
    if (this.timer) return;
    this.retryIn = this.backoff;
    this.setStatus('offline');
    this.emit('retry', this.retryIn);
    // A little jitter keeps several open panels from knocking in step.
    const delay = this.backoff * (0.8 + Math.random() * 0.4);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay * 1000);
  }

  openSocket(snapshot) {
    const url = new URL('/api/ws', this.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.token) url.searchParams.set('token', this.token);
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.backoff = BACKOFF_FIRST;
      this.setStatus('online');
      this.fanOutSnapshot(snapshot);
      if (this.topics.size) {
        this.call('subscribe', { topics: [...this.topics] }).catch((err) => this.emit('problem', err));
      }
    };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPending();
      this.retryLater();
    };
  }

  failPending() {
    for (const { reject } of this.pending.values()) {
      reject(new ApiError(0, { detail: 'the connection to the service was lost' }));
    }
    this.pending.clear();
  }

  fanOutSnapshot(state) {
    if (!state || typeof state !== 'object') return;
    const topics = {
      sounds: { sounds: state.sounds || [] },
      voices: { voices: state.voices || [] },
      clocks: { clocks: state.clocks || [] },
      modulators: { modulators: state.modulators || [] },
    };
    if (state.engine) topics.engine = state.engine;
    if (state.tracks) topics.tracks = state.tracks;
    for (const [topic, params] of Object.entries(topics)) this.deliver(topic, params);
  }

  deliver(topic, params) {
    this.emit(topic, params);
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    for (const m of Array.isArray(message) ? message : [message]) {
      if (m.method) {
        this.deliver(m.method, m.params || {});
      } else if (this.pending.has(m.id)) {
        const { resolve, reject } = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) {
          const data = m.error.data && typeof m.error.data === 'object' ? m.error.data : {};
          reject(new ApiError(data.status || m.error.code, { ...data, detail: data.detail || m.error.message }));
        } else {
          resolve(m.result);
        }
      }
    }
  }
}

/** FastAPI's own 422s carry a list in `detail`; make it a sentence. */
function describeDetail(detail) {
  if (!Array.isArray(detail)) return '';
  return detail
    .map((d) => {
      const loc = Array.isArray(d.loc) ? d.loc.filter((p) => p !== 'body').join('.') : '';
      return loc ? `${loc}: ${d.msg}` : d.msg;
    })
    .join('; ');
}
