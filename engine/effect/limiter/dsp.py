"""The limiter on the audio thread: lookahead, peak hold, release and a box filter on the gain.

Each frame entering asks for the gain that brings its louder channel down
to the ceiling; the attenuation (1 - gain) is held at the most asked for
over the last H = lookahead + 1 frames (a sliding maximum), released
exponentially, and averaged over H frames; the audio is delayed by H - 1
frames. Every frame of the average then covers the frame leaving the delay
with an attenuation at least the one it asked for, so the output never
exceeds the ceiling, and the gain moves in ramps H frames long, never in
steps. The averaged attenuation is kept as integer multiples of 2**-40,
rounded up: the running sum is exact, so once the peaks have passed it
returns to exactly 0 and quiet audio passes bit for bit. A last clamp
catches the rounding of float32 at the ceiling.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from ...jit import kernel
from ..memory import Layout
from .settings import LimiterBuilder

_SCALE = float(2 ** 40)
# Just under the ceiling by more than a float32 step, so rounding to float32 never lands above it.
_UNDER = 1.0 - 2.0 ** -22
# Positions of the counters in the last row of the integer state.
_WRITE, _HEAD, _SIZE, _FRAME, _SUM = range(5)
_COUNTERS = 5
_LN10_OVER_20 = math.log(10.0) / 20.0


@kernel
def _ceiling(ceiling_db: float) -> float:
    return math.exp(ceiling_db * _LN10_OVER_20) * _UNDER


@kernel
def _release(seconds: float, rate: float) -> float:
    return math.exp(-1.0 / (max(seconds, 1e-6) * rate))


@kernel
def _limiter_kernel(buffer, start, stop, values, changing, line, reals, ints, rate, length):
    # reals rows: the ceiling each frame in the line entered with, the held attenuations, [smooth];
    # ints rows: the frame each held attenuation entered at, the box filter's steps, [the counters].
    ceiling_moves = changing[0] != 0
    release_moves = changing[1] != 0
    ceiling = _ceiling(values[0, start])
    release = _release(values[1, start], rate)
    write = ints[2, _WRITE]
    head = ints[2, _HEAD]
    size = ints[2, _SIZE]
    frame = ints[2, _FRAME]
    total = ints[2, _SUM]
    smooth = reals[2, 0]
    per_frame = 1.0 / (_SCALE * length)
    for n in range(start, stop):
        if ceiling_moves:
            ceiling = _ceiling(values[0, n])
        if release_moves:
            release = _release(values[1, n], rate)
        xl = buffer[0, n]
        xr = buffer[1, n]
        # Not a number, or infinite: silence instead (the limiter guards the output device).
        if not math.isfinite(xl):
            xl = np.float32(0.0)
        if not math.isfinite(xr):
            xr = np.float32(0.0)
        peak = max(abs(np.float64(xl)), abs(np.float64(xr)))
        wanted = 1.0 - ceiling / peak if peak > ceiling else 0.0
        # Sliding maximum of the wanted attenuation over the last `length` frames (a monotonic queue).
        if size > 0 and ints[0, head] <= frame - length:
            head = head + 1 if head + 1 < length else 0
            size -= 1
        while size > 0:
            back = head + size - 1
            if back >= length:
                back -= length
            if reals[1, back] > wanted:
                break
            size -= 1
        back = head + size
        if back >= length:
            back -= length
        reals[1, back] = wanted
        ints[0, back] = frame
        size += 1
        hold = reals[1, head]
        # Instant to a deeper attenuation, exponential back to a shallower one.
        if hold >= smooth:
            smooth = hold
        else:
            smooth = hold + (smooth - hold) * release
            if smooth - hold < 1e-12:
                smooth = hold
        step = np.int64(math.ceil(smooth * _SCALE))
        total += step - ints[1, write]
        ints[1, write] = step
        line[write, 0] = xl
        line[write, 1] = xr
        reals[0, write] = ceiling
        out = write + 1 if write + 1 < length else 0
        gain = 1.0 - total * per_frame
        limit = reals[0, out]
        buffer[0, n] = min(max(line[out, 0] * gain, -limit), limit)
        buffer[1, n] = min(max(line[out, 1] * gain, -limit), limit)
        write = out
        frame += 1
    ints[2, _WRITE] = write
    ints[2, _HEAD] = head
    ints[2, _SIZE] = size
    ints[2, _FRAME] = frame
    ints[2, _SUM] = total
    reals[2, 0] = smooth


def _length(settings: LimiterBuilder, sample_rate: int) -> int:
    return round(settings.lookahead * sample_rate) + 1


def _layout(settings: LimiterBuilder, sample_rate: int) -> Layout:
    length = _length(settings, sample_rate)
    columns = max(length, _COUNTERS)
    return Layout().add("line", (length, 2), np.float32).add("reals", (3, columns)).add("ints", (3, columns), np.int64)


class LimiterDsp:
    """A limiter's audio-thread side; its delay line and gain state live in the caller's ``memory``."""

    PARAMS: ClassVar[tuple[str, ...]] = ("ceiling", "release")
    CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {}

    @staticmethod
    def memory_bytes(settings: LimiterBuilder, sample_rate: int, chunk_size: int) -> int:
        """Bytes of state: the lookahead delay line and the gain's hold, box and release state."""
        return _layout(settings, sample_rate).nbytes

    def __init__(self, settings: LimiterBuilder, memory: np.ndarray, sample_rate: int, chunk_size: int) -> None:
        self._memory = memory
        views = _layout(settings, sample_rate).views(memory)
        self._line, self._reals, self._ints = views.line, views.reals, views.ints
        self._rate = float(sample_rate)
        self._length = _length(settings, sample_rate)
        self.latency_frames = self._length - 1
        """How many frames the output lags the input (the lookahead)."""

    def process(self, buffer: np.ndarray, start: int, stop: int, values: np.ndarray, changing: np.ndarray) -> None:
        """Limit ``buffer[:, start:stop]`` in place (delayed by the lookahead). Runs on the audio thread."""
        _limiter_kernel(buffer, start, stop, values, changing, self._line, self._reals, self._ints,
                        self._rate, self._length)

    def reset(self) -> None:
        """Empty the delay line, drop any gain reduction. May run on the audio thread: allocates nothing."""
        self._memory.fill(0)

    @staticmethod
    def tail_seconds(settings: LimiterBuilder, sample_rate: int) -> float:
        """The lookahead: what is in the delay line when the input stops."""
        return (_length(settings, sample_rate) - 1) / sample_rate
