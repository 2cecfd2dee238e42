"""What every output shares: the renderer it drives and the statistics it keeps.

An output owns the thread (or the device callback) that asks the Backend for
audio. The Backend exposes one method, ``process(out)``, which fills a float32
array of shape ``(frames, 2)`` in place; it runs on the audio thread.
"""

from __future__ import annotations

import time
from typing import Protocol

import numpy as np

from .stats import LOAD_BUCKETS, OutputStats

__all__ = ["LOAD_BUCKETS", "Output", "OutputStats", "Renderer", "timed_process"]


class Renderer(Protocol):
    def process(self, out: np.ndarray) -> None:
        """Fill ``out`` (float32, shape (frames, 2)) with the next frames.

        Runs on the audio thread.
        """


def timed_process(renderer: Renderer, out: np.ndarray, stats: OutputStats, sample_rate: int) -> None:
    """Render one block and record how long it took, in wall time and in this thread's CPU time.

    Runs on the audio thread. On a busy machine wall time also counts the
    time other work held the CPU; CPU time is what the render itself cost.
    """
    start = time.perf_counter()
    cpu = time.thread_time()
    renderer.process(out)
    stats.record(time.perf_counter() - start, time.thread_time() - cpu, out.shape[0], sample_rate)


class Output(Protocol):
    """An output drives a renderer. ``kind`` is 'device', 'null' or 'offline'."""

    kind: str
    sample_rate: int
    block_size: int
    stats: OutputStats

    def start(self) -> None: ...

    def close(self) -> None: ...

    def describe(self) -> dict:
        """Name, device, rate and block size, for logs and the API."""
