"""What a caller sets when playing a static sound, as Kira's ``StaticSoundSettings``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .. import validate
from ..errors import InvalidValue
from ..tween import StartTime, Tween, check_tween
from ..value import Value, check_value

if TYPE_CHECKING:
    from .data import StaticSoundData

MAX_RATE = 64.0


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch of a sound in seconds: ``start`` to ``end`` (None: to the end)."""

    start: float = 0.0
    end: float | None = None

    def frames(self, field: str, duration: float, sample_rate: int) -> tuple[int, int]:
        """The region as source frames [start, end), checked against the sound."""
        start = validate.in_range(f"{field}.start", self.start, 0.0, duration)
        end = duration if self.end is None else validate.in_range(f"{field}.end", self.end, 0.0, duration)
        first, last = int(round(start * sample_rate)), int(round(end * sample_rate))
        if last <= first:
            raise InvalidValue(f"{field}.end", "must be after the start")
        return first, last


@dataclass(frozen=True, slots=True)
class StaticSoundSettings:
    """How one playback of a static sound behaves.

    ``volume`` in decibels (-60 or less is silence), ``panning`` from -1
    (left) to 1 (right), ``playback_rate`` a factor (2.0 is an octave up);
    each may be a ``Value`` that follows a modulator. ``start_position`` in
    seconds; ``loop_region`` a ``Region`` (None plays once); ``slice`` a pair
    of seconds that limits playback to that part of the sound, positions
    counting from its start; ``reverse`` plays backwards from the end;
    ``fade_in_tween`` fades in from silence.
    """

    start_time: StartTime = StartTime.IMMEDIATE
    start_position: float = 0.0
    loop_region: Region | None = None
    slice: tuple[float, float] | None = None
    reverse: bool = False
    volume: float | Value = 0.0
    panning: float | Value = 0.0
    playback_rate: float | Value = 1.0
    fade_in_tween: Tween | None = None

    def with_changes(self, **changes) -> "StaticSoundSettings":
        return replace(self, **changes)

    def check(self, data: "StaticSoundData") -> "CheckedSettings":
        """Validate against ``data``; returns everything in frames."""
        if not isinstance(self.start_time, StartTime):
            raise InvalidValue("start_time", "must be a StartTime")
        self.start_time.check("start_time")
        if self.slice is not None:
            if not isinstance(self.slice, (tuple, list)) or len(self.slice) != 2:
                raise InvalidValue("slice", "must be a pair (start, end) in seconds")
            first, last = Region(self.slice[0], self.slice[1]).frames("slice", data.duration, data.sample_rate)
        else:
            first, last = 0, data.num_frames
        length = last - first
        duration = length / data.sample_rate
        start = validate.in_range("start_position", self.start_position, 0.0, duration)
        loop = None
        if self.loop_region is not None:
            if not isinstance(self.loop_region, Region):
                raise InvalidValue("loop_region", "must be a Region")
            loop = self.loop_region.frames("loop_region", duration, data.sample_rate)
        if not isinstance(self.reverse, bool):
            raise InvalidValue("reverse", "must be true or false")
        return CheckedSettings(
            slice_frames=(first, last),
            start_frame=start * data.sample_rate,
            loop_frames=loop,
            reverse=self.reverse,
            volume=check_value("volume", self.volume, -1000.0, 60.0),
            panning=check_value("panning", self.panning, -1.0, 1.0),
            playback_rate=check_playback_rate(self.playback_rate),
            fade_in=None if self.fade_in_tween is None else check_tween(self.fade_in_tween, "fade_in_tween"),
            start_time=self.start_time,
        )


def check_playback_rate(value: float | Value, field: str = "playback_rate") -> float | Value:
    checked = check_value(field, value, 0.0, MAX_RATE)
    if not isinstance(checked, Value) and checked <= 0.0:
        raise InvalidValue(field, "must be greater than 0")
    return checked


@dataclass(frozen=True, slots=True)
class CheckedSettings:
    slice_frames: tuple[int, int]
    start_frame: float
    loop_frames: tuple[int, int] | None
    reverse: bool
    volume: float | Value
    panning: float | Value
    playback_rate: float | Value
    fade_in: Tween | None
    start_time: StartTime
