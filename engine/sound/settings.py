"""What a caller sets when playing a static sound, as Kira's ``StaticSoundSettings``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import validate
from ..arena import Key, is_key
from ..errors import InvalidValue
from ..spec import PANNING, VOLUME
from ..tween import StartTime, Tween, check_tween
from ..value import Value, check_value
from .playback_rate import PlaybackRate, check_playback_rate

if TYPE_CHECKING:
    from ..build import BuildContext
    from .data import StaticSoundData
    from .handle import StaticSoundHandle


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
class VoiceSpec:
    """What the audio thread builds a voice from (made by ``StaticSoundSettings.build``).

    ``source`` is the float32 index in the sound pool of the slice's first
    padded row, ``length`` the slice's frames; ``step`` source frames per
    output frame at rate 1 (negative in reverse); ``position`` the first
    position; ``loop`` the loop region in frames of the slice, or None;
    ``track`` the key of the track it plays on.
    """

    source: int
    length: int
    sample_rate: int
    step: float
    position: float
    reverse: bool
    loop: tuple[int, int] | None
    volume: float | Value
    panning: float | Value
    playback_rate: float | Value
    rate_in_semitones: bool
    fade_in: Tween | None
    start_time: StartTime
    track: Key
    # A streaming sound: its ring's frames (source is the ring's data) and where its tags are (int64 index).
    ring: int = 0
    tags: int = 0
    ring_size: int = 0


@dataclass(frozen=True, slots=True)
class StaticSoundSettings:
    """How one playback of a static sound behaves.

    ``volume`` in decibels (-60 or less is silence), ``panning`` from -1
    (left) to 1 (right), ``playback_rate`` a factor (2.0 is an octave up) or a
    ``PlaybackRate`` (``PlaybackRate.semitones(12)``); each may be a
    ``Value`` that follows a modulator. ``start_position`` in seconds
    (rounded to a whole source frame, as loop regions and slices are);
    ``loop_region`` a ``Region`` (None plays once); ``slice`` a pair of
    seconds that limits playback to that part of the sound, positions
    counting from its start; ``reverse`` plays backwards from the end;
    ``fade_in_tween`` fades in from silence; ``track`` the track (a handle
    or key) to play on, the main track when None.
    """

    start_time: StartTime = StartTime.IMMEDIATE
    start_position: float = 0.0
    loop_region: Region | None = None
    slice: tuple[float, float] | None = None
    reverse: bool = False
    volume: float | Value = 0.0
    panning: float | Value = 0.0
    playback_rate: float | Value | PlaybackRate = 1.0
    fade_in_tween: Tween | None = None
    track: Any = None

    def with_changes(self, **changes: Any) -> "StaticSoundSettings":
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
            start_frame=min(int(round(start * data.sample_rate)), length),
            loop_frames=loop,
            reverse=self.reverse,
            volume=check_value("volume", self.volume, VOLUME.low, VOLUME.high),
            panning=check_value("panning", self.panning, PANNING.low, PANNING.high),
            playback_rate=check_playback_rate(self.playback_rate),
            fade_in=None if self.fade_in_tween is None else check_tween(self.fade_in_tween, "fade_in_tween"),
            start_time=self.start_time,
            track=check_track(self.track),
        )

    def build(self, key: Key, data: "StaticSoundData", context: "BuildContext") -> tuple[VoiceSpec, "StaticSoundHandle"]:
        """The voice's spec for the audio thread and the caller's handle, for ``key``."""
        from .handle import StaticSoundHandle

        checked = self.check(data)
        first, last = checked.slice_frames
        length = last - first
        sample_rate = data.sample_rate
        source = context.share_sound(key, data) + 2 * first
        rate = checked.playback_rate
        position = float(length - 1 - checked.start_frame) if checked.reverse else float(checked.start_frame)
        spec = VoiceSpec(
            source=source, length=length, sample_rate=sample_rate,
            step=sample_rate / context.sample_rate * (-1.0 if checked.reverse else 1.0),
            position=position, reverse=checked.reverse, loop=checked.loop_frames,
            volume=checked.volume, panning=checked.panning, playback_rate=rate.value,
            rate_in_semitones=rate.in_semitones, fade_in=checked.fade_in, start_time=checked.start_time,
            track=checked.track if checked.track is not None else context.main_track,
        )
        record = context.shared.sounds[key.index]
        record["state"] = 0
        record["waiting"] = 0 if checked.start_time.immediate else 1
        record["position"] = (max(position, 0.0)) / sample_rate
        record["volume"] = _number(checked.volume, VOLUME.default)
        record["panning"] = _number(checked.panning, PANNING.default)
        record["playback_rate"] = rate.as_factor if not isinstance(rate.value, Value) else 1.0
        loop = checked.loop_frames
        record["loop_start"] = np.nan if loop is None else loop[0] / sample_rate
        record["loop_end"] = np.nan if loop is None else loop[1] / sample_rate
        handle = StaticSoundHandle(key, context.shared.sounds, context.channel, data, length / sample_rate)
        return spec, handle


def check_track(track: Any) -> Key | None:
    """A track handle or key (None for the main track), as its key."""
    if track is None:
        return None
    key = getattr(track, "key", track)
    if not is_key(key, "track"):
        raise InvalidValue("track", "must be a track's handle or key")
    return key


def _number(value: object, default: float) -> float:
    return float(value) if isinstance(value, (int, float)) else default


@dataclass(frozen=True, slots=True)
class CheckedSettings:
    slice_frames: tuple[int, int]
    start_frame: int
    loop_frames: tuple[int, int] | None
    reverse: bool
    volume: float | Value
    panning: float | Value
    playback_rate: PlaybackRate
    fade_in: Tween | None
    start_time: StartTime
    track: Key | None
