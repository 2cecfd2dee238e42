"""Commands for the sounds module, sent by the manager and by sound handles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..arena import Key
from ..tween import Tween
from ..value import Value

if TYPE_CHECKING:
    from .voice import Voice

CATEGORY = "sounds"


@dataclass(frozen=True, slots=True)
class PlaySound:
    key: Key
    voice: "Voice"
    category = CATEGORY

    @property
    def thing(self):
        """The Thing this command brings to the audio thread."""
        return self.voice


@dataclass(frozen=True, slots=True)
class SetParameter:
    """``name`` is 'volume', 'panning' or 'playback_rate'."""

    key: Key
    name: str
    value: float | Value
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class SetLoopRegion:
    key: Key
    frames: tuple[int, int] | None
    seconds: tuple[float, float] | None
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class Pause:
    key: Key
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class Resume:
    key: Key
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class Stop:
    key: Key
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class Seek:
    """``frames`` is a source position, or a distance when ``relative``."""

    key: Key
    frames: float
    relative: bool
    category = CATEGORY
