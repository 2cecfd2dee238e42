"""Notifications: one sampler for the whole app, one bounded outbox per client.

The sampler runs on the event loop at `state_rate`. Each tick it drains the
engine's events (sent at once to subscribers), samples each state topic that
has subscribers, and offers a topic's value only when it changed. Offering
never waits: a client's outbox keeps only the latest value per state topic,
so a slow client skips frames while the sampler and other clients go on.
Each client's writer task is the only thing that sends on its socket.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import logging
from typing import Any, Callable

import numpy as np

from ..operations import clocks, engine as engine_ops, main_track, modulators, sounds, voices
from ..runtime import Runtime

log = logging.getLogger("mixdeck.service")

STATE_TOPICS = ("sounds", "voices", "main_track", "meters", "engine", "clocks", "modulators")
TOPICS = STATE_TOPICS + ("monitor",)
EVENT_TOPIC = {"voice_finished": "voices", "clock_tick": "clocks", "error": "engine"}

MONITOR_SECONDS = 0.05  # length of one monitor notification's PCM
MAX_PENDING_EVENTS = 512
MAX_PENDING_MONITOR = 8  # 0.4 s of audio; older blocks are dropped for a slow client
MAX_PENDING_REPLIES = 64


def _dump(items: list[Any]) -> list[dict[str, Any]]:
    return [i.model_dump(mode="json") for i in items]


SAMPLERS: dict[str, Callable[[Runtime], dict[str, Any]]] = {
    "sounds": lambda rt: {"sounds": _dump(sounds.list_sounds(rt))},
    "voices": lambda rt: {"voices": _dump(voices.list_voices(rt))},
    "main_track": lambda rt: main_track.get_main_track(rt).model_dump(mode="json"),
    "meters": lambda rt: main_track.meters(rt).model_dump(mode="json"),
    "engine": lambda rt: engine_ops.engine_status(rt).model_dump(mode="json"),
    "clocks": lambda rt: {"clocks": _dump(clocks.list_clocks(rt))},
    "modulators": lambda rt: {"modulators": _dump(modulators.list_modulators(rt))},
}


def notification(method: str, params: dict[str, Any]) -> str:
    return json.dumps({"jsonrpc": "2.0", "method": method, "params": params}, separators=(",", ":"))


class Client:
    """One connection's subscriptions and outbox."""

    def __init__(self, send_text: Callable[[str], Any]) -> None:
        self._send_text = send_text
        self.topics: set[str] = set()
        self._state: dict[str, str] = {}  # latest frame per topic; a newer one replaces it
        self._events: collections.deque[str] = collections.deque(maxlen=MAX_PENDING_EVENTS)
        self._monitor: collections.deque[str] = collections.deque(maxlen=MAX_PENDING_MONITOR)
        self._replies: collections.deque[str] = collections.deque()
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self.skipped = 0

    def offer_state(self, topic: str, params: dict[str, Any]) -> None:
        if topic in self._state:
            self.skipped += 1
        self._state[topic] = notification(topic, params)
        self._wake.set()

    def offer_event(self, params: dict[str, Any]) -> None:
        self._events.append(notification("event", params))
        self._wake.set()

    def offer_monitor(self, params: dict[str, Any]) -> None:
        self._monitor.append(notification("monitor", params))
        self._wake.set()

    async def reply(self, text: str) -> None:
        """Queue a response; waits (this client only) when it has many unsent."""
        await self._room.wait()
        self._replies.append(text)
        if len(self._replies) >= MAX_PENDING_REPLIES:
            self._room.clear()
        self._wake.set()

    async def write_forever(self) -> None:
        """Send whatever is pending, replies first; the only sender on this socket."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._replies or self._events or self._state or self._monitor:
                if self._replies:
                    text = self._replies.popleft()
                    if len(self._replies) < MAX_PENDING_REPLIES:
                        self._room.set()
                elif self._events:
                    text = self._events.popleft()
                elif self._state:
                    topic = next(iter(self._state))
                    text = self._state.pop(topic)
                else:
                    text = self._monitor.popleft()
                await self._send_text(text)


class Hub:
    """Connected clients and the sampler that feeds them."""

    def __init__(self, runtime: Runtime) -> None:
        self.rt = runtime
        self.clients: set[Client] = set()
        self._last: dict[str, dict[str, Any]] = {}
        self._monitor_cursor: Any = None
        self._monitor_buffer: list[np.ndarray] = []

    def connect(self, send_text: Callable[[str], Any]) -> Client:
        client = Client(send_text)
        self.clients.add(client)
        self.rt.ws_clients = len(self.clients)
        return client

    def disconnect(self, client: Client) -> None:
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
                value = self._last.get(topic)
                if value is None:
                    value = SAMPLERS[topic](self.rt)
                    self._last[topic] = value
                client.offer_state(topic, value)
        return sorted(client.topics)

    def unsubscribe(self, client: Client, topics: list[str]) -> list[str]:
        client.topics.difference_update(topics)
        return sorted(client.topics)

    def _subscribers(self, topic: str) -> list[Client]:
        return [c for c in self.clients if topic in c.topics]

    def tick(self) -> None:
        """One sampling step; runs on the event loop and never waits."""
        for event in self.rt.take_events():
            for client in self._subscribers(EVENT_TOPIC.get(event["type"], "engine")):
                client.offer_event(event)
        for topic, sample in SAMPLERS.items():
            subscribers = self._subscribers(topic)
            if not subscribers:
                self._last.pop(topic, None)
                continue
            value = sample(self.rt)
            if value != self._last.get(topic):
                self._last[topic] = value
                for client in subscribers:
                    client.offer_state(topic, value)
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
            params = {
                "sample_rate": rate,
                "channels": 2,
                "format": "s16le",
                "data": base64.b64encode(pcm.tobytes()).decode("ascii"),
            }
            for client in subscribers:
                client.offer_monitor(params)

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
