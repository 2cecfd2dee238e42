"""Commands for the clocks module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..arena import Key
from ..tween import Tween
from ..value import Value

if TYPE_CHECKING:
    from .clock import Clock

CATEGORY = "clocks"


@dataclass(frozen=True, slots=True)
class AddClock:
    key: Key
    clock: "Clock"
    category = CATEGORY

    @property
    def thing(self):
        """The Thing this command brings to the audio thread."""
        return self.clock


@dataclass(frozen=True, slots=True)
class SetClockSpeed:
    """``value`` in ticks per second, or a Value following a modulator."""

    key: Key
    value: float | Value
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class SetClockTicking:
    """``action`` is 'start', 'pause' or 'stop' (stop also rewinds to tick 0)."""

    key: Key
    action: str
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class RemoveClock:
    key: Key
    category = CATEGORY
