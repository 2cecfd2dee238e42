"""The channels between callers and the audio thread.

``CommandChannel`` is a bounded multi-producer, single-consumer queue. The
producers share a lock among themselves; the consumer (the audio thread)
only pops from the deque, which is atomic under the GIL, so it never waits
on a caller. ``EventQueue`` and ``Collector`` run the other way: the audio
thread appends, callers pop.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .arena import Key
from .errors import CommandQueueFull


class CommandChannel:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._queue: deque = deque()
        self._lock = threading.Lock()

    def send(self, command: Any) -> None:
        """Queue one command or raise ``CommandQueueFull``; never blocks on the audio thread."""
        with self._lock:
            if len(self._queue) >= self.capacity:
                raise CommandQueueFull(self.capacity)
            self._queue.append(command)

    def send_all(self, commands: Iterable[Any]) -> None:
        """Queue several commands, all or none."""
        commands = list(commands)
        with self._lock:
            if len(self._queue) + len(commands) > self.capacity:
                raise CommandQueueFull(self.capacity)
            self._queue.extend(commands)

    def drain(self, apply: Callable[[Any], None], failed: Callable[[Any, Exception], None]) -> int:
        """Apply every command queued so far, in order. Runs on the audio thread.

        A command that raises is handed to ``failed``; the rest still apply.
        """
        count = len(self._queue)
        popleft = self._queue.popleft
        for _ in range(count):
            command = popleft()
            try:
                apply(command)
            except Exception as error:  # noqa: BLE001 - one bad command must not cost the block
                failed(command, error)
        return count

    def __len__(self) -> int:
        return len(self._queue)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened on the audio thread.

    ``kind`` is 'sound_finished', 'clock_tick' or 'error'; ``data`` holds the
    details (for an error, a message; for a tick, the tick count).
    """

    kind: str
    key: Key | None
    data: dict = field(default_factory=dict)


class EventQueue:
    """Bounded; when callers do not read, the oldest events are dropped and counted."""

    def __init__(self, capacity: int) -> None:
        self._queue: deque[Event] = deque(maxlen=capacity)
        self.dropped = 0

    def push(self, event: Event) -> None:
        """Runs on the audio thread."""
        if len(self._queue) == self._queue.maxlen:
            self.dropped += 1
        self._queue.append(event)

    def pop_all(self) -> list[Event]:
        events = []
        while True:
            try:
                events.append(self._queue.popleft())
            except IndexError:
                return events


class Collector:
    """Things the audio thread removed, handed back to be released by callers."""

    def __init__(self) -> None:
        self._queue: deque[tuple[Key, Any]] = deque()

    def push(self, key: Key, thing: Any) -> None:
        """Runs on the audio thread; keeps the Thing alive so it is not freed there."""
        self._queue.append((key, thing))

    def pop_all(self) -> list[tuple[Key, Any]]:
        items = []
        while True:
            try:
                items.append(self._queue.popleft())
            except IndexError:
                return items
