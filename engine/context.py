"""The audio thread's view of time while it renders one chunk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .tween import StartTime

if TYPE_CHECKING:
    from .clock.module import Clocks
    from .modulator.module import Modulators


class Pending:
    """A start time turned into something the audio thread can wait for.

    Either an absolute output ``frame`` (delays are counted from the block in
    which the command arrived) or a clock time (``clock_key`` and ``ticks``
    as a float).
    """

    __slots__ = ("frame", "clock_key", "ticks")

    def __init__(self, frame: int | None = None, clock_key=None, ticks: float = 0.0) -> None:
        self.frame = frame
        self.clock_key = clock_key
        self.ticks = ticks


class ChunkContext:
    """Where the chunk being rendered sits in time. Lives on the audio thread.

    ``frame`` is the absolute index of the chunk's first output frame and
    ``n`` its length; ``offsets`` holds 0.0, 1.0, ... for whole-chunk math.
    """

    def __init__(self, sample_rate: int, chunk_size: int) -> None:
        self.sample_rate = sample_rate
        self.chunk_size = chunk_size
        self.frame = 0
        self.n = chunk_size
        self.offsets = np.arange(chunk_size, dtype=np.float64)
        self.clocks: "Clocks | None" = None
        self.modulators: "Modulators | None" = None

    def pending(self, start_time: StartTime) -> Pending | None:
        """Turn a start time into a Pending at the time its command is applied.

        None means 'now'.
        """
        if start_time.clock_time is not None:
            clock_time = start_time.clock_time
            return Pending(clock_key=clock_time.clock, ticks=clock_time.ticks + clock_time.fraction)
        if start_time.delay > 0.0:
            return Pending(frame=self.frame + int(round(start_time.delay * self.sample_rate)))
        return None

    def resolve(self, pending: Pending | None) -> int | None:
        """The offset in this chunk at which ``pending`` starts, or None if not yet."""
        if pending is None:
            return 0
        if pending.frame is not None:
            offset = pending.frame - self.frame
            if offset >= self.n:
                return None
            return offset if offset > 0 else 0
        clock = self.clocks.get(pending.clock_key) if self.clocks is not None else None
        if clock is None:
            # A clock that is gone can never reach the time: start now rather than never.
            return 0
        return clock.offset_reaching(pending.ticks, self.n)
