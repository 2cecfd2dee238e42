"""Clock times and clock speeds, the values callers build."""

from __future__ import annotations

from dataclasses import dataclass

from .. import validate
from ..arena import Key, is_key
from ..errors import InvalidValue


# Ticks beyond this lose whole ticks in a float; no clock gets there.
MAX_TICKS = 2**52


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A moment on a clock: whole ``ticks`` plus a ``fraction`` of the next tick.

    ``clock`` is the clock's key (or pass a ``ClockHandle``'s ``key``).
    ``time + 4`` is four ticks later.
    """

    clock: Key
    ticks: int
    fraction: float = 0.0

    def __add__(self, ticks: int) -> "ClockTime":
        return ClockTime(self.clock, self.ticks + int(ticks), self.fraction)

    def __sub__(self, ticks: int) -> "ClockTime":
        return ClockTime(self.clock, self.ticks - int(ticks), self.fraction)

    @property
    def value(self) -> float:
        return self.ticks + self.fraction

    def check(self, field: str = "clock_time") -> "ClockTime":
        if not is_key(self.clock, "clock"):
            raise InvalidValue(f"{field}.clock", "must be a clock's key")
        validate.whole(f"{field}.ticks", self.ticks, -MAX_TICKS, MAX_TICKS)
        validate.in_range(f"{field}.fraction", self.fraction, 0.0, 0.999999999)
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
