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
    """``name`` is 'volume' (dB), 'panning' or 'fade' (dB; the main track's fades the whole mix on shutdown)."""

    key: Key
    name: str
    value: float | Value
    tween: Tween

    def apply(self, track: "Track", module: Any) -> None:
        track.parameter(self.name).set(self.value, self.tween, module.ctx)


@dataclass(frozen=True, slots=True)
class SetSend:
    """Route ``key``'s track to the send track ``send`` at ``value`` dB (a new route glides in from silence)."""

    key: Key
    send: Key
    value: float | Value
    tween: Tween

    @property
    def name(self) -> str:
        return f"send {self.send}"

    def apply(self, track: "Track", module: Any) -> None:
        module.mixer.set_send(track, self.send, self.value, self.tween)


@dataclass(frozen=True, slots=True)
class SetTrackFlag:
    """``name`` is 'muted' or 'soloed'."""

    key: Key
    name: str
    value: bool

    def apply(self, track: "Track", module: Any) -> None:
        if self.name not in ("muted", "soloed"):
            raise KeyError(self.name)
        module.mixer.set_flag(track, self.name, self.value)
