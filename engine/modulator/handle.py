"""The caller's handles on modulators."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arena import Key
from ..channel import CommandChannel
from ..spec import TWEENER_VALUE
from ..things import Remove
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .commands import SetModulatorParameter, SetWaveform
from .settings import LFO_PARAMETERS, Waveform, waveform

_SPECS = {spec.name: spec for spec in LFO_PARAMETERS}


class ModulatorHandle:
    def __init__(self, key: Key, shared: np.ndarray, channel: CommandChannel) -> None:
        self.key = key
        self._shared = shared
        self._channel = channel

    @property
    def value(self) -> float:
        """The modulator's output, as last rendered."""
        record = self._shared[self.key.index]
        return float(record["value"]) if int(record["generation"]) == self.key.generation else 0.0

    def remove(self) -> None:
        """Take the modulator away; parameters following it keep their last value."""
        self._channel.send(Remove(self.key))

    def _command(self, name: str, value: float | Value, tween: Tween) -> SetModulatorParameter:
        spec = _SPECS[name] if name in _SPECS else TWEENER_VALUE
        return SetModulatorParameter(self.key, name, check_value(name, value, spec.low, spec.high), tween)

    def _set(self, name: str, value: float | Value, tween: Tween | None) -> None:
        self._channel.send(self._command(name, value, check_tween(tween)))


class TweenerHandle(ModulatorHandle):
    kind = "tweener"

    def set(self, value: float, tween: Tween | None = None) -> None:
        """Move the tweener's value to ``value`` over ``tween``."""
        self._set("value", TWEENER_VALUE.check(value), tween)


class LfoHandle(ModulatorHandle):
    kind = "lfo"

    def set_frequency(self, hertz: float | Value, tween: Tween | None = None) -> None:
        self._set("frequency", hertz, tween)

    def set_amplitude(self, amplitude: float | Value, tween: Tween | None = None) -> None:
        self._set("amplitude", amplitude, tween)

    def set_offset(self, offset: float | Value, tween: Tween | None = None) -> None:
        self._set("offset", offset, tween)

    def set_phase(self, cycles: float | Value, tween: Tween | None = None) -> None:
        """Phase offset in cycles (0..1)."""
        self._set("phase", cycles, tween)

    def set_pulse_width(self, width: float | Value, tween: Tween | None = None) -> None:
        """The part of each cycle a pulse wave is high (0..1)."""
        self._set("pulse_width", width, tween)

    def set_waveform(self, shape: Waveform | str) -> None:
        self._channel.send(SetWaveform(self.key, waveform(shape)))

    def set(self, *, frequency: float | Value | None = None, amplitude: float | Value | None = None,
            offset: float | Value | None = None, phase: float | Value | None = None,
            pulse_width: float | Value | None = None, waveform: Waveform | str | None = None,
            tween: Tween | None = None) -> None:
        """Change several settings at once, all or nothing (checked first, sent together)."""
        checked = check_tween(tween)
        commands: list[Any] = []
        for name, value in (("frequency", frequency), ("amplitude", amplitude), ("offset", offset),
                            ("phase", phase), ("pulse_width", pulse_width)):
            if value is not None:
                commands.append(self._command(name, value, checked))
        if waveform is not None:
            commands.append(SetWaveform(self.key, _waveform(waveform)))
        self._channel.send_all(commands)


_waveform = waveform
