"""One definition of each tweenable parameter: name, unit, accepted range, default and meaning.

The engine validates with these specs, the service builds its API schema from
them (``/openapi.json`` shows the same range and unit) and the panel sizes its
controls from them (``GET /api/parameters``). A parameter is described here
once; nothing else states its range.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import validate


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    """A tweenable number.

    ``low``..``high`` is what the engine accepts (inclusive); ``ui_low``..
    ``ui_high`` the part a control shows by default, on a ``scale`` of
    'linear' or 'log'. ``unit`` is a short symbol ('dB', 'Hz', 's', '' for a
    plain number) and ``description`` one sentence for people.
    """

    name: str
    unit: str
    low: float
    high: float
    default: float
    description: str
    ui_low: float | None = None
    ui_high: float | None = None
    scale: str = "linear"
    step: float | None = None

    def check(self, value: object, field: str | None = None) -> float:
        """``value`` as a float within range, or ``InvalidValue`` naming ``field`` (default: the name)."""
        return validate.in_range(field or self.name, value, self.low, self.high)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "default": self.default,
            "description": self.description,
            "ui_low": self.low if self.ui_low is None else self.ui_low,
            "ui_high": self.high if self.ui_high is None else self.ui_high,
            "scale": self.scale,
            "step": self.step,
        }


# Decibels at or below this are silence (a gain of exactly 0), as in Kira.
SILENCE_DB = -60.0

VOLUME = ParameterSpec(
    "volume", "dB", -100.0, 24.0, 0.0,
    "Level in decibels; -60 dB or less is silence.",
    ui_low=-60.0, ui_high=12.0, step=0.5,
)
PANNING = ParameterSpec(
    "panning", "", -1.0, 1.0, 0.0,
    "Stereo position: -1 hard left, 0 centre, 1 hard right (constant power).",
    step=0.01,
)
PLAYBACK_RATE = ParameterSpec(
    "playback_rate", "x", 0.0, 64.0, 1.0,
    "Speed as a factor: 1 as recorded, 2 an octave up and twice as fast; 0 holds still.",
    ui_low=0.25, ui_high=4.0, scale="log", step=0.01,
)
SEMITONES = ParameterSpec(
    "semitones", "st", -72.0, 72.0, 0.0,
    "Speed in semitones: 12 is an octave up (a rate of 2), -12 an octave down.",
    ui_low=-24.0, ui_high=24.0, step=0.1,
)
TICKS_PER_SECOND = ParameterSpec(
    "ticks_per_second", "Hz", 1e-6, 100_000.0, 2.0,
    "Clock speed in ticks per second.",
    ui_low=0.1, ui_high=50.0, scale="log",
)
LFO_FREQUENCY = ParameterSpec(
    "frequency", "Hz", 0.0, 20_000.0, 2.0,
    "LFO cycles per second.",
    ui_low=0.01, ui_high=20.0, scale="log",
)
LFO_AMPLITUDE = ParameterSpec(
    "amplitude", "", -1e6, 1e6, 1.0,
    "LFO peak deviation from its offset, in the units of what it drives.",
    ui_low=0.0, ui_high=1.0, step=0.01,
)
LFO_OFFSET = ParameterSpec(
    "offset", "", -1e6, 1e6, 0.0,
    "LFO centre value, in the units of what it drives.",
    ui_low=-1.0, ui_high=1.0, step=0.01,
)
LFO_PHASE = ParameterSpec(
    "phase", "cycles", 0.0, 1.0, 0.0,
    "Where in its cycle the LFO starts, 0..1.",
    step=0.01,
)
LFO_PULSE_WIDTH = ParameterSpec(
    "pulse_width", "", 0.0, 1.0, 0.5,
    "Fraction of each cycle the pulse wave is high, 0..1 (0.5 is a square).",
    step=0.01,
)
TWEENER_VALUE = ParameterSpec(
    "value", "", -1e9, 1e9, 0.0,
    "A tweener's value, in the units of what it drives.",
    ui_low=-1.0, ui_high=1.0, step=0.01,
)

# Every spec by name, for the API's parameter list; kinds of Thing add theirs with ``register``.
SPECS: dict[str, ParameterSpec] = {}


def register(group: str, *specs: ParameterSpec) -> tuple[ParameterSpec, ...]:
    """List ``specs`` under ``group`` ('sound', 'track', 'filter', ...) in ``SPECS``; returns them."""
    for spec in specs:
        SPECS[f"{group}.{spec.name}"] = spec
    return specs


register("sound", VOLUME, PANNING, PLAYBACK_RATE, SEMITONES)
register("clock", TICKS_PER_SECOND)
register("lfo", LFO_FREQUENCY, LFO_AMPLITUDE, LFO_OFFSET, LFO_PHASE, LFO_PULSE_WIDTH)
register("tweener", TWEENER_VALUE)
