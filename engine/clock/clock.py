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
    """Written by the audio thread each chunk; ``time`` is (whole ticks, fraction of the next)."""

    __slots__ = ("ticking", "time", "speed")

    def __init__(self, speed: float) -> None:
        self.ticking = False
        self.time = (0, 0.0)
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
        self._ticked = self.ticking
        if self.ticking:
            self._time.peek(ctx, self.speed.value, self._times)

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
        last_tick = math.floor(times[ctx.n - 1])
        if last_tick - first_tick + 1 > MAX_TICK_EVENTS_PER_CHUNK:
            self.ticks_not_reported += last_tick - first_tick + 1 - MAX_TICK_EVENTS_PER_CHUNK
            last_tick = first_tick + MAX_TICK_EVENTS_PER_CHUNK - 1
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
        shared.time = (int(whole), value - whole)  # one write, so a reader never sees half of it
        shared.speed = self.speed.value
