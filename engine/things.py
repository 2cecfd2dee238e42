"""What every Backend module of Things shares. Lives on the audio thread."""

from __future__ import annotations

from typing import Generic, TypeVar

from .arena import Key, Slots
from .channel import Collector, Event, EventQueue
from .context import ChunkContext

T = TypeVar("T")


class ThingModule(Generic[T]):
    """Slots for one kind of Thing, and the one way Things leave them.

    A Thing leaves when a command removes it or when it raises while
    processing; either way it goes to the collector, to be freed on the
    caller's side, and a failure is reported as an error event.
    """

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventQueue, collector: Collector) -> None:
        self._slots: Slots[T] = Slots(capacity)
        self._ctx = ctx
        self._events = events
        self._collector = collector
        self._broken: list[tuple[T, Exception]] = []

    def __len__(self) -> int:
        return len(self._slots)

    def get(self, key: Key) -> T | None:
        return self._slots.get(key)

    def discard(self, key: Key) -> None:
        """Forget the Thing under ``key`` if it got in (its command failed half-way)."""
        if isinstance(key, Key):
            self._slots.remove(key)

    def remove(self, key: Key) -> None:
        thing = self._slots.remove(key)
        if thing is not None:
            self._collector.push(key, thing)

    def reject(self, key: Key, thing: T) -> None:
        """The command bringing ``thing`` failed: forget it if it got in, and hand it back."""
        self.discard(key)
        self._collector.push(key, thing)
        self.left(thing)

    def broke(self, thing: T, error: Exception) -> None:
        """Note a Thing that raised; it leaves at ``drop_broken``, after the loop over Things."""
        self._broken.append((thing, error))

    def drop_broken(self) -> None:
        # Removing only after the loop keeps the loop from skipping the Thing that follows.
        if not self._broken:
            return
        for thing, error in self._broken:
            if self._slots.get(thing.key) is thing:
                self.remove(thing.key)
                self._events.push(Event("error", thing.key, {"message": f"{type(error).__name__}: {error}"}))
                self.left(thing)
        self._broken.clear()

    def left(self, thing: T) -> None:
        """Called for each Thing that left, after it left; a module may tell its handles."""
