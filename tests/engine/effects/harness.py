"""Running an effect's audio-thread object on whole signals, chunk by chunk, as the mixer does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mixdeck.engine.effect import build_dsp
from mixdeck.engine.effect.params import initial_values

RATE = 48_000
CHUNK = 512


def build(builder: Any, rate: int = RATE, chunk: int = CHUNK) -> Any:
    return build_dsp(builder, rate, chunk)


def constant_rows(builder: Any, frames: int) -> np.ndarray:
    """The builder's starting values, one row per parameter, ``frames`` long."""
    start = initial_values(builder, type(builder).SPECS)
    return np.repeat(np.asarray(start, dtype=np.float64)[:, None], frames, axis=1)


def ramp_rows(builder: Any, frames: int, name: str, begin: float, end: float, first: int, last: int) -> np.ndarray:
    """Constant rows, except ``name`` held at ``begin``, ramping linearly over frames first..last, then ``end``."""
    rows = constant_rows(builder, frames)
    row = [s.name for s in type(builder).SPECS].index(name)
    rows[row, :first] = begin
    rows[row, first:last] = np.linspace(begin, end, last - first, endpoint=False)
    rows[row, last:] = end
    return rows


def run(dsp: Any, signal: np.ndarray, rows: np.ndarray | None = None, builder: Any = None,
        chunk: int = CHUNK, flag_all: bool = False) -> np.ndarray:
    """``signal`` (2, n) float32 through ``dsp`` chunk by chunk; parameters per frame from ``rows``.

    Without ``rows`` the builder's values are held. A row is flagged as
    changing in a chunk where it is not constant (or always, ``flag_all``).
    """
    frames = signal.shape[1]
    if rows is None:
        rows = constant_rows(builder, frames)
    out = np.empty_like(signal)
    buffer = np.zeros((2, chunk), dtype=np.float32)
    values = np.zeros((rows.shape[0], chunk))
    changing = np.zeros(rows.shape[0], dtype=np.uint8)
    for at in range(0, frames, chunk):
        n = min(chunk, frames - at)
        buffer[:, :n] = signal[:, at:at + n]
        values[:, :n] = rows[:, at:at + n]
        part = rows[:, at:at + n]
        changing[:] = 1 if flag_all else (part.max(axis=1) != part.min(axis=1))
        dsp.process(buffer, 0, n, values, changing)
        out[:, at:at + n] = buffer[:, :n]
    return out


def run_chain(dsps: Sequence[Any], builders: Sequence[Any], signal: np.ndarray, chunk: int = CHUNK) -> np.ndarray:
    """``signal`` through several effects in order, each chunk through all of them before the next."""
    frames = signal.shape[1]
    out = np.empty_like(signal)
    buffer = np.zeros((2, chunk), dtype=np.float32)
    rows = [np.ascontiguousarray(constant_rows(b, chunk)) for b in builders]
    flags = [np.zeros(r.shape[0], dtype=np.uint8) for r in rows]
    for at in range(0, frames, chunk):
        n = min(chunk, frames - at)
        buffer[:, :n] = signal[:, at:at + n]
        for dsp, values, changing in zip(dsps, rows, flags):
            dsp.process(buffer, 0, n, values, changing)
        out[:, at:at + n] = buffer[:, :n]
    return out


def noise(seconds: float, peak: float = 1.0, seed: int = 1, rate: int = RATE) -> np.ndarray:
    """Uniform white noise in -peak..peak, independent on the two channels."""
    frames = round(seconds * rate)
    return np.random.default_rng(seed).uniform(-peak, peak, size=(2, frames)).astype(np.float32)


def sine(frequency: float, seconds: float, peak: float = 1.0, rate: int = RATE) -> np.ndarray:
    """The same sine on both channels."""
    frames = round(seconds * rate)
    wave = peak * np.sin(2 * np.pi * frequency * np.arange(frames) / rate)
    return np.vstack([wave, wave]).astype(np.float32)


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    return np.zeros((2, round(seconds * rate)), dtype=np.float32)


def max_step(signal: np.ndarray) -> float:
    """The largest change between two consecutive frames, over both channels."""
    return float(np.max(np.abs(np.diff(signal.astype(np.float64), axis=1))))
