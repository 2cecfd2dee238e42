"""What a caller fills in for a track, as Kira's track builders.

Every sound plays on a track: the main track, or a sub track in a tree below
it. Tracks route to send tracks, each route with its own volume; send
tracks route to the main track. A track passes on what reaches it after its
effects, volume and panning (sends are post-fader, as in Kira).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import validate
from ..arena import Key, is_key
from ..errors import InvalidValue
from ..spec import PANNING, VOLUME
from ..value import Value, check_value

if TYPE_CHECKING:
    from ..build import BuildContext
    from ..shared import SharedState
    from .handle import MainTrackHandle, SendTrackHandle, TrackHandle

MAIN = "main"
SUB = "sub"
SEND = "send"
DEFAULT_SOUND_CAPACITY = 128


@dataclass(frozen=True, slots=True)
class TrackSpec:
    """What the audio thread builds a track from.

    ``role`` is 'main', 'sub' or 'send'; ``parent`` the key of the track a
    sub track feeds (the main track's for one added to the manager);
    ``sends`` (send key, volume in dB) routes.
    """

    role: str = MAIN
    parent: Key | None = None
    volume: float | Value = 0.0
    panning: float | Value = 0.0
    sends: tuple[tuple[Key, float | Value], ...] = ()
    muted: bool = False
    soloed: bool = False
    # A spatial track's listener, position and how distance and direction shape it (spatial.settings.SpatialSpec).
    spatial: Any = None

    def restored(self, key: Key, shared: "SharedState") -> "TrackSpec":
        """As it stands now: the changes since it was added are sent after it (see restore.py)."""
        return self


def _sends(sends: Any) -> tuple[tuple[Key, float | Value], ...]:
    if sends is None:
        return ()
    if not isinstance(sends, dict):
        raise InvalidValue("sends", "must map send tracks (handles or keys) to volumes in dB")
    routes = []
    for target, volume in sends.items():
        key = getattr(target, "key", target)
        if not is_key(key, SEND):
            raise InvalidValue("sends", "must name send tracks (SendTrackHandle or their keys)")
        routes.append((key, check_value(f"sends[{key}]", volume, VOLUME.low, VOLUME.high)))
    return tuple(routes)


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(name, "must be true or false")
    return value


def _record(context: "BuildContext", row: int, volume: float | Value, panning: float | Value, muted: bool,
            soloed: bool) -> None:
    record = context.shared.tracks[row]
    record["volume"] = volume if isinstance(volume, float) else VOLUME.default
    record["panning"] = panning if isinstance(panning, float) else PANNING.default
    record["peak"] = (0.0, 0.0)
    record["rms"] = (0.0, 0.0)
    record["muted"] = 1 if muted else 0
    record["soloed"] = 1 if soloed else 0
    record["audible"] = 1


@dataclass(frozen=True, slots=True)
class TrackBuilder:
    """A sub track: ``volume`` in dB, ``panning`` -1..1 (each may follow a modulator), ``sends``
    a dict from send tracks to the volume in dB of the route to each, ``sound_capacity`` how many
    sounds may play on it at once, ``muted`` and ``soloed`` as a desk's buttons."""

    volume: float | Value = 0.0
    panning: float | Value = 0.0
    sends: dict[Any, float | Value] = field(default_factory=dict)
    sound_capacity: int = DEFAULT_SOUND_CAPACITY
    muted: bool = False
    soloed: bool = False

    def check(self) -> "TrackBuilder":
        check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        check_value("panning", self.panning, PANNING.low, PANNING.high)
        _sends(self.sends)
        validate.whole("sound_capacity", self.sound_capacity, 1, 65_536)
        _flag("muted", self.muted)
        _flag("soloed", self.soloed)
        return self

    def build(self, key: Key, parent: Key, context: "BuildContext") -> tuple[TrackSpec, "TrackHandle"]:
        from .handle import TrackHandle

        self.check()
        volume = check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        panning = check_value("panning", self.panning, PANNING.low, PANNING.high)
        _record(context, key.index, volume, panning, self.muted, self.soloed)
        spec = TrackSpec(SUB, parent, volume, panning, _sends(self.sends), self.muted, self.soloed)
        return spec, TrackHandle(key, context, self.sound_capacity)


@dataclass(frozen=True, slots=True)
class SendTrackBuilder:
    """A send track, which tracks route to and which feeds the main track (a reverb bus)."""

    volume: float | Value = 0.0
    panning: float | Value = 0.0
    muted: bool = False
    soloed: bool = False

    def check(self) -> "SendTrackBuilder":
        check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        check_value("panning", self.panning, PANNING.low, PANNING.high)
        _flag("muted", self.muted)
        _flag("soloed", self.soloed)
        return self

    def build(self, key: Key, context: "BuildContext") -> tuple[TrackSpec, "SendTrackHandle"]:
        from .handle import SendTrackHandle

        self.check()
        volume = check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        panning = check_value("panning", self.panning, PANNING.low, PANNING.high)
        _record(context, context.send_row(key), volume, panning, self.muted, self.soloed)
        spec = TrackSpec(SEND, context.main_track, volume, panning, (), self.muted, self.soloed)
        return spec, SendTrackHandle(key, context)


@dataclass(frozen=True, slots=True)
class MainTrackBuilder:
    """The main track: the last stage of the mix, clamped to full scale. ``volume`` in decibels."""

    volume: float | Value = 0.0

    def build(self, key: Key, context: "BuildContext") -> tuple[TrackSpec, "MainTrackHandle"]:
        from .handle import MainTrackHandle

        volume = check_value("volume", self.volume, VOLUME.low, VOLUME.high)
        _record(context, key.index, volume, 0.0, False, False)
        return TrackSpec(MAIN, None, volume), MainTrackHandle(key, context)
