"""Clocks: tick counters that schedule starts and tweens sample-accurately."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import Flag, Number, Reply, Strict, Tween


class ClockSpeed(Strict):
    """Exactly one of the three ways to give a clock's speed."""

    ticks_per_minute: Number | None = Field(None, gt=0, le=600000, description="Ticks per minute (BPM).")
    ticks_per_second: Number | None = Field(None, gt=0, le=10000, description="Ticks per second (Hz).")
    seconds_per_tick: Number | None = Field(None, ge=0.0001, le=86400, description="Seconds between ticks.")

    @model_validator(mode="after")
    def _check(self) -> "ClockSpeed":
        given = [v for v in (self.ticks_per_minute, self.ticks_per_second, self.seconds_per_tick) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of ticks_per_minute, ticks_per_second, seconds_per_tick")
        return self


class ClockAdd(Strict):
    speed: ClockSpeed = Field(description="How fast the clock ticks.")
    start: Flag = Field(False, description="Start ticking at once.")


class ClockPatch(Strict):
    speed: ClockSpeed = Field(description="New speed.")
    tween: Tween | None = Field(None, description="Move to the new speed with this tween.")


class ClockId(Strict):
    id: str = Field(description="Id of the clock ('clock-…').")


class ClockPatchRequest(ClockPatch):
    id: str = Field(description="Id of the clock ('clock-…').")


class Clock(Reply):
    id: str = Field(description="Id of the clock ('clock-…').")
    ticking: bool = Field(description="True while the clock runs.")
    ticks: int = Field(description="Whole ticks elapsed since it started.")
    fraction: float = Field(description="Fraction of the current tick, 0..1.")
    speed: dict[str, float] = Field(description="Speed as it was given, e.g. {'ticks_per_minute': 120}.")
