"""The clocks module of the Backend. Lives on the audio thread."""

from __future__ import annotations

from ..arena import Key, Slots
from ..channel import Collector, Event, EventQueue
from ..context import ChunkContext
from .clock import Clock
from .commands import AddClock, RemoveClock, SetClockSpeed, SetClockTicking


class Clocks:
    def __init__(self, capacity: int, ctx: ChunkContext, events: EventQueue, collector: Collector) -> None:
        self._slots: Slots[Clock] = Slots(capacity)
        self._ctx = ctx
        self._events = events
        self._collector = collector
        self._current: Clock | None = None
        self._broken: list = []

    def __len__(self) -> int:
        return len(self._slots)

    def get(self, key: Key) -> Clock | None:
        return self._slots.get(key)

    def discard(self, key: Key) -> None:
        """Forget the Thing under ``key`` if it got in (its command failed half-way)."""
        if isinstance(key, Key):
            self._slots.remove(key)

    def apply(self, command) -> None:
        """Runs on the audio thread."""
        if type(command) is AddClock:
            self._slots.insert(command.key, command.clock)
            return
        clock = self._slots.get(command.key)
        if clock is None:
            return
        if type(command) is SetClockSpeed:
            clock.speed.set(command.value, command.tween, self._ctx)
        elif type(command) is SetClockTicking:
            getattr(clock, command.action)()
            clock.shared.ticking = clock.ticking
        elif type(command) is RemoveClock:
            self._slots.remove(command.key)
            self._collector.push(command.key, clock)

    def process(self, ctx: ChunkContext) -> None:
        """Advance every clock through the chunk. Runs on the audio thread."""
        for clock in self._slots.items:
            clock.predict(ctx)
        broken = self._broken
        for clock in self._slots.items:
            self._current = clock
            try:
                clock.process(ctx, self._emit)
            except Exception as error:  # noqa: BLE001 - a broken clock must not stop the stream
                broken.append((clock, error))
        if broken:
            # Removed after the loop, so no clock is skipped this chunk.
            for clock, error in broken:
                self._slots.remove(clock.key)
                self._collector.push(clock.key, clock)
                self._events.push(Event("error", clock.key, {"message": f"{type(error).__name__}: {error}"}))
            broken.clear()

    def _emit(self, ticks: int, offset: int) -> None:
        self._events.push(Event("clock_tick", self._current.key, {"ticks": ticks, "frame": self._ctx.frame + offset}))
