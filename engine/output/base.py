"""What every output shares: the renderer it drives and the statistics it keeps.

An output owns the thread (or the device callback) that asks the Backend for
audio. The Backend exposes one method, ``process(out)``, which fills a float32
array of shape ``(frames, 2)`` in place; it runs on the audio thread.
"""

from __future__ import annotations

import time
from typing import Protocol

import numpy as np

# Upper edges of the render-time histogram, as a fraction of the block's
# real-time budget; the last bucket counts everything above 1.0 (late).
LOAD_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, float("inf"))


class Renderer(Protocol):
    def process(self, out: np.ndarray) -> None:
        """Fill ``out`` (float32, shape (frames, 2)) with the next frames.

        Runs on the audio thread.
        """


class OutputStats:
    """Counters an output writes on the audio thread and anyone may read.

    Plain attribute writes are atomic under the GIL, so readers need no lock;
    a reader may see a histogram one block behind, never a torn number.
    """

    def __init__(self) -> None:
        self.callbacks = 0
        self.frames = 0
        self.underflows = 0
        self.late_blocks = 0
        self.last_load = 0.0
        self.max_load = 0.0
        self.render_seconds_total = 0.0
        self.load_histogram = [0] * len(LOAD_BUCKETS)

    def record(self, seconds: float, frames: int, sample_rate: int) -> None:
        """Account for one rendered block. Runs on the audio thread."""
        budget = frames / sample_rate
        load = seconds / budget if budget > 0 else 0.0
        self.callbacks += 1
        self.frames += frames
        self.render_seconds_total += seconds
        self.last_load = load
        if load > self.max_load:
            self.max_load = load
        if load > 1.0:
            self.late_blocks += 1
        for i, edge in enumerate(LOAD_BUCKETS):
            if load <= edge:
                self.load_histogram[i] += 1
                break

    def snapshot(self) -> dict:
        return {
            "callbacks": self.callbacks,
            "frames": self.frames,
            "underflows": self.underflows,
            "late_blocks": self.late_blocks,
            "last_load": self.last_load,
            "max_load": self.max_load,
            "render_seconds_total": self.render_seconds_total,
            "load_histogram": list(zip(LOAD_BUCKETS, list(self.load_histogram))),
        }


def timed_process(renderer: Renderer, out: np.ndarray, stats: OutputStats, sample_rate: int) -> None:
    """Render one block and record how long it took. Runs on the audio thread."""
    start = time.perf_counter()
    renderer.process(out)
    stats.record(time.perf_counter() - start, out.shape[0], sample_rate)


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
