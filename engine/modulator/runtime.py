"""Modulators on the audio thread: each fills its row of ``ctx.source_values`` for the chunk."""

from __future__ import annotations

import math

import numpy as np

from ..accumulator import Accumulator
from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter, ParameterTable
from ..spec import TWEENER_VALUE
from .settings import LFO_PARAMETERS, ModulatorSpec, Waveform


class Tweener:
    """A value moved only by tweens."""

    def __init__(self, key: Key, spec: ModulatorSpec, table: ParameterTable, first_row: int, ctx: ChunkContext,
                 shared: np.ndarray) -> None:
        self.key = key
        self.record = shared[key.index]
        self.parameters = {"value": Parameter(table, first_row, spec.values[0], ctx.chunk_size,
                                              TWEENER_VALUE.low, TWEENER_VALUE.high)}
        self.values = ctx.source_values[key.index]
        self.values[:] = self.parameters["value"].value

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        self.values[: ctx.n] = self.parameters["value"].update(ctx)
        self.record["value"] = self.values[ctx.n - 1]


class Lfo:
    """A low-frequency oscillator; its parameters are tweenable and may follow other modulators."""

    def __init__(self, key: Key, spec: ModulatorSpec, table: ParameterTable, first_row: int, ctx: ChunkContext,
                 shared: np.ndarray) -> None:
        self.key = key
        self.record = shared[key.index]
        self.waveform = spec.waveform
        self.parameters = {
            parameter.name: Parameter(table, first_row + i, value, ctx.chunk_size, parameter.low, parameter.high,
                                      parameter.default)
            for i, (parameter, value) in enumerate(zip(LFO_PARAMETERS, spec.values))
        }
        self.values = ctx.source_values[key.index]
        self._cycles = Accumulator(0.0)
        self._scratch = np.zeros(ctx.chunk_size, dtype=np.float64)

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        n = ctx.n
        p = self.parameters
        frequency = p["frequency"].update(ctx)
        amplitude = p["amplitude"].update(ctx)
        offset = p["offset"].update(ctx)
        phase_offset = p["phase"].update(ctx)
        width = p["pulse_width"].update(ctx)
        cycles = self._cycles.advance(ctx, frequency, self._scratch)
        # Keep the running count small so precision does not wear away over hours.
        if self._cycles.value > 1e6:
            self._cycles.reset(self._cycles.value % 1.0)
        phase = self.values[:n]
        np.add(cycles, phase_offset, out=phase)
        np.mod(phase, 1.0, out=phase)
        _wave(self.waveform, phase, width)
        phase *= amplitude
        phase += offset
        self.record["value"] = phase[n - 1]


def _wave(waveform: Waveform, phase: np.ndarray, width: float | np.ndarray) -> None:
    """Turn phases in [0, 1) into the waveform's values in [-1, 1], in place."""
    if waveform is Waveform.SINE:
        phase *= 2.0 * math.pi
        np.sin(phase, out=phase)
    elif waveform is Waveform.TRIANGLE:
        # 0 -> 0, 0.25 -> 1, 0.75 -> -1, like the sine.
        phase += 0.25
        np.mod(phase, 1.0, out=phase)
        phase -= 0.5
        np.abs(phase, out=phase)
        phase *= -4.0
        phase += 1.0
    elif waveform is Waveform.SAW:
        # Rises from -1 to 1 over each cycle, starting from 0 at phase 0 like the sine.
        phase += 0.5
        np.mod(phase, 1.0, out=phase)
        phase *= 2.0
        phase -= 1.0
    else:
        high = 0.5 if waveform is Waveform.SQUARE else width
        np.less(phase, high, out=phase)
        phase *= 2.0
        phase -= 1.0
