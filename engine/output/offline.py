"""The offline output: renders on demand, deterministic, for tests and files."""

from __future__ import annotations

from typing import Callable

import numpy as np

from .base import OutputStats, Renderer, timed_process


class OfflineOutput:
    """Renders the next ``n`` frames when asked; no thread, no clock.

    The same commands sent in the same order before the same ``render`` calls
    give the same samples, bit for bit.
    """

    kind = "offline"

    def __init__(self, renderer: Renderer, sample_rate: int, block_size: int, stats: OutputStats | None = None) -> None:
        self._renderer = renderer
        self.sample_rate = sample_rate
        self.block_size = block_size
        self.stats = stats if stats is not None else OutputStats()

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def render(self, frames: int, before_block: Callable[[], None] | None = None) -> np.ndarray:
        """Return the next ``frames`` frames as float32, shape (frames, 2).

        Rendered in blocks of ``block_size`` so that commands sent between
        calls take effect at the same frames a real-time output would apply
        them (at the next block boundary).
        """
        out = np.zeros((frames, 2), dtype=np.float32)
        for start in range(0, frames, self.block_size):
            if before_block is not None:
                before_block()
            block = out[start : start + self.block_size]
            timed_process(self._renderer, block, self.stats, self.sample_rate)
        return out

    def describe(self) -> dict:
        return {"kind": self.kind, "device": None, "sample_rate": self.sample_rate, "block_size": self.block_size}
