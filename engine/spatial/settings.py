"""What a caller fills in for a listener and for a spatial sub track, as Kira's.

A spatial track is a sub track with a position: its output is attenuated
by its distance to its listener between ``distances`` (min, max) along the
``attenuation`` easing (in decibels, from 0 dB at the min to silence at
the max, as Kira), and panned by its direction from the listener's
orientation as strongly as ``spatialization_strength`` says (0 leaves the
track as it is, 1 places it fully on the side it is). With ``doppler`` on,
the sounds on it rise in pitch as it and its listener close in, and fall as
they part, at ``speed_of_sound`` metres a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import validate
from ..arena import Key, is_key
from ..errors import InvalidValue
from ..spec import PANNING, VOLUME, ParameterSpec, register
from ..track.settings import DEFAULT_SOUND_CAPACITY, SUB, TrackSpec, _flag, _record, _sends
from ..tween import Easing
from ..value import Value, check_value
from .geometry import IDENTITY, check_orientation, check_position

if TYPE_CHECKING:
    from ..build import BuildContext
    from ..shared import SharedState
    from .handle import ListenerHandle, SpatialTrackHandle

STRENGTH = ParameterSpec(
    "spatialization_strength", "", 0.0, 1.0, 0.75,
    "How far a spatial track's panning follows its direction from the listener: 0 not at all, 1 fully.",
    step=0.01,
)
DISTANCE = ParameterSpec(
    "distance", "m", 0.0, 1e6, 1.0,
    "A distance in metres.",
    ui_low=0.0, ui_high=100.0,
)
SPEED_OF_SOUND = ParameterSpec(
    "speed_of_sound", "m/s", 1.0, 100_000.0, 343.0,
    "How fast sound travels, for the Doppler shift: 343 m/s in air at 20 degrees Celsius.",
)
register("spatial_track", STRENGTH, SPEED_OF_SOUND)


@dataclass(frozen=True, slots=True)
class ListenerSpec:
    position: tuple[float, float, float]
    orientation: tuple[float, float, float, float]

    def restored(self, key: Key, shared: "SharedState") -> "ListenerSpec":
        record = shared.listeners[key.index]
        return ListenerSpec(tuple(float(v) for v in record["position"]),  # type: ignore[arg-type]
                            tuple(float(v) for v in record["orientation"]))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ListenerSettings:
    """A listener at ``position`` (metres) with ``orientation`` (a quaternion x, y, z, w)."""

    position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    orientation: tuple[float, float, float, float] = IDENTITY

    def build(self, key: Key, context: "BuildContext") -> tuple[ListenerSpec, "ListenerHandle"]:
        from .handle import ListenerHandle

        position = check_position("position", self.position)
        orientation = check_orientation("orientation", self.orientation)
        record = context.shared.listeners[key.index]
        record["position"] = position
        record["orientation"] = orientation
        return ListenerSpec(position, orientation), ListenerHandle(key, context)


@dataclass(frozen=True, slots=True)
class SpatialSpec:
    """The spatial part of a sub track's spec."""

    listener: Key
    position: tuple[float, float, float]
    min_distance: float
    max_distance: float
    attenuation: Easing | None
    strength: float | Value
    doppler: bool
    speed_of_sound: float


@dataclass(frozen=True, slots=True)
class SpatialTrackBuilder:
    """A spatial sub track: ``distances`` (min, max) in metres, ``attenuation`` an ``Easing`` (None: no
    attenuation with distance), ``spatialization_strength`` 0..1, ``doppler`` and ``speed_of_sound``;
    then what every sub track has (volume, panning, sends, sound capacity, mute, solo)."""

    distances: tuple[float, float] = (1.0, 100.0)
    attenuation: Easing | None = Easing.LINEAR
    spatialization_strength: float | Value = STRENGTH.default
    doppler: bool = False
    speed_of_sound: float = SPEED_OF_SOUND.default
    volume: float | Value = 0.0
    panning: float | Value = 0.0
    sends: dict[Any, float | Value] = field(default_factory=dict)
    sound_capacity: int = DEFAULT_SOUND_CAPACITY
    muted: bool = False
    soloed: bool = False

    def check(self) -> "SpatialTrackBuilder":
        if not isinstance(self.distances, (tuple, list)) or len(self.distances) != 2:
            raise InvalidValue("distances", "must be a pair (min, max) of metres")
        low = DISTANCE.check(self.distances[0], "distances.min")
        high = DISTANCE.check(self.distances[1], "distances.max")
        if high <= low:
            raise InvalidValue("distances.max", "must be greater than the min distance")
        if self.attenuation is not None:
            if not isinstance(self.attenuation, Easing):
                raise InvalidValue("attenuation", "must be an Easing or None")
            self.attenuation.check("attenuation")
        check_value("spatialization_strength", self.spatialization_strength, STRENGTH.low, STRENGTH.high)
        _flag("doppler", self.doppler)
        SPEED_OF_SOUND.check(self.speed_of_sound)
        check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        check_value("panning", self.panning, PANNING.low, PANNING.high)
        _sends(self.sends)
        validate.whole("sound_capacity", self.sound_capacity, 1, 65_536)
        _flag("muted", self.muted)
        _flag("soloed", self.soloed)
        return self

    def build(self, key: Key, parent: Key, listener: Any, position: Any,
              context: "BuildContext") -> tuple[TrackSpec, "SpatialTrackHandle"]:
        from .handle import SpatialTrackHandle

        self.check()
        listener_key = getattr(listener, "key", listener)
        if not is_key(listener_key, "listener"):
            raise InvalidValue("listener", "must be a listener's handle or key")
        where = check_position("position", position)
        volume = check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        panning = check_value("panning", self.panning, PANNING.low, PANNING.high)
        strength = check_value("spatialization_strength", self.spatialization_strength, STRENGTH.low, STRENGTH.high)
        _record(context, key.index, volume, panning, self.muted, self.soloed)
        record = context.shared.tracks[key.index]
        record["position"] = where
        spatial = SpatialSpec(listener_key, where, float(self.distances[0]), float(self.distances[1]),
                              self.attenuation, strength, self.doppler, float(self.speed_of_sound))
        spec = TrackSpec(SUB, parent, volume, panning, _sends(self.sends), self.muted, self.soloed, spatial)
        return spec, SpatialTrackHandle(key, context, self.sound_capacity)
