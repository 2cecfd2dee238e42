"""One clock on the audio thread."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ..accumulator import Accumulator
from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter, ParameterTable
from ..spec import TICKS_PER_SECOND
from .settings import ClockSpec

MAX_TICK_EVENTS_PER_CHUNK = 16


class Clock:
    """Counts ticks at a (tweenable) speed in ticks per second.

    Each chunk it fills its row of ``ctx.clock_times`` with its time (ticks
    as a float) at every frame, so that anything waiting for a tick finds
    the exact frame it falls on.
    """

    def __init__(self, key: Key, spec: ClockSpec, table: ParameterTable, row: int, ctx: ChunkContext,
                 shared: np.ndarray) -> None:
        self.key = key
        self.speed = Parameter(table, row, spec.speed, ctx.chunk_size, TICKS_PER_SECOND.low, TICKS_PER_SECOND.high)
        self.ticking = spec.ticking
        self.record = shared[key.index]
        self._time = Accumulator(spec.time)
        self._times = ctx.clock_times[key.index]
        self._ticking = ctx.clock_ticking[key.index : key.index + 1]
        # Ticks that came too fast to each get an event (more than MAX_TICK_EVENTS_PER_CHUNK a chunk).
        self.ticks_not_reported = 0

    def start(self) -> None:
        self.ticking = True

    def pause(self) -> None:
        self.ticking = False
        self._time.hold()

    def stop(self) -> None:
        self.ticking = False
        self._time.reset(0.0)

    def predict(self, ctx: ChunkContext) -> None:
        """Fill this chunk's times as if the speed stayed as it is. Runs on the audio thread.

        A speed change scheduled on a clock time (of this clock or another)
        needs this chunk's times to find its frame before the chunk's real
        times, which depend on that change, can be computed.
        """
        self._ticking[0] = 1 if self.ticking else 0
        if self.ticking:
            self._time.peek(ctx, self.speed.value, self._times)

    def process(self, ctx: ChunkContext, emit: Callable[[int, int], None]) -> None:
        """Advance through the chunk. Runs on the audio thread.

        ``emit(ticks, offset)`` is called for each whole tick reached in the chunk.
        """
        speed = self.speed.update(ctx)
        self._ticking[0] = 1 if self.ticking else 0
        if not self.ticking:
            self._publish()
            return
        times = self._time.advance(ctx, speed, self._times)
        # Tick k falls on the first frame whose time reaches k.
        first_tick = math.ceil(times[0])
        last_tick = math.floor(times[ctx.n - 1])
        if last_tick - first_tick + 1 > MAX_TICK_EVENTS_PER_CHUNK:
            self.ticks_not_reported += last_tick - first_tick + 1 - MAX_TICK_EVENTS_PER_CHUNK
            last_tick = first_tick + MAX_TICK_EVENTS_PER_CHUNK - 1
        for tick in range(first_tick, last_tick + 1):
            emit(tick, int(np.searchsorted(times[: ctx.n], tick, side="left")))
        self._publish()

    def _publish(self) -> None:
        record = self.record
        record["ticking"] = 1 if self.ticking else 0
        record["time"] = self._time.value
        record["speed"] = self.speed.value
