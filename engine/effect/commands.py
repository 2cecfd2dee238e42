"""Commands for the effects module: each changes the effect its key names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..tween import Tween
from ..value import Value

if TYPE_CHECKING:
    from .runtime import Effect


@dataclass(frozen=True, slots=True)
class SetEffectParameter:
    key: Key
    name: str
    value: float | Value
    tween: Tween

    def apply(self, effect: "Effect", module: Any) -> None:
        effect.set_parameter(self.name, self.value, self.tween)


@dataclass(frozen=True, slots=True)
class SetEffectChoice:
    """A discrete setting (a filter's mode, a distortion's kind), switched while the effect is out."""

    key: Key
    name: str
    value: str

    def apply(self, effect: "Effect", module: Any) -> None:
        effect.when_out(lambda: effect.dsp.set_choice(self.name, self.value))


@dataclass(frozen=True, slots=True)
class SetEffectBypass:
    key: Key
    bypassed: bool

    @property
    def name(self) -> str:
        return "bypassed"

    def apply(self, effect: "Effect", module: Any) -> None:
        effect.set_bypassed(self.bypassed)
        module.shared[effect.key.index]["bypassed"] = 1 if self.bypassed else 0


@dataclass(frozen=True, slots=True)
class MoveEffect:
    """To ``index`` in its track's chain (0 is first; past the end is last), moved while it is out."""

    key: Key
    index: int

    @property
    def name(self) -> str:
        return "index"

    def apply(self, effect: "Effect", module: Any) -> None:
        effect.when_out(lambda: module.move(effect, self.index))
