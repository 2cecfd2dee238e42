"""The caller's handles on modulators."""

from __future__ import annotations

from .. import validate
from ..arena import Key
from ..channel import CommandChannel
from ..errors import InvalidValue
from ..tween import Tween, check_tween
from .builders import LFO_RANGES, Waveform
from .commands import RemoveModulator, SetModulatorParameter, SetWaveform
from .modulator import ModulatorShared


class ModulatorHandle:
    def __init__(self, key: Key, shared: ModulatorShared, channel: CommandChannel) -> None:
        self.key = key
        self._shared = shared
        self._channel = channel

    @property
    def value(self) -> float:
        """The modulator's output, as last rendered."""
        return self._shared.value

    def remove(self) -> None:
        """Take the modulator away; parameters following it keep their last value."""
        self._channel.send(RemoveModulator(self.key))

    def _set(self, name: str, value: float, tween: Tween | None) -> None:
        self._channel.send(SetModulatorParameter(self.key, name, value, check_tween(tween)))


class TweenerHandle(ModulatorHandle):
    kind = "tweener"

    def set(self, value: float, tween: Tween | None = None) -> None:
        """Move the tweener's value to ``value`` over ``tween``."""
        self._set("value", validate.in_range("value", value, -1e9, 1e9), tween)


class LfoHandle(ModulatorHandle):
    kind = "lfo"

    def set_frequency(self, hertz: float, tween: Tween | None = None) -> None:
        self._set("frequency", validate.in_range("frequency", hertz, *LFO_RANGES["frequency"]), tween)

    def set_amplitude(self, amplitude: float, tween: Tween | None = None) -> None:
        self._set("amplitude", validate.in_range("amplitude", amplitude, *LFO_RANGES["amplitude"]), tween)

    def set_offset(self, offset: float, tween: Tween | None = None) -> None:
        self._set("offset", validate.in_range("offset", offset, *LFO_RANGES["offset"]), tween)

    def set_phase(self, cycles: float, tween: Tween | None = None) -> None:
        """Phase offset in cycles (0..1)."""
        self._set("phase", validate.in_range("phase", cycles, *LFO_RANGES["phase"]), tween)

    def set_waveform(self, waveform: Waveform) -> None:
        self._channel.send(SetWaveform(self.key, _waveform(waveform)))

    def set(self, *, frequency: float | None = None, amplitude: float | None = None, offset: float | None = None,
            phase: float | None = None, waveform: Waveform | None = None, tween: Tween | None = None) -> None:
        """Change several settings at once, all or nothing (checked first, sent together)."""
        tween = check_tween(tween)
        commands = []
        for name, value in (("frequency", frequency), ("amplitude", amplitude), ("offset", offset), ("phase", phase)):
            if value is not None:
                checked = validate.in_range(name, value, *LFO_RANGES[name])
                commands.append(SetModulatorParameter(self.key, name, checked, tween))
        if waveform is not None:
            commands.append(SetWaveform(self.key, _waveform(waveform)))
        self._channel.send_all(commands)


def _waveform(waveform) -> Waveform:
    try:
        return Waveform(waveform)
    except ValueError:
        raise InvalidValue("waveform", f"must be one of {', '.join(w.value for w in Waveform)}") from None
