"""The clocks module of the Backend. Lives on the audio thread."""

from __future__ import annotations

from ..channel import Collector, Event, EventQueue
from ..context import ChunkContext
from ..things import ThingModule
from .clock import Clock
from .commands import AddClock, RemoveClock, SetClockSpeed, SetClockTicking


class Clocks(ThingModule[Clock]):
    def __init__(self, capacity: int, ctx: ChunkContext, events: EventQueue, collector: Collector) -> None:
        super().__init__(capacity, ctx, events, collector)
        self._current: Clock | None = None

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
            self.remove(command.key)

    def process(self, ctx: ChunkContext) -> None:
        """Advance every clock through the chunk. Runs on the audio thread."""
        for clock in self._slots.items:
            clock.predict(ctx)
        for clock in self._slots.items:
            self._current = clock
            try:
                clock.process(ctx, self._emit)
            except Exception as error:  # noqa: BLE001 - a broken clock must not stop the stream
                self.broke(clock, error)
        self.drop_broken()

    def _emit(self, ticks: int, offset: int) -> None:
        self._events.push(Event("clock_tick", self._current.key, {"ticks": ticks, "frame": self._ctx.frame + offset}))
