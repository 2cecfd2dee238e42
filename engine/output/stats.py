"""Counters an output keeps about the blocks it renders, in the shared header.

The audio thread writes them; the manager (in another process, maybe)
reads them. Each is one aligned store, so a reader sees at worst a
histogram one block behind, never a torn number.
"""

from __future__ import annotations

import numpy as np

from ..jit import kernel

# Upper edges of the render-time histogram, as a fraction of the block's
# real-time budget; the last bucket counts everything above 1.0 (late).
LOAD_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, float("inf"))
# Upper edges, in seconds, of the histogram of how long commands wait for the audio thread.
LATENCY_BUCKETS = (0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.03, 0.05,
                   0.1, 0.25, 0.5, 1.0, float("inf"))

_LOAD_EDGES = np.array(LOAD_BUCKETS)
_LATENCY_EDGES = np.array(LATENCY_BUCKETS)


@kernel
def _record(header: np.ndarray, seconds: float, cpu_seconds: float, frames: int, sample_rate: int,
            edges: np.ndarray) -> None:
    h = header[0]
    budget = frames / sample_rate
    load = seconds / budget if budget > 0 else 0.0
    h.callbacks += 1
    h.frames += frames
    h.render_seconds += seconds
    h.render_cpu_seconds += cpu_seconds
    h.last_load = load
    if load > h.max_load:
        h.max_load = load
    if load > 1.0:
        h.late_blocks += 1
    for i in range(edges.shape[0]):
        if load <= edges[i]:
            h.load_histogram[i] += 1
            break


@kernel
def _waited(header: np.ndarray, seconds: float, count: int, edges: np.ndarray) -> None:
    h = header[0]
    h.latency_seconds += seconds * count
    for i in range(edges.shape[0]):
        if seconds <= edges[i]:
            h.latency_histogram[i] += count
            break


_FIELDS = ("callbacks", "frames", "underflows", "late_blocks", "render_errors", "last_load", "max_load",
           "render_seconds", "render_cpu_seconds", "disconnects", "reopens", "connected", "realtime")


class OutputStats:
    """Render counters of one output, backed by a shared header record (or a private one)."""

    def __init__(self, header: np.ndarray | None = None) -> None:
        if header is None:
            from ..shared import HEADER

            header = np.zeros(1, dtype=HEADER)
        self._header = header
        self._h = header[0]

    def record(self, seconds: float, cpu_seconds: float, frames: int, sample_rate: int) -> None:
        """Account for one rendered block. Runs on the audio thread."""
        _record(self._header, seconds, cpu_seconds, frames, sample_rate, _LOAD_EDGES)

    def waited(self, seconds: float, count: int) -> None:
        """Account for ``count`` commands that waited ``seconds`` to be applied. Runs on the audio thread."""
        _waited(self._header, seconds, count, _LATENCY_EDGES)

    @property
    def latency_histogram(self) -> list[tuple[float, int]]:
        """(upper edge in seconds, commands) pairs, not cumulative."""
        return list(zip(LATENCY_BUCKETS, (int(x) for x in self._h["latency_histogram"])))

    @property
    def latency_seconds_total(self) -> float:
        return float(self._h["latency_seconds"])

    def count(self, name: str, amount: int = 1) -> None:
        self._h[name] += amount

    def set(self, name: str, value: float) -> None:
        self._h[name] = value

    def __getattr__(self, name: str) -> float:
        if name in _FIELDS:
            value = self._h[name]
            return float(value) if np.issubdtype(type(value), np.floating) else int(value)
        raise AttributeError(name)

    @property
    def render_seconds_total(self) -> float:
        """Wall time spent rendering since start, in seconds."""
        return float(self._h["render_seconds"])

    @property
    def render_cpu_seconds_total(self) -> float:
        """The audio thread's CPU time spent rendering since start, in seconds."""
        return float(self._h["render_cpu_seconds"])

    @property
    def load_histogram(self) -> list[int]:
        return [int(x) for x in self._h["load_histogram"]]

    def snapshot(self) -> dict:
        h = self._h
        return {
            "callbacks": int(h["callbacks"]),
            "frames": int(h["frames"]),
            "underflows": int(h["underflows"]),
            "late_blocks": int(h["late_blocks"]),
            "render_errors": int(h["render_errors"]),
            "last_load": float(h["last_load"]),
            "max_load": float(h["max_load"]),
            "render_seconds_total": float(h["render_seconds"]),
            "render_cpu_seconds_total": float(h["render_cpu_seconds"]),
            "load_histogram": list(zip(LOAD_BUCKETS, self.load_histogram)),
        }
