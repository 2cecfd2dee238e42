"""The compressor on the audio thread: Kira's per-channel envelope on the level over the threshold, in dB."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from ...jit import kernel
from ..kernels import dry_gain, flush, wet_gain
from ..memory import Layout
from .settings import CompressorBuilder

_DB_PER_LN = np.float32(20.0 / math.log(10.0))
_LN_PER_DB = np.float32(math.log(10.0) / 20.0)


@kernel
def _speed(duration: float, rate: float) -> float:
    """The envelope's per-frame factor for a time constant of ``duration`` seconds (0: instant).

    Single precision, like the levels: the time constant comes out within
    a millionth of what was asked, at half the cost per frame of a tween.
    """
    if duration <= 0.0:
        return 0.0
    return np.float64(math.exp(np.float32(-1.0 / (duration * rate))))


@kernel
def _makeup(makeup_db: float) -> float:
    """The makeup gain as a factor (single precision)."""
    return np.float64(math.exp(np.float32(makeup_db * _LN_PER_DB)))


@kernel
def _threshold(threshold_db: float) -> float:
    """The threshold as an amplitude (single precision, as the levels it is compared with)."""
    return np.float64(math.exp(np.float32(threshold_db * _LN_PER_DB)))


@kernel
def _over(x: float, threshold_db: float, threshold: float) -> float:
    """How many dB ``|x|`` is over the threshold (0 below it, without taking a logarithm).

    The logarithm is single precision: twice as fast, and within a
    millionth of a dB.
    """
    a = abs(x)
    if a <= threshold:
        return 0.0
    return np.float64(math.log(np.float32(a)) * _DB_PER_LN) - threshold_db


@kernel
def _gain(envelope: float, slope: float, makeup_db: float, makeup: float) -> float:
    """The wet gain for ``envelope`` dB over the threshold (single-precision exponential)."""
    if envelope == 0.0:
        return makeup
    return np.float64(math.exp(np.float32((envelope * slope + makeup_db) * _LN_PER_DB)))


@kernel
def _compressor_kernel(buffer, start, stop, values, changing, envelope, rate):
    # rows: threshold, ratio, attack, release, makeup_gain, mix; each recomputed per frame only while it moves
    threshold_db = values[0, start]
    threshold = _threshold(threshold_db)
    slope = 1.0 / max(values[1, start], 1.0) - 1.0
    attack = _speed(values[2, start], rate)
    release = _speed(values[3, start], rate)
    makeup_db = values[4, start]
    makeup = _makeup(makeup_db)
    mix = values[5, start]
    wet = wet_gain(mix)
    dry = dry_gain(mix)
    moving = False
    for row in range(6):
        if changing[row] != 0:
            moving = True
    el = envelope[0]
    er = envelope[1]
    for n in range(start, stop):
        if moving:
            if changing[0] != 0:
                threshold_db = values[0, n]
                threshold = _threshold(threshold_db)
            if changing[1] != 0:
                slope = 1.0 / max(values[1, n], 1.0) - 1.0
            if changing[2] != 0:
                attack = _speed(values[2, n], rate)
            if changing[3] != 0:
                release = _speed(values[3, n], rate)
            if changing[4] != 0:
                makeup_db = values[4, n]
                makeup = _makeup(makeup_db)
            if changing[5] != 0:
                mix = values[5, n]
                wet = wet_gain(mix)
                dry = dry_gain(mix)
        xl = np.float64(buffer[0, n])
        xr = np.float64(buffer[1, n])
        over = _over(xl, threshold_db, threshold)
        speed = release if el > over else attack
        el = flush(over + speed * (el - over))
        over = _over(xr, threshold_db, threshold)
        speed = release if er > over else attack
        er = flush(over + speed * (er - over))
        if mix > 0.0:
            buffer[0, n] = xl * _gain(el, slope, makeup_db, makeup) * wet + xl * dry
            buffer[1, n] = xr * _gain(er, slope, makeup_db, makeup) * wet + xr * dry
    envelope[0] = el
    envelope[1] = er


def _layout() -> Layout:
    return Layout().add("envelope", 2)


class CompressorDsp:
    """A compressor's audio-thread side; its envelopes live in the caller's ``memory``."""

    PARAMS: ClassVar[tuple[str, ...]] = ("threshold", "ratio", "attack", "release", "makeup_gain", "mix")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @staticmethod
    def memory_bytes(settings: CompressorBuilder, sample_rate: int, chunk_size: int) -> int:
        """Bytes of state: one envelope (dB over the threshold) per channel."""
        return _layout().nbytes

    def __init__(self, settings: CompressorBuilder, memory: np.ndarray, sample_rate: int,
                 chunk_size: int) -> None:
        self._memory = memory
        self._envelope = _layout().views(memory).envelope
        self._rate = float(sample_rate)

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Compress ``buffer[:, start:stop]`` in place. Runs on the audio thread."""
        _compressor_kernel(buffer, start, stop, values, changing, self._envelope, self._rate)

    def reset(self) -> None:
        """Let go of any gain reduction at once. May run on the audio thread: it allocates nothing."""
        self._memory.fill(0)

    @staticmethod
    def tail_seconds(settings: CompressorBuilder, sample_rate: int) -> float:
        """0: silence in is silence out at any gain."""
        return 0.0
