"""The clocks module of the Backend. Lives on the audio thread."""

from __future__ import annotations

import numpy as np

from ..arena import Key
from ..channel import Event, EventSender
from ..context import ChunkContext
from ..parameter import ParameterTable
from ..things import ThingModule
from .runtime import Clock
from .settings import ClockSpec


class Clocks(ThingModule[Clock]):
    kind = "clock"

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventSender, shared: np.ndarray,
                 table: ParameterTable, first_row: int) -> None:
        super().__init__(capacity, ctx, events, shared)
        self.table = table
        self.first_row = first_row
        self._current: Clock | None = None

    def create(self, key: Key, spec: ClockSpec) -> Clock:
        return Clock(key, spec, self.table, self.first_row + key.index, self.ctx, self.shared)

    def added(self, clock: Clock) -> None:
        # Start times and tweens name the clock by key; its generation here is how they find it.
        self.ctx.clock_generations[clock.key.index] = clock.key.generation

    def left(self, clock: Clock, reason: str | None) -> None:
        index = clock.key.index
        self.ctx.clock_generations[index] = 0
        self.ctx.clock_ticking[index] = 0
        self.shared[index]["ticking"] = 0

    def process(self, ctx: ChunkContext) -> None:
        """Advance every clock through the chunk. Runs on the audio thread."""
        clocks = self._slots.items
        for clock in clocks:
            clock.predict(ctx)
        for clock in clocks:
            self._current = clock
            try:
                clock.process(ctx, self._emit)
            except Exception as error:  # noqa: BLE001 - a broken clock must not stop the stream
                self.broke(clock, error)
        self.drop_broken()

    def _emit(self, ticks: int, offset: int) -> None:
        clock = self._current
        assert clock is not None
        self.events.push(Event("clock_tick", clock.key, {"ticks": ticks, "frame": self.ctx.frame + offset}))
