"""The filter on the audio thread: a Simper SVF (see ``effect/svf.py``) in low-pass, band-pass, high-pass or notch."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ...errors import InvalidValue
from .. import svf
from ..memory import Layout
from ..params import extremes
from .settings import MODES, SPECS, FilterBuilder

_SHAPES = {"low_pass": svf.LOW_PASS, "band_pass": svf.BAND_PASS, "high_pass": svf.HIGH_PASS, "notch": svf.NOTCH}


def _layout() -> Layout:
    return Layout().add("state", svf.STATES)


class FilterDsp:
    """A filter's audio-thread side; its state lives in the caller's ``memory``."""

    PARAMS: ClassVar[tuple[str, ...]] = ("cutoff", "resonance", "mix")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"mode": MODES}

    @staticmethod
    def memory_bytes(settings: FilterBuilder, sample_rate: int, chunk_size: int) -> int:
        """Bytes of state: two integrators per channel."""
        return _layout().nbytes

    def __init__(self, settings: FilterBuilder, memory: np.ndarray, sample_rate: int, chunk_size: int) -> None:
        self._memory = memory
        self._state = _layout().views(memory).state
        self._inv_rate = 1.0 / sample_rate
        self._shape = _SHAPES[settings.mode]

    def set_choice(self, name: str, value: str) -> None:
        """Switch ``mode`` (one of MODES, checked by the caller). Runs on the audio thread."""
        if name != "mode" or value not in _SHAPES:
            raise InvalidValue(name, f"a filter's mode is one of {', '.join(MODES)}, not {value!r}")
        self._shape = _SHAPES[value]

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Filter ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        svf.svf_kernel(buffer, start, stop, values, changing, self._state, self._shape, self._inv_rate, 1, 1, 2)

    def reset(self) -> None:
        """Silence the filter's ringing. May run on the audio thread: it allocates nothing."""
        self._memory.fill(0)

    @staticmethod
    def tail_seconds(settings: FilterBuilder, sample_rate: int) -> float:
        """Seconds until the output is exactly 0 after the input falls silent (worst case while modulated)."""
        shape = _SHAPES[settings.mode]
        return max(svf.tail_seconds(shape, float(b.cutoff), float(b.resonance), 1.0, sample_rate)
                   for b in extremes(settings, SPECS))
