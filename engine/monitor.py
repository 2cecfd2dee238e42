"""A tap on the main mix in shared memory: the audio thread writes, listeners read behind it."""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def _write(ring: np.ndarray, header: np.ndarray, block: np.ndarray) -> None:
    size = ring.shape[0]
    n = block.shape[0]
    skip = n - size if n > size else 0
    h = header[0]
    written = h.monitor_written
    for k in range(skip, n):
        slot = (written + k - skip) % size
        ring[slot, 0] = block[k, 0]
        ring[slot, 1] = block[k, 1]
    h.monitor_written = written + n - skip


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
        self._header = header
        self._h = header[0]

    @property
    def written(self) -> int:
        return int(self._h["monitor_written"])

    def write(self, block: np.ndarray) -> None:
        """Runs on the audio thread."""
        _write(self._ring, self._header, block)

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
