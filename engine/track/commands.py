"""Commands for the mixer module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..tween import Tween
from ..value import Value

if TYPE_CHECKING:
    from .runtime import Track


@dataclass(frozen=True, slots=True)
class SetTrackParameter:
    """``name`` is 'volume' (dB), 'panning' or 'fade' (dB, the whole mix's fade on shutdown)."""

    key: Key
    name: str
    value: float | Value
    tween: Tween

    def apply(self, track: "Track", module: Any) -> None:
        track.parameter(self.name).set(self.value, self.tween, module.ctx)
