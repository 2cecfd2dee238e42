"""Commands for the clocks module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..tween import Tween
from ..value import Value

if TYPE_CHECKING:
    from .runtime import Clock


@dataclass(frozen=True, slots=True)
class SetClockSpeed:
    """``value`` in ticks per second, or a Value following a modulator."""

    key: Key
    value: float | Value
    tween: Tween

    def apply(self, clock: "Clock", module: Any) -> None:
        clock.speed.set(self.value, self.tween, module.ctx)


@dataclass(frozen=True, slots=True)
class SetClockTicking:
    """``action`` is 'start', 'pause' or 'stop' (stop also rewinds to tick 0)."""

    key: Key
    action: str

    def apply(self, clock: "Clock", module: Any) -> None:
        getattr(clock, self.action)()
        clock.record["ticking"] = 1 if clock.ticking else 0
