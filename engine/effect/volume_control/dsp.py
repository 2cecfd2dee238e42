"""The volume control on the audio thread: a gain, per frame while it moves."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ...jit import kernel
from ..kernels import volume_gain
from .settings import VolumeControlBuilder


@kernel
def _volume_kernel(buffer, start, stop, values, changing):
    if changing[0] == 0:
        gain = volume_gain(values[0, start])
        if gain == 1.0:
            return
        for n in range(start, stop):
            buffer[0, n] = buffer[0, n] * gain
            buffer[1, n] = buffer[1, n] * gain
        return
    for n in range(start, stop):
        gain = volume_gain(values[0, n])
        buffer[0, n] = buffer[0, n] * gain
        buffer[1, n] = buffer[1, n] * gain


class VolumeControlDsp:
    """A volume control's audio-thread side. It keeps no state."""

    PARAMS: ClassVar[tuple[str, ...]] = ("volume",)
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @staticmethod
    def memory_bytes(settings: VolumeControlBuilder, sample_rate: int, chunk_size: int) -> int:
        """No state: 0 bytes."""
        return 0

    def __init__(self, settings: VolumeControlBuilder, memory: np.ndarray, sample_rate: int,
                 chunk_size: int) -> None:
        pass

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Scale ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        _volume_kernel(buffer, start, stop, values, changing)

    def reset(self) -> None:
        """Nothing to forget."""

    @staticmethod
    def tail_seconds(settings: VolumeControlBuilder, sample_rate: int) -> float:
        """0: a gain has no tail."""
        return 0.0
