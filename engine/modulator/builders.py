"""What a caller fills in to add a modulator, as Kira's modulator builders."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .. import validate
from ..errors import InvalidValue


class Waveform(str, enum.Enum):
    SINE = "sine"
    TRIANGLE = "triangle"
    SAW = "saw"
    SQUARE = "square"


@dataclass(frozen=True, slots=True)
class TweenerBuilder:
    """A value that moves only when told, by tweens."""

    initial_value: float = 0.0

    def check(self) -> "TweenerBuilder":
        validate.in_range("initial_value", self.initial_value, -1e9, 1e9)
        return self


@dataclass(frozen=True, slots=True)
class LfoBuilder:
    """A low-frequency oscillator: ``offset + amplitude * wave(phase)``.

    ``frequency`` in hertz, ``phase`` where the wave starts, in cycles (0..1).
    Sine starts at 0 going up; square is +1 for the first half cycle.
    """

    waveform: Waveform = Waveform.SINE
    frequency: float = 2.0
    amplitude: float = 1.0
    offset: float = 0.0
    phase: float = 0.0

    def check(self) -> "LfoBuilder":
        if not isinstance(self.waveform, Waveform):
            raise InvalidValue("waveform", f"must be one of {', '.join(w.value for w in Waveform)}")
        validate.in_range("frequency", self.frequency, 0.0, 20_000.0)
        validate.in_range("amplitude", self.amplitude, -1e6, 1e6)
        validate.in_range("offset", self.offset, -1e6, 1e6)
        validate.in_range("phase", self.phase, 0.0, 1.0)
        return self


LFO_RANGES = {
    "frequency": (0.0, 20_000.0),
    "amplitude": (-1e6, 1e6),
    "offset": (-1e6, 1e6),
    "phase": (0.0, 1.0),
}
