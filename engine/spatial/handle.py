"""The caller's handles on listeners and spatial tracks."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..things import Remove
from ..track.commands import SetTrackParameter
from ..track.handle import TrackHandle
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .commands import SetOrientation, SetPosition
from .geometry import check_orientation, check_position

if TYPE_CHECKING:
    from ..build import BuildContext


class ListenerHandle:
    """Moves and turns one listener; reads where it is from shared memory."""

    def __init__(self, key: Key, context: "BuildContext") -> None:
        self.key = key
        self._shared = context.shared.listeners
        self._channel = context.channel

    def _record(self) -> Any:
        record = self._shared[self.key.index]
        if int(record["generation"]) != self.key.generation or int(record["removed"]) == self.key.generation:
            return None
        return record

    @property
    def exists(self) -> bool:
        return self._record() is not None

    @property
    def position(self) -> tuple[float, float, float]:
        """Metres, as last rendered."""
        record = self._record()
        return (0.0, 0.0, 0.0) if record is None else tuple(float(v) for v in record["position"])  # type: ignore[return-value]

    @property
    def orientation(self) -> tuple[float, float, float, float]:
        """A unit quaternion (x, y, z, w), as last rendered."""
        record = self._record()
        return (0.0, 0.0, 0.0, 1.0) if record is None else tuple(float(v) for v in record["orientation"])  # type: ignore[return-value]

    def set_position(self, position: tuple[float, float, float], tween: Tween | None = None) -> None:
        self._channel.send(SetPosition(self.key, check_position("position", position), check_tween(tween)))

    def set_orientation(self, orientation: tuple[float, float, float, float], tween: Tween | None = None) -> None:
        """Turn to a quaternion (x, y, z, w); a tween turns it smoothly (normalised linear interpolation)."""
        self._channel.send(SetOrientation(self.key, check_orientation("orientation", orientation), check_tween(tween)))

    def remove(self) -> None:
        """Take the listener away; spatial tracks that follow it fall silent, as in Kira."""
        self._channel.send(Remove(self.key))


class SpatialTrackHandle(TrackHandle):
    """A spatial sub track: a TrackHandle with a position in the world."""

    @property
    def position(self) -> tuple[float, float, float]:
        record = self._record()
        return (0.0, 0.0, 0.0) if record is None else tuple(float(v) for v in record["position"])  # type: ignore[return-value]

    @property
    def distance(self) -> float:
        """Metres to its listener, as last rendered (infinite while it has none)."""
        record = self._record()
        return math.inf if record is None else float(record["distance"])

    def set_position(self, position: tuple[float, float, float], tween: Tween | None = None) -> None:
        """Move to ``position`` (metres); a tween glides it there, so it does not jump."""
        self._channel.send(SetPosition(self.key, check_position("position", position), check_tween(tween)))

    def set_spatialization_strength(self, strength: float | Value, tween: Tween | None = None) -> None:
        from .settings import STRENGTH

        value = check_value("spatialization_strength", strength, STRENGTH.low, STRENGTH.high)
        self._channel.send(SetTrackParameter(self.key, "spatialization_strength", value, check_tween(tween)))
