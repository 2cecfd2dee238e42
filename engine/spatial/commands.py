"""Commands that move listeners and spatial tracks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..arena import Key
from ..tween import Tween


@dataclass(frozen=True, slots=True)
class SetPosition:
    """Move a listener or a spatial track to ``position`` (metres), gliding over ``tween``."""

    key: Key
    position: tuple[float, float, float]
    tween: Tween

    @property
    def name(self) -> str:
        return "position"

    def apply(self, thing: Any, module: Any) -> None:
        thing.set_position(self.position, self.tween, module.ctx)


@dataclass(frozen=True, slots=True)
class SetOrientation:
    """Turn a listener to ``orientation`` (a unit quaternion x, y, z, w), gliding over ``tween``."""

    key: Key
    orientation: tuple[float, float, float, float]
    tween: Tween

    @property
    def name(self) -> str:
        return "orientation"

    def apply(self, thing: Any, module: Any) -> None:
        thing.set_orientation(self.orientation, self.tween, module.ctx)
