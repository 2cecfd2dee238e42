"""A running position driven by a speed, exact at constant speed.

Clocks (ticks) and LFOs (phase) both advance by speed / sample_rate per
frame. Summing that per block would drift by rounding; instead, while the
speed is constant the position is computed from the start of the constant
stretch (``start + frames * speed / rate``), so tick 4 of a 120-per-minute
clock lands exactly on frame 96000. While the speed changes frame by frame
(a tween, a modulator) the speeds are summed.
"""

from __future__ import annotations

import numpy as np

from .context import ChunkContext


class Accumulator:
    __slots__ = ("value", "_anchor_frame", "_anchor_value", "_speed")

    def __init__(self, value: float = 0.0) -> None:
        self.value = value
        self._anchor_frame = -1
        self._anchor_value = value
        self._speed = 0.0

    def reset(self, value: float = 0.0) -> None:
        self.value = value
        self._anchor_frame = -1

    def hold(self) -> None:
        """Stop advancing; the next advance starts a new constant stretch."""
        self._anchor_frame = -1

    def peek(self, ctx: ChunkContext, speed: float, out: np.ndarray) -> np.ndarray:
        """Fill ``out[:n]`` with where a constant ``speed`` would take the value this chunk.

        Changes nothing: it lets things scheduled on this accumulator find
        their frame before the real speed for the chunk is known.
        """
        n = ctx.n
        values = out[:n]
        if self._anchor_frame >= 0 and speed == self._speed:
            np.add(ctx.offsets[:n], ctx.frame - self._anchor_frame, out=values)
            values *= speed
            values /= float(ctx.sample_rate)
            values += self._anchor_value
        else:
            np.multiply(ctx.offsets[:n], speed / float(ctx.sample_rate), out=values)
            values += self.value
        return values

    def advance(self, ctx: ChunkContext, speed: float | np.ndarray, out: np.ndarray) -> np.ndarray:
        """Fill ``out[:n]`` with the value at each frame of the chunk and move on.

        ``speed`` is in units per second. Runs on the audio thread.
        """
        n = ctx.n
        rate = float(ctx.sample_rate)
        values = out[:n]
        if isinstance(speed, np.ndarray):
            values[0] = 0.0
            np.cumsum(speed[: n - 1], out=values[1:])
            values *= 1.0 / rate
            values += self.value
            self.value = float(values[n - 1] + speed[n - 1] / rate)
            self._anchor_frame = -1
            return values
        if self._anchor_frame < 0 or speed != self._speed:
            self._anchor_frame = ctx.frame
            self._anchor_value = self.value
            self._speed = speed
        elapsed = ctx.frame - self._anchor_frame
        np.add(ctx.offsets[:n], elapsed, out=values)
        values *= speed
        values /= rate
        values += self._anchor_value
        self.value = self._anchor_value + (elapsed + n) * speed / rate
        return values
