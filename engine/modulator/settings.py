"""What a caller fills in to add a modulator, as Kira's modulator builders."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..arena import Key
from ..errors import InvalidValue
from ..spec import LFO_AMPLITUDE, LFO_FREQUENCY, LFO_OFFSET, LFO_PHASE, LFO_PULSE_WIDTH, TWEENER_VALUE, ParameterSpec
from ..value import Value, check_value

if TYPE_CHECKING:
    from ..build import BuildContext
    from .handle import LfoHandle, TweenerHandle


class Waveform(str, enum.Enum):
    """An LFO's shape. ``PULSE`` is high for ``pulse_width`` of each cycle; ``SQUARE`` is a pulse of width 0.5."""

    SINE = "sine"
    TRIANGLE = "triangle"
    SAW = "saw"
    PULSE = "pulse"
    SQUARE = "square"


def waveform(value: Any) -> Waveform:
    try:
        return Waveform(value)
    except ValueError:
        raise InvalidValue("waveform", f"must be one of {', '.join(w.value for w in Waveform)}") from None


LFO_PARAMETERS: tuple[ParameterSpec, ...] = (LFO_FREQUENCY, LFO_AMPLITUDE, LFO_OFFSET, LFO_PHASE, LFO_PULSE_WIDTH)
# Rows a modulator takes in the parameter table (an LFO needs the most).
ROWS = len(LFO_PARAMETERS)


@dataclass(frozen=True, slots=True)
class ModulatorSpec:
    """What the audio thread builds a modulator from: its kind, waveform and parameter values."""

    kind: str
    waveform: Waveform
    values: tuple[float | Value, ...]


@dataclass(frozen=True, slots=True)
class TweenerBuilder:
    """A value that moves only when told, by tweens."""

    initial_value: float = 0.0

    def check(self) -> "TweenerBuilder":
        TWEENER_VALUE.check(self.initial_value, "initial_value")
        return self

    def build(self, key: Key, context: "BuildContext") -> tuple[ModulatorSpec, "TweenerHandle"]:
        from .handle import TweenerHandle

        self.check()
        context.shared.modulators[key.index]["value"] = self.initial_value
        spec = ModulatorSpec("tweener", Waveform.SINE, (float(self.initial_value),))
        return spec, TweenerHandle(key, context.shared.modulators, context.channel)


@dataclass(frozen=True, slots=True)
class LfoBuilder:
    """A low-frequency oscillator: ``offset + amplitude * wave(phase)``.

    ``frequency`` in hertz, ``phase`` where the wave starts, in cycles (0..1),
    ``pulse_width`` the part of a cycle a pulse wave is high (0..1). Sine
    starts at 0 going up; the pulse is +1 for its width, then -1. Each number
    may be a ``Value`` following another modulator.
    """

    waveform: Waveform = Waveform.SINE
    frequency: float | Value = 2.0
    amplitude: float | Value = 1.0
    offset: float | Value = 0.0
    phase: float | Value = 0.0
    pulse_width: float | Value = 0.5

    def check(self) -> "LfoBuilder":
        waveform(self.waveform)
        for spec in LFO_PARAMETERS:
            check_value(spec.name, getattr(self, spec.name), spec.low, spec.high)
        return self

    def build(self, key: Key, context: "BuildContext") -> tuple[ModulatorSpec, "LfoHandle"]:
        from .handle import LfoHandle

        self.check()
        values = tuple(check_value(spec.name, getattr(self, spec.name), spec.low, spec.high)
                       for spec in LFO_PARAMETERS)
        offset = values[2]
        context.shared.modulators[key.index]["value"] = offset if isinstance(offset, float) else 0.0
        spec = ModulatorSpec("lfo", waveform(self.waveform), values)
        return spec, LfoHandle(key, context.shared.modulators, context.channel)
