"""The panning control on the audio thread: Kira's constant-power balance, per frame while it moves."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from ...jit import kernel
from .settings import PanningControlBuilder

_SQRT2 = math.sqrt(2.0)


@kernel
def _pan_gains(panning: float):
    if panning == 0.0:
        return 1.0, 1.0  # exactly: sqrt(0.5) * sqrt(2) is not 1 in floating point
    m = (min(max(panning, -1.0), 1.0) + 1.0) * 0.5
    return math.sqrt(1.0 - m) * _SQRT2, math.sqrt(m) * _SQRT2


@kernel
def _pan_kernel(buffer, start, stop, values, changing):
    if changing[0] == 0:
        if values[0, start] == 0.0:
            return
        left, right = _pan_gains(values[0, start])
        for n in range(start, stop):
            buffer[0, n] = buffer[0, n] * left
            buffer[1, n] = buffer[1, n] * right
        return
    for n in range(start, stop):
        left, right = _pan_gains(values[0, n])
        buffer[0, n] = buffer[0, n] * left
        buffer[1, n] = buffer[1, n] * right


class PanningControlDsp:
    """A panning control's audio-thread side. It keeps no state."""

    PARAMS: ClassVar[tuple[str, ...]] = ("panning",)
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @staticmethod
    def memory_bytes(settings: PanningControlBuilder, sample_rate: int, chunk_size: int) -> int:
        """No state: 0 bytes."""
        return 0

    def __init__(self, settings: PanningControlBuilder, memory: np.ndarray, sample_rate: int,
                 chunk_size: int) -> None:
        pass

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Pan ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        _pan_kernel(buffer, start, stop, values, changing)

    def reset(self) -> None:
        """Nothing to forget."""

    @staticmethod
    def tail_seconds(settings: PanningControlBuilder, sample_rate: int) -> float:
        """0: a gain has no tail."""
        return 0.0
