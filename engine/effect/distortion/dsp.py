"""The distortion on the audio thread: drive, clip, undo the drive, blend."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ...errors import InvalidValue
from ...jit import kernel
from ..kernels import db_gain, dry_gain, wet_gain
from .settings import KINDS, DistortionBuilder

HARD_CLIP, SOFT_CLIP = 0, 1
_KINDS = {"hard_clip": HARD_CLIP, "soft_clip": SOFT_CLIP}


@kernel
def _clip(x: float, drive: float, inverse: float, kind: int) -> float:
    driven = x * drive
    if kind == HARD_CLIP:
        return min(max(driven, -1.0), 1.0) * inverse
    return x / (1.0 + abs(driven))


@kernel
def _distortion_kernel(buffer, start, stop, values, changing, kind):
    driving = changing[0] != 0
    mixing = changing[1] != 0
    drive = db_gain(values[0, start])
    inverse = 1.0 / drive
    mix = values[1, start]
    wet = wet_gain(mix)
    dry = dry_gain(mix)
    for n in range(start, stop):
        if driving:
            drive = db_gain(values[0, n])
            inverse = 1.0 / drive
        if mixing:
            mix = values[1, n]
            wet = wet_gain(mix)
            dry = dry_gain(mix)
        if mix > 0.0:
            xl = np.float64(buffer[0, n])
            xr = np.float64(buffer[1, n])
            buffer[0, n] = _clip(xl, drive, inverse, kind) * wet + xl * dry
            buffer[1, n] = _clip(xr, drive, inverse, kind) * wet + xr * dry


class DistortionDsp:
    """A distortion's audio-thread side. It keeps no state."""

    PARAMS: ClassVar[tuple[str, ...]] = ("drive", "mix")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {"kind": KINDS}

    @staticmethod
    def memory_bytes(settings: DistortionBuilder, sample_rate: int, chunk_size: int) -> int:
        """No state: 0 bytes."""
        return 0

    def __init__(self, settings: DistortionBuilder, memory: np.ndarray, sample_rate: int,
                 chunk_size: int) -> None:
        self._kind = _KINDS[settings.kind]

    def set_choice(self, name: str, value: str) -> None:
        """Switch ``kind`` (one of KINDS, checked by the caller). Runs on the audio thread."""
        if name != "kind" or value not in _KINDS:
            raise InvalidValue(name, f"a distortion's kind is one of {', '.join(KINDS)}, not {value!r}")
        self._kind = _KINDS[value]

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Distort ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        _distortion_kernel(buffer, start, stop, values, changing, self._kind)

    def reset(self) -> None:
        """Nothing to forget."""

    @staticmethod
    def tail_seconds(settings: DistortionBuilder, sample_rate: int) -> float:
        """0: a clipper has no memory."""
        return 0.0
