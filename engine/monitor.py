"""A tap on the main mix in shared memory: the audio thread writes, listeners read behind it."""

from __future__ import annotations

import numpy as np


class Monitor:
    """A ring of the last seconds of output (``ring``, shape (frames, 2)).

    The audio thread copies each block in and then advances the count of
    frames written (``header['monitor_written']``); a reader asks for
    everything since its cursor. A reader that fell more than the ring
    behind skips ahead: it loses audio, the engine never waits.
    """

    def __init__(self, ring: np.ndarray, header: np.ndarray, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._ring = ring
        self.size = ring.shape[0]
        self._h = header[0]

    @property
    def written(self) -> int:
        return int(self._h["monitor_written"])

    def write(self, block: np.ndarray) -> None:
        """Runs on the audio thread."""
        n = block.shape[0]
        if n > self.size:
            block = block[-self.size :]
            n = self.size
        written = int(self._h["monitor_written"])
        start = written % self.size
        first = min(n, self.size - start)
        self._ring[start : start + first] = block[:first]
        if first < n:
            self._ring[: n - first] = block[first:]
        self._h["monitor_written"] = written + n

    def cursor(self) -> int:
        """A cursor at 'now', for a reader that wants only what comes next."""
        return self.written

    def read_since(self, cursor: int) -> tuple[np.ndarray, int]:
        """Frames written since ``cursor`` (a copy) and the new cursor."""
        written = self.written
        # Keep a block's margin away from the writer, which may be mid-copy.
        oldest = written - self.size + 4096
        if cursor < oldest:
            cursor = max(oldest, 0)
        if cursor > written:
            cursor = written
        n = written - cursor
        if n <= 0:
            return np.zeros((0, 2), dtype=np.float32), written
        start = cursor % self.size
        first = min(n, self.size - start)
        frames = np.empty((n, 2), dtype=np.float32)
        frames[:first] = self._ring[start : start + first]
        if first < n:
            frames[first:] = self._ring[: n - first]
        return frames, written
