"""Tweens: how a value moves to a new target, and when the move starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from . import validate
from .errors import InvalidValue

if TYPE_CHECKING:
    from .clock.time import ClockTime


@dataclass(frozen=True, slots=True)
class Easing:
    """The curve a tween follows, as Kira's easings.

    ``mode`` is 'in', 'out' or 'in_out'; ``power`` the exponent (1 is linear).
    ``integer`` tells the ``*_powi`` easings from the ``*_powf`` ones; both
    compute the same curve.
    """

    mode: str = "in"
    power: float = 1.0
    integer: bool = True

    LINEAR: ClassVar["Easing"]

    @classmethod
    def in_powi(cls, power: int) -> "Easing":
        return cls("in", validate.whole("easing.power", power, 1, 64), True)

    @classmethod
    def out_powi(cls, power: int) -> "Easing":
        return cls("out", validate.whole("easing.power", power, 1, 64), True)

    @classmethod
    def in_out_powi(cls, power: int) -> "Easing":
        return cls("in_out", validate.whole("easing.power", power, 1, 64), True)

    @classmethod
    def in_powf(cls, power: float) -> "Easing":
        return cls("in", validate.in_range("easing.power", power, 0.01, 64.0), False)

    @classmethod
    def out_powf(cls, power: float) -> "Easing":
        return cls("out", validate.in_range("easing.power", power, 0.01, 64.0), False)

    @classmethod
    def in_out_powf(cls, power: float) -> "Easing":
        return cls("in_out", validate.in_range("easing.power", power, 0.01, 64.0), False)

    @property
    def name(self) -> str:
        if self.power == 1 and self.mode == "in":
            return "linear"
        return f"{self.mode}_pow{'i' if self.integer else 'f'}"

    def apply(self, x: float) -> float:
        """Ease a progress value in [0, 1]."""
        return float(self.apply_array(np.asarray([x], dtype=np.float64))[0])

    def apply_array(self, x: np.ndarray) -> np.ndarray:
        """Ease an array of progress values in [0, 1] (in place when it can)."""
        p = self.power
        if self.mode == "in":
            return x if p == 1 else np.power(x, p, out=x)
        if self.mode == "out":
            y = np.subtract(1.0, x, out=x)
            np.power(y, p, out=y)
            return np.subtract(1.0, y, out=y)
        low = x < 0.5
        y = np.where(low, 2.0 * x, 2.0 - 2.0 * x)
        np.power(y, p, out=y)
        y *= 0.5
        return np.where(low, y, 1.0 - y)

    def check(self, field: str = "easing") -> "Easing":
        if self.mode not in ("in", "out", "in_out"):
            raise InvalidValue(f"{field}.mode", "must be 'in', 'out' or 'in_out'")
        validate.in_range(f"{field}.power", self.power, 0.01, 64.0)
        return self


Easing.LINEAR = Easing("in", 1.0, True)


MAX_DELAY = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class StartTime:
    """When something starts: now, after a delay in seconds, or on a clock time."""

    delay: float = 0.0
    clock_time: "ClockTime | None" = None

    IMMEDIATE: ClassVar["StartTime"]

    @classmethod
    def delayed(cls, seconds: float) -> "StartTime":
        return cls(delay=validate.in_range("start_time.delay", seconds, 0.0, MAX_DELAY))

    @classmethod
    def at(cls, clock_time: "ClockTime") -> "StartTime":
        return cls(clock_time=clock_time)

    # Kira's spelling.
    @classmethod
    def clock(cls, clock_time: "ClockTime") -> "StartTime":
        return cls(clock_time=clock_time)

    @property
    def immediate(self) -> bool:
        return self.delay == 0.0 and self.clock_time is None

    def check(self, field: str = "start_time") -> "StartTime":
        validate.in_range(f"{field}.delay", self.delay, 0.0, MAX_DELAY)
        if self.clock_time is not None:
            self.clock_time.check(f"{field}.clock_time")
        return self


StartTime.IMMEDIATE = StartTime()


# As Kira's default tween: a change sent without one still glides, over 10 ms, so it does not click.
DEFAULT_DURATION = 0.01


@dataclass(frozen=True, slots=True)
class Tween:
    """A smooth change: ``duration`` in seconds (10 ms unless given), an ``easing``, a ``start_time``.

    ``Tween(0)`` changes at once, on the first frame of the next block.
    """

    duration: float = DEFAULT_DURATION
    easing: Easing = Easing.LINEAR
    start_time: StartTime = StartTime.IMMEDIATE

    def check(self, field: str = "tween") -> "Tween":
        validate.in_range(f"{field}.duration", self.duration, 0.0, 24 * 3600.0)
        if not isinstance(self.easing, Easing):
            raise InvalidValue(f"{field}.easing", "must be an Easing")
        self.easing.check(f"{field}.easing")
        if not isinstance(self.start_time, StartTime):
            raise InvalidValue(f"{field}.start_time", "must be a StartTime")
        self.start_time.check(f"{field}.start_time")
        return self


def check_tween(tween: Tween | None, field: str = "tween") -> Tween:
    """A missing tween means the default one (10 ms)."""
    if tween is None:
        return Tween()
    if not isinstance(tween, Tween):
        raise InvalidValue(field, "must be a Tween")
    return tween.check(field)
