"""Clock times and clock speeds, the values callers build."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .. import validate
from ..arena import Key, is_key
from ..errors import InvalidValue


# Ticks beyond this lose whole ticks in a float; no clock gets there.
MAX_TICKS = 2**52


@dataclass(frozen=True, slots=True, eq=False)
class ClockTime:
    """A moment on a clock: whole ``ticks`` plus a ``fraction`` of the next tick.

    ``clock`` is the clock's key (or pass a ``ClockHandle``'s ``key``).
    ``time + 4`` is four ticks later and ``time + 0.5`` half a tick later:
    fractions carry into whole ticks. Times of the same clock compare with
    ``<``, ``<=``, ``==``; ordering times of different clocks raises
    ``InvalidValue`` (they are never equal).
    """

    clock: Key
    ticks: int
    fraction: float = 0.0

    @classmethod
    def from_ticks_f64(cls, clock: Any, ticks: float) -> "ClockTime":
        """A time given as one number of ticks, e.g. 4.5."""
        value = validate.in_range("ticks", ticks, -MAX_TICKS, MAX_TICKS)
        whole = math.floor(value)
        return cls(getattr(clock, "key", clock), int(whole), value - whole)

    def __add__(self, ticks: float) -> "ClockTime":
        amount = validate.finite("ticks", ticks)
        return ClockTime.from_ticks_f64(self.clock, self.ticks + self.fraction + amount)

    def __sub__(self, ticks: float) -> "ClockTime":
        return self + (-validate.finite("ticks", ticks))

    @property
    def value(self) -> float:
        """The time as one number of ticks."""
        return self.ticks + self.fraction

    def _same_clock(self, other: object) -> "ClockTime":
        if not isinstance(other, ClockTime):
            raise InvalidValue("clock_time", f"cannot compare a clock time with {type(other).__name__}")
        if other.clock != self.clock:
            raise InvalidValue("clock_time", f"cannot order times of different clocks ({self.clock} and {other.clock})")
        return other

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ClockTime) and other.clock == self.clock
                and (self.ticks, self.fraction) == (other.ticks, other.fraction))

    def __hash__(self) -> int:
        return hash((self.clock, self.ticks, self.fraction))

    def __lt__(self, other: object) -> bool:
        return self.value < self._same_clock(other).value

    def __le__(self, other: object) -> bool:
        return self.value <= self._same_clock(other).value

    def __gt__(self, other: object) -> bool:
        return self.value > self._same_clock(other).value

    def __ge__(self, other: object) -> bool:
        return self.value >= self._same_clock(other).value

    def check(self, field: str = "clock_time") -> "ClockTime":
        if not is_key(self.clock, "clock"):
            raise InvalidValue(f"{field}.clock", "must be a clock's key")
        validate.whole(f"{field}.ticks", self.ticks, -MAX_TICKS, MAX_TICKS)
        fraction = validate.in_range(f"{field}.fraction", self.fraction, 0.0, 1.0)
        if fraction >= 1.0:
            raise InvalidValue(f"{field}.fraction", "must be less than 1 (whole ticks go in ticks)")
        return self


@dataclass(frozen=True, slots=True)
class ClockSpeed:
    """How fast a clock ticks, kept as ticks per second."""

    ticks_per_second_value: float

    @classmethod
    def ticks_per_second(cls, value: float) -> "ClockSpeed":
        return cls(validate.in_range("speed.ticks_per_second", value, 1e-6, 100_000.0))

    @classmethod
    def ticks_per_minute(cls, value: float) -> "ClockSpeed":
        return cls(validate.in_range("speed.ticks_per_minute", value, 1e-4, 6_000_000.0) / 60.0)

    @classmethod
    def seconds_per_tick(cls, value: float) -> "ClockSpeed":
        return cls(1.0 / validate.in_range("speed.seconds_per_tick", value, 1e-5, 1_000_000.0))

    @property
    def ticks_per_minute_value(self) -> float:
        return self.ticks_per_second_value * 60.0

    def check(self, field: str = "speed") -> "ClockSpeed":
        validate.in_range(f"{field}.ticks_per_second", self.ticks_per_second_value, 1e-6, 100_000.0)
        return self
