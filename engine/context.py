"""The audio thread's view of the chunk being rendered: where it sits in time, and what can be followed.

Clocks fill ``clock_times`` (their time in ticks at every frame of the
chunk) before anything else renders, modulators fill their rows of
``source_values``, spatial tracks their listener distances; then every
parameter and start time of the chunk is resolved against them.
"""

from __future__ import annotations

import numpy as np

from . import parameter_kernel as pk
from .tween import StartTime

# A start time made absolute when its command reaches the audio thread:
# (kind, clock slot, clock generation, frame or ticks); None means now.
Pending = tuple[int, int, int, float]


class ChunkContext:
    """``frame`` is the absolute index of the chunk's first output frame and ``n`` its length.

    ``clock_generations[i]`` is the generation of the clock in slot i (0 for
    none), ``clock_ticking[i]`` whether it ticked this chunk; likewise
    ``source_generations`` for the rows of ``source_values``. Lives on the
    audio thread.
    """

    def __init__(self, sample_rate: int, chunk_size: int, clocks: int, sources: int) -> None:
        self.sample_rate = sample_rate
        self.chunk_size = chunk_size
        self.frame = 0
        self.n = chunk_size
        self.offsets = np.arange(chunk_size, dtype=np.float64)
        self.clock_times = np.zeros((max(clocks, 1), chunk_size), dtype=np.float64)
        self.clock_ticking = np.zeros(max(clocks, 1), dtype=np.int64)
        self.clock_generations = np.zeros(max(clocks, 1), dtype=np.int64)
        self.source_values = np.zeros((max(sources, 1), chunk_size), dtype=np.float64)
        self.source_generations = np.zeros(max(sources, 1), dtype=np.int64)

    def pending(self, start_time: StartTime) -> Pending | None:
        """A start time as something the audio thread can wait for, fixed when its command is applied.

        Delays count from the block in which the command arrived.
        """
        if start_time.clock_time is not None:
            clock_time = start_time.clock_time
            key = clock_time.clock
            return (pk.PEND_CLOCK, key.index, key.generation, clock_time.ticks + clock_time.fraction)
        if start_time.delay > 0.0:
            return (pk.PEND_FRAME, -1, 0, float(self.frame + int(round(start_time.delay * self.sample_rate))))
        return None

    def resolve(self, pending: Pending | None) -> int:
        """The offset in this chunk at which ``pending`` falls, ``pk.NOT_YET`` or ``pk.CLOCK_GONE``."""
        if pending is None:
            return 0
        kind, clock, generation, value = pending
        return int(pk.resolve(kind, clock, generation, value, self.frame, self.n,
                              self.clock_times, self.clock_ticking, self.clock_generations))
