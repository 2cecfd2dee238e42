"""Commands for the modulators module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..arena import Key
from ..tween import Tween
from .builders import Waveform

CATEGORY = "modulators"


@dataclass(frozen=True, slots=True)
class AddModulator:
    key: Key
    modulator: Any
    category = CATEGORY

    @property
    def thing(self):
        """The Thing this command brings to the audio thread."""
        return self.modulator


@dataclass(frozen=True, slots=True)
class SetModulatorParameter:
    """``name`` is 'value' for a tweener, or an LFO's parameter."""

    key: Key
    name: str
    value: float
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class SetWaveform:
    key: Key
    waveform: Waveform
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class RemoveModulator:
    key: Key
    category = CATEGORY
