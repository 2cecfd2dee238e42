"""A listener on the audio thread: its position and orientation, tweenable, as rows of the parameter table."""

from __future__ import annotations

import math

import numpy as np

from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter, ParameterTable
from ..tween import Tween
from .geometry import MAX_METRES
from .settings import ListenerSpec

# x, y, z, then the quaternion's x, y, z, w.
ROWS = 7


class Listener:
    def __init__(self, key: Key, spec: ListenerSpec, table: ParameterTable, first_row: int, ctx: ChunkContext,
                 shared: np.ndarray, state: np.ndarray) -> None:
        self.key = key
        chunk = ctx.chunk_size
        self.rows = [Parameter(table, first_row + i, float(v), chunk, -MAX_METRES, MAX_METRES)
                     for i, v in enumerate((*spec.position, *spec.orientation))]
        self.record = shared[key.index]
        self.state = state[key.index]

    def set_position(self, position: tuple[float, float, float], tween: Tween, ctx: ChunkContext) -> None:
        for row, value in zip(self.rows[:3], position):
            row.set(value, tween, ctx)

    def set_orientation(self, orientation: tuple[float, float, float, float], tween: Tween, ctx: ChunkContext) -> None:
        # Both q and -q are the same turn: take the one nearer the current, so the glide goes the short way.
        current = [row.value for row in self.rows[3:]]
        if sum(a * b for a, b in zip(current, orientation)) < 0.0:
            orientation = tuple(-c for c in orientation)  # type: ignore[assignment]
        for row, value in zip(self.rows[3:], orientation):
            row.set(value, tween, ctx)

    def process(self, ctx: ChunkContext) -> None:
        """Where the listener is at the chunk's first and last frame, into its state row. Runs on the audio thread."""
        state = self.state
        n = ctx.n
        for i, row in enumerate(self.rows):
            values = row.update(ctx)
            first, last = (values, values) if isinstance(values, float) else (float(values[0]), float(values[n - 1]))
            if i < 3:
                state[i], state[3 + i] = first, last
            else:
                state[6 + i - 3], state[10 + i - 3] = first, last
        for start in (6, 10):
            q = state[start : start + 4]
            norm = math.sqrt(float(q @ q))
            if norm > 1e-12:
                q /= norm
            else:
                q[:] = (0.0, 0.0, 0.0, 1.0)
        self.record["position"] = state[3:6]
        self.record["orientation"] = state[10:14]
