"""The EQ filter on the audio thread: a Simper SVF (see ``effect/svf.py``) as a bell or a shelf."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ...errors import InvalidValue
from .. import svf
from ..memory import Layout
from ..params import extremes
from .settings import KINDS, SPECS, EqFilterBuilder

_SHAPES = {"bell": svf.BELL, "low_shelf": svf.LOW_SHELF, "high_shelf": svf.HIGH_SHELF}


def _layout() -> Layout:
    return Layout().add("state", svf.STATES)


class EqFilterDsp:
    """An EQ filter's audio-thread side; its state lives in the caller's ``memory``."""

    PARAMS: ClassVar[tuple[str, ...]] = ("frequency", "gain", "q", "mix")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"kind": KINDS}

    @staticmethod
    def memory_bytes(settings: EqFilterBuilder, sample_rate: int, chunk_size: int) -> int:
        """Bytes of state: two integrators per channel."""
        return _layout().nbytes

    def __init__(self, settings: EqFilterBuilder, memory: np.ndarray, sample_rate: int, chunk_size: int) -> None:
        self._memory = memory
        self._state = _layout().views(memory).state
        self._inv_rate = 1.0 / sample_rate
        self._shape = _SHAPES[settings.kind]

    def set_choice(self, name: str, value: str) -> None:
        """Switch ``kind`` (one of KINDS, checked by the caller). Runs on the audio thread."""
        if name != "kind" or value not in _SHAPES:
            raise InvalidValue(name, f"an EQ filter's kind is one of {', '.join(KINDS)}, not {value!r}")
        self._shape = _SHAPES[value]

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Equalise ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        svf.svf_kernel(buffer, start, stop, values, changing, self._state, self._shape, self._inv_rate, 1, 2, 3)

    def reset(self) -> None:
        """Forget the signal so far. May run on the audio thread: it allocates nothing."""
        self._memory.fill(0)

    @staticmethod
    def tail_seconds(settings: EqFilterBuilder, sample_rate: int) -> float:
        """Seconds until the output is exactly 0 after the input falls silent (worst case while modulated)."""
        shape = _SHAPES[settings.kind]
        return max(svf.tail_seconds(shape, float(b.frequency), float(b.gain), float(b.q), sample_rate)
                   for b in extremes(settings, SPECS))
