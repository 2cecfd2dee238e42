"""Spatial audio: listeners, and spatial tracks placed in the world around them.

Positions are metres in a right-handed frame: +X right, +Y up, and a listener
with no rotation looks towards -Z. An orientation is given either as a unit
quaternion (x, y, z, w) or as yaw, pitch and roll in degrees (yaw turns left
about +Y, pitch looks up about +X, roll tilts about -Z, in that order), and
is reported both ways.

A spatial track is a sub track with a position and a listener: sounds play
on it, it has volume, panning, sends, mute and solo like any sub track, and
its output is attenuated by its distance to the listener (from 0 dB at the
min distance to silence at the max, along the attenuation easing) and panned
by its direction, as strongly as `spatialization_strength` says.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Discriminator, Field, Tag, model_validator

from mixdeck.engine.spatial.geometry import MAX_METRES
from mixdeck.engine.spatial.settings import SPEED_OF_SOUND, STRENGTH

from .common import Flag, ModulatedValue, Reply, Strict, Tween, _value_kind, ranged
from .spatial_details import Attenuation, Distances
from .tracks import TrackAdd, TrackPatch, TrackRemove

LISTENER_ID = "Id of the listener ('listener-…')."
SPATIAL_TRACK_ID = "Id of the spatial track ('track-…'): a sub track's id, so it is also what `play` takes as `track`."
# Degrees either way of an angle; a whole turn each side is all a direction needs.
TURN = 360.0

Metres = Annotated[float, Field(strict=True, ge=-MAX_METRES, le=MAX_METRES)]
Position = Annotated[
    list[Metres],
    Field(
        min_length=3,
        max_length=3,
        description="Where it is, [x, y, z] in metres (+X right, +Y up, -Z ahead of an unturned listener).",
    ),
]
Degrees = Annotated[float, Field(strict=True, ge=-TURN, le=TURN)]
QuaternionPart = Annotated[float, Field(strict=True, ge=-1e6, le=1e6)]
Strength = Annotated[float, ranged(STRENGTH)]
# A number or a modulated value, as `common.VolumeValue` is for volume.
StrengthValue = Annotated[
    Annotated[Strength, Tag("number")] | Annotated[ModulatedValue, Tag("modulated")], Discriminator(_value_kind)
]


class OrientationIn(Strict):
    """Which way a listener faces: a quaternion, or yaw/pitch/roll in degrees (absent angles are 0), not both."""

    quaternion: list[QuaternionPart] | None = Field(
        None,
        min_length=4,
        max_length=4,
        description="A quaternion [x, y, z, w]; it is normalised. [0, 0, 0, 1] is no rotation.",
    )
    yaw: Degrees | None = Field(None, description="Degrees turned left about +Y (90 faces -X).")
    pitch: Degrees | None = Field(None, description="Degrees looked up about +X.")
    roll: Degrees | None = Field(None, description="Degrees tilted about -Z (clockwise as the listener sees it).")

    @model_validator(mode="after")
    def _check(self) -> OrientationIn:
        angles = (self.yaw, self.pitch, self.roll)
        if self.quaternion is not None:
            if any(a is not None for a in angles):
                raise ValueError("quaternion: give a quaternion or yaw/pitch/roll, not both")
            if not any(self.quaternion):
                raise ValueError("quaternion: must not be all zeros ([0, 0, 0, 1] is no rotation)")
        elif all(a is None for a in angles):
            raise ValueError("quaternion: give a quaternion or at least one of yaw, pitch and roll")
        return self


class Orientation(Reply):
    """Which way a listener faces, both ways: a unit quaternion, and yaw/pitch/roll in degrees."""

    quaternion: list[float] = Field(description="Unit quaternion [x, y, z, w].")
    yaw: float = Field(description="Degrees turned left about +Y, -180..180.")
    pitch: float = Field(description="Degrees looked up about +X, -90..90.")
    roll: float = Field(description="Degrees tilted about -Z, -180..180.")


class ListenerAdd(Strict):
    """A new listener; every field is optional."""

    position: Position = Field(default_factory=lambda: [0.0, 0.0, 0.0])
    orientation: OrientationIn | None = Field(None, description="Which way it faces; none = towards -Z, unturned.")


class ListenerPatch(Strict):
    """Move or turn a listener, at once or over a tween; absent fields stay as they are."""

    position: Position | None = Field(None, description="Where to move it, [x, y, z] in metres.")
    orientation: OrientationIn | None = Field(None, description="Which way to face.")
    tween: Tween | None = Field(None, description="Glide there over this tween (turns take the short way round).")


class ListenerId(Strict):
    id: str = Field(description=LISTENER_ID)


class ListenerPatchRequest(ListenerPatch):
    id: str = Field(description=LISTENER_ID)


class Listener(Reply):
    """A listener as the audio thread last reported it (a tween in progress shows where it has got to)."""

    id: str = Field(description=LISTENER_ID)
    position: list[float] = Field(description="[x, y, z] in metres.")
    orientation: Orientation = Field(description="Which way it faces.")
    tracks: list[str] = Field(description="Ids of the spatial tracks that hear through it, oldest first.")


class SpatialTrackAdd(TrackAdd):
    """A new spatial track heard through `listener`; it also takes every field of a sub track."""

    listener: str = Field(description=LISTENER_ID)
    position: Position = Field(default_factory=lambda: [0.0, 0.0, 0.0])
    distances: Distances = Field(default_factory=Distances, description="Where attenuation starts and ends.")
    attenuation: Attenuation | None = Field(
        default_factory=Attenuation, description="How level falls with distance; null = it does not."
    )
    spatialization_strength: StrengthValue = Field(
        STRENGTH.default, description="How far its panning follows its direction: 0 not at all, 1 fully."
    )
    doppler: Flag = Field(False, description="Shift the pitch of its sounds as it and its listener close or part.")
    speed_of_sound: Annotated[float, ranged(SPEED_OF_SOUND)] = SPEED_OF_SOUND.default


class SpatialTrackPatch(TrackPatch):
    """Changes to a spatial track, all or nothing: a sub track's fields, its position and its strength."""

    position: Position | None = Field(None, description="Where to move it, [x, y, z] in metres; the tween glides it.")
    spatialization_strength: StrengthValue | None = Field(None, description="0..1, or a modulated value.")


class SpatialTrackId(Strict):
    id: str = Field(description=SPATIAL_TRACK_ID)


class SpatialTrackPatchRequest(SpatialTrackPatch):
    id: str = Field(description=SPATIAL_TRACK_ID)


class SpatialTrackRemove(TrackRemove):
    """Remove a spatial track, fading it out first, with its sub tracks and the voices on them."""


class SpatialPlace(Reply):
    """Where one spatial track is, for the `spatial` topic."""

    id: str = Field(description=SPATIAL_TRACK_ID)
    listener: str | None = Field(description="Id of its listener; null once that listener is removed.")
    position: list[float] = Field(description="[x, y, z] in metres.")
    distance: float | None = Field(description="Metres to its listener; null without one.")
    distances: Distances = Field(description="Where attenuation starts and ends.")


class Scene(Reply):
    """Every listener and where every spatial track is: the `spatial` topic."""

    listeners: list[Listener] = Field(description="The listeners, oldest first.")
    tracks: list[SpatialPlace] = Field(description="The spatial tracks, oldest first.")
