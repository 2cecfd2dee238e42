"""A value on the audio thread that can be tweened or follow a modulator."""

from __future__ import annotations

import math

import numpy as np

from .context import ChunkContext, Pending
from .tween import Easing, Tween
from .value import Value


class Parameter:
    """A float that moves smoothly, frame by frame. Lives on the audio thread.

    ``update`` returns the value for the whole chunk: a plain float when it
    does not change within the chunk (the cheap, common case), otherwise an
    array of one value per frame (a view of a buffer owned by the parameter,
    valid until the next update). After a tween ends, ``finished_at`` is the
    offset in the chunk where it reached its target, else -1.
    """

    __slots__ = (
        "value", "low", "high", "finished_at", "_start", "_target", "_t0", "_duration",
        "_easing", "_linear", "_pending", "_tweening", "_source", "_buffer",
    )

    def __init__(self, value: float, chunk_size: int, low: float = -np.inf, high: float = np.inf) -> None:
        self.value = float(value)
        self.low = low
        self.high = high
        self.finished_at = -1
        self._start = self._target = self.value
        self._t0 = 0
        self._duration = 0
        self._easing = Easing.LINEAR
        self._linear = True
        self._pending: Pending | None = None
        self._tweening = False
        self._source: Value | None = None
        self._buffer = np.empty(chunk_size, dtype=np.float64)

    @property
    def target(self) -> float:
        return self._target if self._tweening else self.value

    @property
    def source(self) -> Value | None:
        return self._source

    @property
    def monotonic(self) -> bool:
        """True when this chunk's values only rise or only fall (a tween, not a modulator)."""
        return self._source is None

    def set(self, target: float | Value, tween: Tween, ctx: ChunkContext, pending: Pending | None | bool = False) -> None:
        """Start moving towards ``target``. Runs on the audio thread.

        ``pending``, when given, is the tween's start already resolved by the
        caller (so a deferred tween keeps the start time it was sent with).
        """
        if isinstance(target, Value):
            if target.is_modulated:
                self.follow(target)
                return
            target = target.constant
        self._source = None
        self._start = self.value
        self._target = float(target)
        self._duration = int(round(tween.duration * ctx.sample_rate))
        self._easing = tween.easing
        self._linear = tween.easing == Easing.LINEAR
        self._pending = ctx.pending(tween.start_time) if pending is False else pending
        self._t0 = ctx.frame if self._pending is None else -1
        self._tweening = True

    def follow(self, source: Value) -> None:
        """From now on, take the value from ``source``'s modulator through its mapping."""
        self._source = source
        self._tweening = False

    def start_at(self, frame: int) -> None:
        """Start the tween just set at an absolute output frame. Runs on the audio thread."""
        self._pending = None
        self._t0 = frame

    def update(self, ctx: ChunkContext) -> float | np.ndarray:
        """The value over this chunk. Runs on the audio thread."""
        self.finished_at = -1
        n = ctx.n
        if self._source is not None:
            return self._follow(ctx)
        if not self._tweening:
            return self.value
        if self._t0 < 0:
            offset = ctx.resolve(self._pending)
            if offset is None:
                return self.value
            self._t0 = ctx.frame + offset
            self._start = self.value
        end = self._t0 + self._duration
        first = ctx.frame
        if end <= first:
            self._finish(0)
            return self.value
        out = self._buffer[:n]
        delta = self._target - self._start
        if self._duration == 0:
            np.greater_equal(ctx.offsets[:n], self._t0 - first, out=out)
            out *= delta
            out += self._start
        elif self._linear and self._t0 <= first and end >= first + n:
            # The common case, a linear tween running through the whole chunk: two calls.
            slope = delta / self._duration
            np.multiply(ctx.offsets[:n], slope, out=out)
            out += self._start + (first - self._t0) * slope
        else:
            np.add(ctx.offsets[:n], first - self._t0, out=out)
            out *= 1.0 / self._duration
            np.maximum(out, 0.0, out=out)
            np.minimum(out, 1.0, out=out)
            if not self._linear:
                out[:] = self._easing.apply_array(out)
            out *= delta
            out += self._start
        if end < first + n:
            self._finish(end - first)
            out[end - first :] = self._target
        else:
            self.value = float(out[n - 1])
        return out

    def _finish(self, offset: int) -> None:
        self.value = self._target
        self._tweening = False
        self.finished_at = offset

    def _follow(self, ctx: ChunkContext) -> float | np.ndarray:
        values = ctx.modulators.values_of(self._source.modulator_key) if ctx.modulators is not None else None
        if values is None:
            return self.value
        out = self._source.mapping.apply(values[: ctx.n], self._buffer[: ctx.n])
        if not np.isfinite(out[ctx.n - 1]) or not np.isfinite(out[0]):
            out.fill(self.value)  # a mapping gone beyond floats keeps the last good value
        np.maximum(out, self.low, out=out)
        np.minimum(out, self.high, out=out)
        self.value = float(out[ctx.n - 1])
        return out


def decibels_to_amplitude(db: float | np.ndarray, out: np.ndarray | None = None,
                          monotonic: bool = False) -> float | np.ndarray:
    """Decibels to a gain factor; -60 dB and below is silence, as in Kira.

    For an array known to be ``monotonic`` its ends tell whether any of it
    is silent, which spares a pass over it.
    """
    if isinstance(db, np.ndarray):
        result = np.multiply(db, _LN10_OVER_20, out=out)
        np.exp(result, out=result)
        lowest = min(db[0], db[-1]) if monotonic else db.min()
        if lowest <= SILENCE_DB:
            result[db <= SILENCE_DB] = 0.0
        return result
    return 0.0 if db <= SILENCE_DB else 10.0 ** (db * 0.05)


SILENCE_DB = -60.0
_LN10_OVER_20 = math.log(10.0) / 20.0
