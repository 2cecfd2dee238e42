"""One clock on the audio thread."""

from __future__ import annotations

import math

import numpy as np

from ..accumulator import Accumulator
from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter

MAX_TICK_EVENTS_PER_CHUNK = 16


class ClockShared:
    """Written by the audio thread each chunk; ``ticks`` and ``fraction`` make the time."""

    __slots__ = ("ticking", "ticks", "fraction", "speed")

    def __init__(self, speed: float) -> None:
        self.ticking = False
        self.ticks = 0
        self.fraction = 0.0
        self.speed = speed


class Clock:
    """Counts ticks at a (tweenable) speed in ticks per second.

    Each chunk it fills ``times`` with its time (ticks as a float) at every
    frame, so that anything waiting for a tick finds the exact frame it falls
    on with one search.
    """

    def __init__(self, key: Key, ticks_per_second: float, shared: ClockShared, chunk_size: int) -> None:
        self.key = key
        self.speed = Parameter(ticks_per_second, chunk_size, 0.0, 100_000.0)
        self.ticking = False
        self.shared = shared
        self._time = Accumulator(0.0)
        self._times = np.zeros(chunk_size, dtype=np.float64)
        self._ticked = False

    def start(self) -> None:
        self.ticking = True

    def pause(self) -> None:
        self.ticking = False
        self._time.hold()

    def stop(self) -> None:
        self.ticking = False
        self._time.reset(0.0)

    def process(self, ctx: ChunkContext, emit) -> None:
        """Advance through the chunk. Runs on the audio thread.

        ``emit(ticks, offset)`` is called for each whole tick reached in the chunk.
        """
        speed = self.speed.update(ctx)
        self._ticked = self.ticking
        if not self.ticking:
            self._publish()
            return
        times = self._time.advance(ctx, speed, self._times)
        # Tick k falls on the first frame whose time reaches k.
        first_tick = math.ceil(times[0])
        last_tick = min(math.floor(times[ctx.n - 1]), first_tick + MAX_TICK_EVENTS_PER_CHUNK - 1)
        for tick in range(first_tick, last_tick + 1):
            emit(tick, int(np.searchsorted(times[: ctx.n], tick, side="left")))
        self._publish()

    def offset_reaching(self, ticks: float, n: int) -> int | None:
        """The first offset in this chunk whose time is at or past ``ticks``, if any."""
        if not self._ticked:
            return None
        offset = int(np.searchsorted(self._times[:n], ticks, side="left"))
        return offset if offset < n else None

    def _publish(self) -> None:
        value = self._time.value
        whole = math.floor(value)
        shared = self.shared
        shared.ticking = self.ticking
        shared.ticks = int(whole)
        shared.fraction = value - whole
        shared.speed = self.speed.value
