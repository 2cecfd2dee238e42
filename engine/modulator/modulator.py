"""Modulators on the audio thread: each fills ``values`` for the chunk."""

from __future__ import annotations

import math

import numpy as np

from ..accumulator import Accumulator
from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter
from .builders import LfoBuilder, TweenerBuilder, Waveform


class ModulatorShared:
    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value


class Tweener:
    def __init__(self, key: Key, builder: TweenerBuilder, shared: ModulatorShared, chunk_size: int) -> None:
        self.key = key
        self.shared = shared
        self.parameters = {"value": Parameter(builder.initial_value, chunk_size)}
        self.values = np.full(chunk_size, builder.initial_value, dtype=np.float64)

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        value = self.parameters["value"].update(ctx)
        self.values[: ctx.n] = value
        self.shared.value = float(self.values[ctx.n - 1])


class Lfo:
    def __init__(self, key: Key, builder: LfoBuilder, shared: ModulatorShared, chunk_size: int) -> None:
        self.key = key
        self.shared = shared
        self.waveform = builder.waveform
        self.parameters = {
            name: Parameter(getattr(builder, name), chunk_size)
            for name in ("frequency", "amplitude", "offset", "phase")
        }
        self.values = np.zeros(chunk_size, dtype=np.float64)
        self._cycles = Accumulator(0.0)
        self._scratch = np.zeros(chunk_size, dtype=np.float64)

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        n = ctx.n
        p = self.parameters
        frequency = p["frequency"].update(ctx)
        amplitude = p["amplitude"].update(ctx)
        offset = p["offset"].update(ctx)
        phase_offset = p["phase"].update(ctx)
        cycles = self._cycles.advance(ctx, frequency, self._scratch)
        # Keep the running count small so precision does not wear away over hours.
        if self._cycles.value > 1e6:
            self._cycles.reset(self._cycles.value % 1.0)
        phase = self.values[:n]
        np.add(cycles, phase_offset, out=phase)
        np.mod(phase, 1.0, out=phase)
        _wave(self.waveform, phase)
        phase *= amplitude
        phase += offset
        self.shared.value = float(phase[n - 1])


def _wave(waveform: Waveform, phase: np.ndarray) -> None:
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
        np.less(phase, 0.5, out=phase)
        phase *= 2.0
        phase -= 1.0
