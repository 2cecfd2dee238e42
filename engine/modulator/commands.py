"""Commands for the modulators module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..arena import Key
from ..tween import Tween
from ..value import Value
from .settings import Waveform


@dataclass(frozen=True, slots=True)
class SetModulatorParameter:
    """``name`` is 'value' for a tweener, or an LFO's parameter."""

    key: Key
    name: str
    value: float | Value
    tween: Tween

    def apply(self, modulator: Any, module: Any) -> None:
        modulator.parameters[self.name].set(self.value, self.tween, module.ctx)


@dataclass(frozen=True, slots=True)
class SetWaveform:
    key: Key
    waveform: Waveform

    def apply(self, modulator: Any, module: Any) -> None:
        modulator.waveform = self.waveform
