"""Clocks: tick counters that schedule starts and tweens sample-accurately."""

from __future__ import annotations

from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from mixdeck.engine import spec

from .common import Flag, Number, Reply, Strict, Tween

# The three ways to give a speed share one range of ticks per second: the engine's
# fastest, down to one tick a day.
FASTEST = spec.TICKS_PER_SECOND.high
SLOWEST_SECONDS_PER_TICK = 86400.0


class ClockSpeed(Strict):
    """Exactly one of the three ways to give a clock's speed."""

    ticks_per_minute: Number | None = Field(
        None, ge=60 / SLOWEST_SECONDS_PER_TICK, le=60 * FASTEST, description="Ticks per minute (BPM)."
    )
    ticks_per_second: Number | None = Field(
        None, ge=1 / SLOWEST_SECONDS_PER_TICK, le=FASTEST, description="Ticks per second (Hz)."
    )
    seconds_per_tick: Number | None = Field(
        None, ge=1 / FASTEST, le=SLOWEST_SECONDS_PER_TICK, description="Seconds between ticks."
    )

    @model_serializer(mode="wrap")
    def _given_only(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A speed is shown the way it was given: one field, not three with two nulls.
        shown = handler(self)
        return {k: v for k, v in shown.items() if v is not None} if isinstance(shown, dict) else shown

    @model_validator(mode="after")
    def _check(self) -> ClockSpeed:
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
    speed: ClockSpeed = Field(description="Speed as it was given, e.g. {'ticks_per_minute': 120}.")
