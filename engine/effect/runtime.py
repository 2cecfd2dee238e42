"""One effect on a track, on the audio thread: its audio-thread object, its parameters and its wet gain.

Every change that would click if done at once — adding, removing, bypassing,
moving in the chain, switching a mode — glides the effect's wet gain to 0
over 10 ms (the track then hears its dry signal, unchanged), makes the
change while it is out, and glides back. A bypassed effect is not processed
at all; its state is cleared before it comes back, so no stale tail plays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .. import parameter_kernel as pk
from ..arena import Key
from ..context import ChunkContext
from ..jit import direct
from ..parameter import Parameter, ParameterTable, init_row, set_row
from ..tween import Tween
from ..value import Value
from . import kernels as ek
from .kinds import KINDS
from .settings import ALIGN, EffectSpec

if TYPE_CHECKING:
    from ..track.runtime import Track

# Rows an effect slot takes in the parameter table: its parameters, then its wet gain.
ROWS = 8
GLIDE_SECONDS = 0.01


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


class Effect:
    def __init__(self, key: Key, spec: EffectSpec, memory: np.ndarray, feedback: list[np.ndarray],
                 table: ParameterTable, first_row: int, ctx: ChunkContext, track: "Track") -> None:
        self.key = key
        self.kind = spec.kind
        self.builder = spec.builder
        self.track = track
        self.table = table
        self.first_row = first_row
        self.ctx = ctx
        builder = spec.builder
        cls = KINDS[spec.kind][1]
        rate, chunk = ctx.sample_rate, ctx.chunk_size
        self.count = len(builder.SPECS)
        offset = spec.state_bytes
        self.values = memory[offset : offset + 8 * self.count * chunk].view(np.float64).reshape(self.count, chunk)
        offset += _aligned(8 * self.count * chunk)
        self.changing = memory[offset : offset + max(self.count, 1)].view(np.uint8)
        offset += _aligned(max(self.count, 1))
        self.dry = memory[offset : offset + 4 * 2 * chunk].view(np.float32).reshape(2, chunk)
        offset += _aligned(4 * 2 * chunk)
        self.wet_values = memory[offset : offset + 8 * chunk].view(np.float64)
        state = memory[: spec.state_bytes]
        if feedback:
            inner = [KINDS[b.KIND][1](b, m, rate, chunk) for b, m in zip(builder.feedback_effects, feedback)]
            self.dsp: Any = cls(builder, state, rate, chunk, inner)
        else:
            self.dsp = cls(builder, state, rate, chunk)
        self.names = tuple(s.name for s in builder.SPECS)
        for i, parameter in enumerate(builder.SPECS):
            value = getattr(builder, parameter.name)
            init_row(table, first_row + i, _bound(value, track), parameter.default, parameter.low, parameter.high)
        self.wet = Parameter(table, first_row + ROWS - 1, 0.0, chunk, 0.0, 1.0)
        self.bypassed = spec.bypassed
        self.index_wanted = spec.index
        self.removing = False
        # Changes waiting for the wet gain to reach 0, done in order when it has.
        self.pending: list[Callable[[], None]] = []
        # ``kernels.step`` for this effect's arrays, called without numba's dispatch (jit.direct).
        self._step: Callable[..., int] | None = None
        if not self.bypassed:
            self.wet.set(1.0, Tween(GLIDE_SECONDS), ctx)

    def parameter_row(self, name: str) -> int:
        return self.first_row + self.names.index(name)

    # -- commands ------------------------------------------------------------------------------

    def set_parameter(self, name: str, value: float | Value, tween: Tween) -> None:
        set_row(self.table, self.parameter_row(name), _bound(value, self.track), tween, self.ctx)

    def when_out(self, change: Callable[[], None]) -> None:
        """Do ``change`` once the effect is out of the signal (at once if it is already)."""
        if self.bypassed and self.wet.value == 0.0:
            change()
            return
        self.pending.append(change)
        self.wet.set(0.0, Tween(GLIDE_SECONDS), self.ctx)

    def set_bypassed(self, bypassed: bool) -> None:
        if bypassed == self.bypassed:
            return
        self.bypassed = bypassed
        if bypassed:
            self.wet.set(0.0, Tween(GLIDE_SECONDS), self.ctx)
        elif not self.pending:
            self.dsp.reset()
            self.wet.set(1.0, Tween(GLIDE_SECONDS), self.ctx)

    # -- rendering -----------------------------------------------------------------------------

    def process(self, buffer: np.ndarray, ctx: ChunkContext, shared: np.ndarray) -> None:
        """Run the effect over the track's buffer (2, n) in place, blended by its wet gain. Runs on the audio thread."""
        n = ctx.n
        args = (self.table.rows, self.first_row, self.count, self.wet.index, ctx.frame, n, ctx.clock_times,
                ctx.clock_ticking, ctx.clock_generations, ctx.source_values, ctx.source_generations, self.values,
                self.changing, self.wet_values, shared, self.key.index)
        step = self._step
        if step is None:
            step = self._step = direct(ek.step, *args)
        mode = step(*args) if step is not None else ek.step(*args)
        if mode == ek.WET_OUT:
            self._out()
            return
        if mode == ek.WET_FULL:
            self.dsp.process(buffer, 0, n, self.values, self.changing)
            return
        dry = self.dry
        dry[:, :n] = buffer[:, :n]
        self.dsp.process(buffer, 0, n, self.values, self.changing)
        ek.crossfade(buffer, dry, self.wet_values, n)
        if self.wet.value == 0.0:
            self._out()

    def _out(self) -> None:
        """The effect is out of the signal: make the changes that waited for it, then come back."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        for change in pending:
            change()
        if not self.bypassed and not self.removing:
            self.dsp.reset()
            self.wet.set(1.0, Tween(GLIDE_SECONDS), self.ctx)

    def publish(self, record: np.void, position: int) -> None:
        """Where it is and whether it is bypassed (its values are shared every chunk by ``kernels.step``)."""
        record["position"] = position
        record["bypassed"] = 1 if self.bypassed else 0
        record["wet"] = self.wet.value
        rows = self.table.rows
        for i in range(self.count):
            record["values"][i] = rows[self.first_row + i]["value"]


def _bound(value: float | Value, track: "Track") -> float | Value:
    """A value following the listener distance follows its own track's (an effect on a spatial track)."""
    if isinstance(value, Value) and value.listener_distance and value.distance_key is None:
        from dataclasses import replace

        return replace(value, distance_key=track.key)
    return value
