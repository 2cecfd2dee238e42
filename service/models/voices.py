"""Voices: playing instances of a sound, and what can be done to one."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .common import (
    Flag,
    Number,
    PanningValue,
    PlaybackRateValue,
    Region,
    Reply,
    Seconds,
    Slice,
    StartTime,
    Strict,
    Tween,
    VolumeValue,
)

VoiceState = Literal["waiting", "playing", "pausing", "paused", "waiting_to_resume", "resuming", "stopping", "stopped"]


class PlaySettings(Strict):
    """How to play a sound; every field is optional."""

    volume: VolumeValue = Field(0.0, description="Decibels, or a modulated value.")
    panning: PanningValue = Field(0.0, description="-1 left .. 1 right, or a modulated value.")
    playback_rate: PlaybackRateValue = Field(
        1.0, description='Speed factor, a modulated value, or {"semitones": 12} (a number or a modulated value).'
    )
    start_time: StartTime | None = Field(None, description="When to start; none = at the next block.")
    start_position: Seconds = Field(0.0, description="Where in the sound to start, in seconds.")
    loop_region: Region | None = Field(None, description="Loop this span, in seconds.")
    loop: Flag = Field(
        False, description="Loop the whole sound (or slice): the same as loop_region {start: 0, end: null}."
    )
    slice: Slice | None = Field(
        None,
        description="Play only this part of the sound, in seconds; positions and loop_region then count from its start.",
    )
    reverse: Flag = Field(False, description="Play backwards.")
    fade_in: Tween | None = Field(None, description="Fade in from silence with this tween.")
    track: str = Field("main", description="Id of the track to play on: 'main' or a sub track's ('track-…').")

    @model_validator(mode="after")
    def _check(self) -> PlaySettings:
        if self.loop and self.loop_region is not None:
            raise ValueError("loop_region: give loop or loop_region, not both")
        return self


class PlayRequest(PlaySettings):
    """`sounds.play` over the WebSocket: the sound's id plus PlaySettings."""

    id: str = Field(description="Id of the sound ('snd-…').")


class Voice(Reply):
    """A playing instance of a sound, as the audio thread last reported it."""

    id: str = Field(description="Id of the voice ('voice-…').")
    sound: str = Field(description="Id of the sound it plays.")
    state: VoiceState = Field(
        description="Playback state; 'waiting' until its start time (a delay or a clock time) comes, then 'playing'."
    )
    position: float = Field(description="Playback position in seconds (from the start of the slice, if any).")
    duration: float = Field(description="Length of what plays in seconds: the slice's, else the sound's.")
    volume: float = Field(description="Current volume in decibels.")
    panning: float = Field(description="Current panning, -1..1.")
    playback_rate: float = Field(description="Current speed factor.")
    loop_region: Region | None = Field(
        description="Looped span in seconds with both ends resolved (end is never null here), or null."
    )
    track: str = Field(description="Id of the track it plays on: 'main' or a sub track's ('track-…').")
    streaming: bool = Field(description="True when it plays a streaming sound, read from disk as it plays.")
    underflows: int | None = Field(
        description="Of a streaming voice: blocks it played silence in because its file was not read far enough "
        "ahead in time (0 when reading keeps up); null for a voice of a sound decoded whole."
    )


class VoicePatch(Strict):
    """Changes to a voice; absent fields stay as they are."""

    volume: VolumeValue | None = Field(None, description="Decibels, or a modulated value.")
    panning: PanningValue | None = Field(None, description="-1 left .. 1 right, or a modulated value.")
    playback_rate: PlaybackRateValue | None = Field(
        None, description='Speed factor, a modulated value, or {"semitones": 12} (a number or a modulated value).'
    )
    loop_region: Region | Literal[False] | None = Field(
        None, description="New looped span in seconds; null or false stops looping; absent = unchanged."
    )
    tween: Tween | None = Field(None, description="Smooth the volume/panning/rate change with this tween.")

    @field_validator("loop_region", mode="before")
    @classmethod
    def _one_loop_error(cls, value: Any) -> Any:
        # One sentence for every wrong shape, instead of one per member of the union.
        if value is None or value is False or isinstance(value, (dict, Region)):
            return value
        raise ValueError("must be an object {start, end}, or null or false to stop looping")


class VoiceId(Strict):
    id: str = Field(description="Id of the voice ('voice-…').")


class VoicePatchRequest(VoicePatch):
    id: str = Field(description="Id of the voice ('voice-…').")


class VoiceFade(Strict):
    """Body of pause and stop."""

    tween: Tween | None = Field(None, description="Fade for the change; none = the engine's short default.")


class VoiceFadeRequest(VoiceFade):
    id: str = Field(description="Id of the voice ('voice-…').")


class VoiceResume(Strict):
    """Body of resume."""

    tween: Tween | None = Field(None, description="Fade in for the resume.")
    start_time: StartTime | None = Field(None, description="Resume later (delay or clock time); none = now.")


class VoiceResumeRequest(VoiceResume):
    id: str = Field(description="Id of the voice ('voice-…').")


class VoiceSeek(Strict):
    """Body of seek: exactly one of `to` and `by`."""

    to: Number | None = Field(None, ge=0, le=24 * 3600, description="Position to jump to, in seconds.")
    by: Number | None = Field(
        None, ge=-24 * 3600, le=24 * 3600, description="Seconds to jump forward (negative: back)."
    )

    @model_validator(mode="after")
    def _check(self) -> VoiceSeek:
        if (self.to is None) == (self.by is None):
            raise ValueError("to: give exactly one of 'to' and 'by'")
        return self


class VoiceSeekRequest(VoiceSeek):
    id: str = Field(description="Id of the voice ('voice-…').")
