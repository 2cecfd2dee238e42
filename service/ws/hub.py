"""Notifications: one sampler for the whole app, one bounded outbox per client.

The sampler runs on the event loop at `state_rate`. Each tick it drains the
engine's events (sent at once to subscribers), samples each state topic that
has subscribers, and offers a topic's value only when it changed. Each
notification is encoded once and the same text is offered to every
subscriber. Offering never waits: a client's outbox keeps only the latest
value per state topic, so a slow client skips frames while the sampler and
other clients go on. Each client's writer task is the only thing that sends
on its socket.

Responses are never dropped, so they are what can pile up for a client that
sends requests but does not read: past `MAX_OUTBOX_BYTES` waiting in its
outbox the client is closed (1008), rather than holding memory without end.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from ..operations import clocks, main_track, modulators, sounds, spatial, tracks, voices
from ..operations import engine as engine_ops
from ..runtime import Runtime

log = logging.getLogger("mixdeck.service")

STATE_TOPICS = ("sounds", "voices", "tracks", "main_track", "meters", "engine", "clocks", "modulators", "spatial")
TOPICS = (*STATE_TOPICS, "monitor")
EVENT_TOPIC = {
    "voice_finished": "voices",
    "clock_tick": "clocks",
    "error": "engine",
    "audio_process_restarted": "engine",
}

MONITOR_SECONDS = 0.05  # length of one monitor notification's PCM
MAX_PENDING_EVENTS = 512
MAX_PENDING_MONITOR = 8  # 0.4 s of audio; older blocks are dropped for a slow client
# Bytes a client's outbox may hold before the client is closed. State, events and
# monitor PCM are bounded by count (well under this); responses are not, so this
# is the cap on responses a client has asked for and not read. A response larger
# than the cap is still sent when nothing else waits (one batch, however large).
MAX_OUTBOX_BYTES = 8 * 1024 * 1024
# What a queued text costs beyond its characters (the str object and its slot).
_OVERHEAD = 64
CLOSE_POLICY = 1008  # WebSocket close code: policy violation


def _dump(items: list[Any]) -> list[dict[str, Any]]:
    return [i.model_dump(mode="json") for i in items]


SAMPLERS: dict[str, Callable[[Runtime], dict[str, Any]]] = {
    "sounds": lambda rt: {"sounds": _dump(sounds.list_sounds(rt))},
    "voices": lambda rt: {"voices": _dump(voices.list_voices(rt))},
    "tracks": lambda rt: tracks.mixer(rt).model_dump(mode="json"),
    "main_track": lambda rt: main_track.get_main_track(rt).model_dump(mode="json"),
    "meters": lambda rt: main_track.meters(rt).model_dump(mode="json"),
    "engine": lambda rt: engine_ops.engine_status(rt).model_dump(mode="json"),
    "clocks": lambda rt: {"clocks": _dump(clocks.list_clocks(rt))},
    "modulators": lambda rt: {"modulators": _dump(modulators.list_modulators(rt))},
    "spatial": lambda rt: spatial.scene(rt).model_dump(mode="json"),
}


def notification(method: str, params: dict[str, Any]) -> str:
    return json.dumps({"jsonrpc": "2.0", "method": method, "params": params}, separators=(",", ":"))


def _cost(text: str) -> int:
    return len(text) + _OVERHEAD


class Client:
    """One connection's subscriptions and outbox.

    Offers take the notification's text (encoded once by the hub for all
    subscribers); a dict is encoded here. Once `closed`, offers are ignored and
    `reply` refuses: the writer has ended, or the client went over its cap.
    """

    def __init__(self, send_text: Callable[[str], Any], max_bytes: int | None = None) -> None:
        self._send_text = send_text
        self.max_bytes = MAX_OUTBOX_BYTES if max_bytes is None else max_bytes
        self.topics: set[str] = set()
        self._state: dict[str, str] = {}  # latest frame per topic; a newer one replaces it
        self._events: collections.deque[str] = collections.deque()
        self._monitor: collections.deque[str] = collections.deque()
        self._replies: collections.deque[str] = collections.deque()
        self._wake = asyncio.Event()
        self.pending_bytes = 0
        self.skipped = 0
        self.closed = False
        self.close_code: int | None = None  # set when the server decided to close this client
        self.close_reason = ""

    # -- offers (never wait) ---------------------------------------------------------

    def offer_state(self, topic: str, params: dict[str, Any] | str) -> None:
        if self.closed:
            return
        text = params if isinstance(params, str) else notification(topic, params)
        old = self._state.pop(topic, None)
        if old is not None:
            self.skipped += 1
            self.pending_bytes -= _cost(old)
        self._state[topic] = text
        self._queued(text)

    def offer_event(self, params: dict[str, Any] | str) -> None:
        self._offer_bounded(self._events, MAX_PENDING_EVENTS, params, "event")

    def offer_monitor(self, params: dict[str, Any] | str) -> None:
        self._offer_bounded(self._monitor, MAX_PENDING_MONITOR, params, "monitor")

    def _offer_bounded(self, queue: collections.deque[str], limit: int, params: Any, method: str) -> None:
        if self.closed:
            return
        text = params if isinstance(params, str) else notification(method, params)
        while len(queue) >= limit:  # a slow client loses the oldest
            self.pending_bytes -= _cost(queue.popleft())
            self.skipped += 1
        queue.append(text)
        self._queued(text)

    def drop_topics(self, topics: set[str]) -> None:
        """Forget frames already queued for topics the client no longer wants."""
        for topic in topics:
            old = self._state.pop(topic, None)
            if old is not None:
                self.pending_bytes -= _cost(old)
        if "monitor" in topics:
            while self._monitor:
                self.pending_bytes -= _cost(self._monitor.popleft())

    def reply(self, text: str) -> bool:
        """Queue a response; False when the client is closed (or has just been, over its cap)."""
        if self.closed:
            return False
        alone = not self._replies
        self._replies.append(text)
        self._queued(text)
        if self.pending_bytes > self.max_bytes and not alone:
            self.close(
                CLOSE_POLICY,
                f"too many unread responses: over {self.max_bytes} bytes waiting; read your responses",
            )
            return False
        return True

    def _queued(self, text: str) -> None:
        self.pending_bytes += _cost(text)
        self._wake.set()

    def close(self, code: int | None = None, reason: str = "") -> None:
        """Stop taking messages and drop what waits; `code` asks the endpoint to close the socket."""
        if not self.closed and code is not None:
            self.close_code, self.close_reason = code, reason
            log.warning("closing a WebSocket client: %s", reason)
        self.closed = True
        self._state.clear()
        self._events.clear()
        self._monitor.clear()
        self._replies.clear()
        self.pending_bytes = 0
        self._wake.set()

    # -- the writer --------------------------------------------------------------------

    def _next(self) -> str | None:
        if self._replies:
            text = self._replies.popleft()
        elif self._events:
            text = self._events.popleft()
        elif self._state:
            text = self._state.pop(next(iter(self._state)))
        elif self._monitor:
            text = self._monitor.popleft()
        else:
            return None
        self.pending_bytes -= _cost(text)
        return text

    async def write_forever(self) -> None:
        """Send whatever is pending, replies first; the only sender on this socket.

        Returns when the client is closed; a failed send (the peer went away) ends
        it with that error. Either way the client is closed afterwards, so nothing
        waits on a writer that is gone.
        """
        try:
            while not self.closed:
                await self._wake.wait()
                self._wake.clear()
                while not self.closed:
                    text = self._next()
                    if text is None:
                        break
                    await self._send_text(text)
        finally:
            self.close()


class Hub:
    """Connected clients and the sampler that feeds them."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.clients: set[Client] = set()
        self._last: dict[str, str] = {}  # the last text sent per state topic
        self._monitor_cursor: Any = None
        self._monitor_buffer: list[np.ndarray] = []

    def connect(self, send_text: Callable[[str], Any]) -> Client:
        client = Client(send_text)
        self.clients.add(client)
        self.rt.ws_clients = len(self.clients)
        return client

    def disconnect(self, client: Client) -> None:
        client.close()
        self.clients.discard(client)
        self.rt.ws_clients = len(self.clients)

    def subscribe(self, client: Client, topics: list[str]) -> list[str]:
        new = [t for t in topics if t not in client.topics]
        if "monitor" in new and not self._subscribers("monitor"):
            self._monitor_cursor = None
            self._monitor_buffer = []
        client.topics.update(topics)
        for topic in new:
            if topic in SAMPLERS:
                text = self._last.get(topic)
                if text is None:
                    text = self._last[topic] = notification(topic, SAMPLERS[topic](self.rt))
                client.offer_state(topic, text)
        return sorted(client.topics)

    def unsubscribe(self, client: Client, topics: list[str]) -> list[str]:
        gone = client.topics.intersection(topics)
        client.topics.difference_update(topics)
        client.drop_topics(gone)
        return sorted(client.topics)

    def _subscribers(self, topic: str) -> list[Client]:
        return [c for c in self.clients if topic in c.topics]

    def tick(self) -> None:
        """One sampling step; runs on the event loop and never waits.

        Each value is sampled and encoded once per tick, whatever the number of
        subscribers; an unchanged value (same text as last sent) is not offered.
        """
        events = self.rt.take_events()
        if events:
            by_topic = {topic: self._subscribers(topic) for topic in set(EVENT_TOPIC.values())}
            for event in events:
                subscribers = by_topic.get(EVENT_TOPIC.get(event["type"], "engine"), [])
                if event["type"] == "error" and "voice" in event:  # one voice's error concerns who watches voices
                    subscribers = list({*subscribers, *by_topic["voices"]})
                if subscribers:
                    text = notification("event", event)
                    for client in subscribers:
                        client.offer_event(text)
        for topic, sample in SAMPLERS.items():
            subscribers = self._subscribers(topic)
            if not subscribers:
                self._last.pop(topic, None)
                continue
            text = notification(topic, sample(self.rt))
            if text != self._last.get(topic):
                self._last[topic] = text
                for client in subscribers:
                    client.offer_state(topic, text)
        self._tick_monitor()

    def _tick_monitor(self) -> None:
        subscribers = self._subscribers("monitor")
        monitor = getattr(self.rt.manager, "monitor", None)
        if not subscribers or monitor is None:
            return
        if self._monitor_cursor is None:  # first listener: start from now, not from the ring's past
            self._monitor_cursor = monitor.cursor()
        frames, self._monitor_cursor = monitor.read_since(self._monitor_cursor)
        if len(frames):
            self._monitor_buffer.append(np.asarray(frames, dtype=np.float32))
        rate = int(self.rt.manager.output_info.get("sample_rate", self.rt.settings.sample_rate))
        chunk = max(1, int(rate * MONITOR_SECONDS))
        pending = sum(len(b) for b in self._monitor_buffer)
        if pending < chunk:
            return
        joined = np.concatenate(self._monitor_buffer)
        usable = (len(joined) // chunk) * chunk
        self._monitor_buffer = [joined[usable:]] if usable < len(joined) else []
        for start in range(0, usable, chunk):
            pcm = (np.clip(joined[start : start + chunk], -1.0, 1.0) * 32767.0).astype("<i2")
            text = notification("monitor", {
                "sample_rate": rate,
                "channels": 2,
                "format": "s16le",
                "data": base64.b64encode(pcm.tobytes()).decode("ascii"),
            })  # fmt: skip
            for client in subscribers:
                client.offer_monitor(text)

    async def run(self, rate: float) -> None:
        """Sample at `rate` per second until cancelled; a failing tick is logged, not fatal."""
        loop = asyncio.get_running_loop()
        interval = 1.0 / rate
        due = loop.time()
        while True:
            try:
                self.tick()
            except Exception:
                log.exception("state sampler tick failed")
            due += interval
            delay = due - loop.time()
            if delay < 0:  # fell behind (a long GC, a busy loop): skip, don't burst
                due = loop.time()
                delay = 0
            await asyncio.sleep(delay)
