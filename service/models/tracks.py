"""The mixer: the main track, sub tracks in a tree below it, and send tracks.

Every voice plays on a track. A sub track passes what reaches it (its voices
and its own sub tracks) on to its parent after its volume and panning, and
to each send track it routes to at that route's volume. Send tracks feed the
main track. Mute silences a track; while any track is soloed only the soloed
ones are heard, with their path to the main track, what feeds them and the
send tracks they reach (`audible` says what mute and solo leave heard).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .common import (
    LONGEST_SECONDS,
    Flag,
    ModulatedValue,
    PanningValue,
    Reply,
    Strict,
    Tween,
    VolumeValue,
    Whole,
)
from .effects import Effect
from .main_track import Meters
from .spatial_details import Spatial

# The engine's ceilings: a track's sound capacity, and send tracks a track can route to.
MAX_SOUND_CAPACITY = 65_536
MAX_ROUTES = 256
DEFAULT_SOUND_CAPACITY = 128

TRACK_ID = "Id of the track: 'main' or a sub track's ('track-…')."
SEND_ID = "Id of the send track ('send-…')."

Sends = Annotated[
    dict[str, VolumeValue],
    Field(
        max_length=MAX_ROUTES,
        description="Routes to send tracks: send track id -> the route's volume in decibels (or a modulated value).",
    ),
]
FadeSeconds = Annotated[float, Field(strict=True, ge=0, le=LONGEST_SECONDS)]


class TrackAdd(Strict):
    """A new sub track; every field is optional."""

    parent: str = Field("main", description="Id of the track it feeds: 'main' or a sub track's ('track-…').")
    volume: VolumeValue = Field(0.0, description="Decibels, or a modulated value.")
    panning: PanningValue = Field(0.0, description="-1 left .. 1 right, or a modulated value.")
    sends: Sends = Field(default_factory=dict)
    sound_capacity: Whole = Field(
        DEFAULT_SOUND_CAPACITY,
        ge=1,
        le=MAX_SOUND_CAPACITY,
        description="Voices that may play on it at once; one more is a 409.",
    )
    muted: Flag = Field(False, description="Start muted.")
    soloed: Flag = Field(False, description="Start soloed.")


class TrackPatch(Strict):
    """Changes to a track, all or nothing; absent fields stay as they are.

    The main track takes volume, panning and muted (muting it silences the output).
    """

    volume: VolumeValue | None = Field(None, description="Decibels, or a modulated value.")
    panning: PanningValue | None = Field(None, description="-1 left .. 1 right, or a modulated value.")
    muted: Flag | None = Field(None, description="Mute (true) or unmute (false); glides over 10 ms.")
    soloed: Flag | None = Field(None, description="Solo (true) or unsolo (false); glides over 10 ms.")
    sends: Sends | None = Field(
        None,
        description="Routes to add or change, send track id -> volume in decibels; routes not named stay. "
        "A new route glides in from silence.",
    )
    tween: Tween | None = Field(None, description="Smooth the volume, panning and send changes with this tween.")


class TrackId(Strict):
    id: str = Field(description=TRACK_ID)


class TrackPatchRequest(TrackPatch):
    id: str = Field(description=TRACK_ID)


class TrackRemove(Strict):
    """Remove a sub track, fading it out first."""

    id: str = Field(description="Id of the sub track ('track-…').")
    fade: FadeSeconds | None = Field(
        None, description="Seconds to fade out over before it goes; none = 10 ms, enough not to click."
    )


class SendAdd(Strict):
    """A new send track; every field is optional."""

    volume: VolumeValue = Field(0.0, description="Decibels, or a modulated value.")
    panning: PanningValue = Field(0.0, description="-1 left .. 1 right, or a modulated value.")
    muted: Flag = Field(False, description="Start muted.")
    soloed: Flag = Field(False, description="Start soloed.")


class SendPatch(Strict):
    """Changes to a send track, all or nothing; absent fields stay as they are."""

    volume: VolumeValue | None = Field(None, description="Decibels, or a modulated value.")
    panning: PanningValue | None = Field(None, description="-1 left .. 1 right, or a modulated value.")
    muted: Flag | None = Field(None, description="Mute (true) or unmute (false); glides over 10 ms.")
    soloed: Flag | None = Field(None, description="Solo (true) or unsolo (false); glides over 10 ms.")
    tween: Tween | None = Field(None, description="Smooth the volume and panning changes with this tween.")


class SendId(Strict):
    id: str = Field(description=SEND_ID)


class SendPatchRequest(SendPatch):
    id: str = Field(description=SEND_ID)


class SendRemove(Strict):
    """Remove a send track, fading it out first; the routes to it go with it."""

    id: str = Field(description=SEND_ID)
    fade: FadeSeconds | None = Field(
        None, description="Seconds to fade out over before it goes; none = 10 ms, enough not to click."
    )


class Track(Reply):
    """The main track or a sub track, as the audio thread last reported it, with the sub tracks that feed it."""

    id: str = Field(description=TRACK_ID)
    kind: Literal["main", "sub"] = Field(description="'main' for the main track, 'sub' for a sub track.")
    parent: str | None = Field(description="Id of the track it feeds; null for the main track.")
    volume: float = Field(description="Current volume in decibels.")
    panning: float = Field(description="Current panning, -1..1.")
    muted: bool = Field(description="Muted.")
    soloed: bool = Field(description="Soloed.")
    audible: bool = Field(description="Whether mute and solo, here and on the other tracks, let it be heard.")
    spatial: Spatial | None = Field(
        None, description="A spatial track's listener, position and distances (see /api/spatial-tracks); else null."
    )
    sends: dict[str, float | ModulatedValue] = Field(
        description="Its routes: send track id -> volume in decibels as last set (the target of a tween), "
        "or the modulated value it follows."
    )
    sound_capacity: int | None = Field(
        description="Voices that may play on it at once; null for the main track (the engine's voice limit)."
    )
    meters: Meters = Field(description="Levels of what it passes on (after volume and panning).")
    effects: list[Effect] = Field(description="Its effects, in chain order: what reaches it goes through each in turn.")
    tracks: list[Track] = Field(description="The sub tracks that feed it, oldest first.")


class SendTrack(Reply):
    """A send track, as the audio thread last reported it; it feeds the main track."""

    id: str = Field(description=SEND_ID)
    volume: float = Field(description="Current volume in decibels.")
    panning: float = Field(description="Current panning, -1..1.")
    muted: bool = Field(description="Muted.")
    soloed: bool = Field(description="Soloed.")
    audible: bool = Field(description="Whether mute and solo, here and on the other tracks, let it be heard.")
    meters: Meters = Field(description="Levels of what it passes on to the main track.")
    effects: list[Effect] = Field(description="Its effects, in chain order.")


class Mixer(Reply):
    """Every track: the main track with its tree of sub tracks, and the send tracks."""

    main: Track = Field(description="The main track; its `tracks` are the sub tracks that feed it, and so on down.")
    sends: list[SendTrack] = Field(description="The send tracks, oldest first.")
