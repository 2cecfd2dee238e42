"""Commands for the sounds module, sent by the manager and by sound handles.

Each command carries out its change on the voice it names (``apply``); the
module only looks the voice up by key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..tween import Tween
from ..value import Value

if TYPE_CHECKING:
    from .runtime import Voice


@dataclass(frozen=True, slots=True)
class SetParameter:
    """``name`` is 'volume', 'panning' or 'playback_rate' (in semitones when ``in_semitones``)."""

    key: Key
    name: str
    value: float | Value
    tween: Tween
    in_semitones: bool = False

    def apply(self, voice: "Voice", module: Any) -> None:
        voice.set_parameter(self.name, self.value, self.tween, self.in_semitones)


@dataclass(frozen=True, slots=True)
class SetLoopRegion:
    """``ring``: a streaming voice's new ring modulus for the loop (0 keeps it)."""

    key: Key
    frames: tuple[int, int] | None
    seconds: tuple[float, float] | None
    ring: int = 0

    def apply(self, voice: "Voice", module: Any) -> None:
        voice.set_loop(self.frames)
        if self.ring and voice.ring_size:
            voice.row["ring"] = min(self.ring, voice.ring_size)
        record = module.shared[self.key.index]
        looping = self.seconds is not None and bool(voice.row["has_loop"])
        record["loop_start"], record["loop_end"] = self.seconds if looping else (float("nan"), float("nan"))


@dataclass(frozen=True, slots=True)
class Pause:
    key: Key
    tween: Tween

    def apply(self, voice: "Voice", module: Any) -> None:
        voice.pause(self.tween)


@dataclass(frozen=True, slots=True)
class Resume:
    key: Key
    tween: Tween

    def apply(self, voice: "Voice", module: Any) -> None:
        voice.resume(self.tween)


@dataclass(frozen=True, slots=True)
class Stop:
    key: Key
    tween: Tween

    def apply(self, voice: "Voice", module: Any) -> None:
        voice.stop(self.tween)


@dataclass(frozen=True, slots=True)
class EndAt:
    """A streaming voice's file ended or failed at ``frames``: the voice plays what was decoded, then ends."""

    key: Key
    frames: int

    def apply(self, voice: "Voice", module: Any) -> None:
        if voice.end_at(self.frames):
            record = module.shared[self.key.index]
            record["loop_start"], record["loop_end"] = float("nan"), float("nan")


@dataclass(frozen=True, slots=True)
class Seek:
    """``frames`` is a source position, or a distance when ``relative``."""

    key: Key
    frames: float
    relative: bool

    def apply(self, voice: "Voice", module: Any) -> None:
        voice.seek(self.frames, self.relative)
