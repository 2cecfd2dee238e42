"""What a caller fills in to add a filter, as Kira's ``FilterBuilder``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_choice, check_params, mix_spec

MODES = ("low_pass", "band_pass", "high_pass", "notch")

CUTOFF = spec.ParameterSpec(
    "cutoff", "Hz", 20.0, 20_000.0, 1000.0,
    "Cutoff (centre for band-pass and notch) frequency in hertz; above 0.49 x the sample rate it acts as that.",
    scale="log", step=1.0,
)
RESONANCE = spec.ParameterSpec(
    "resonance", "", 0.0, 1.0, 0.0,
    "Ringing at the cutoff, 0..1: the filter's Q goes from 0.5 to 10.",
    step=0.01,
)
MIX = mix_spec(1.0)
SPECS = spec.register("filter", CUTOFF, RESONANCE, MIX)


@dataclass(frozen=True, slots=True)
class FilterBuilder:
    """A resonant two-pole (12 dB per octave) filter, as Kira's.

    ``mode``: 'low_pass' removes what is above ``cutoff``, 'high_pass' what is
    below, 'band_pass' keeps a band around it, 'notch' removes a band around
    it. ``cutoff`` in hertz (20..20000). ``resonance`` 0..1: 0 is a gentle,
    critically damped knee (-6 dB at the cutoff), 1 a sharp peak of +20 dB
    (Q = 1 / (2 - 1.9 * resonance)). Band-pass passes 1/k at the centre as
    Kira's: -6 dB at resonance 0, +20 dB at 1. ``mix`` 0 dry .. 1 wet
    (equal-power). The mode can change later; cutoff, resonance and mix are
    tweenable and may follow a modulator (a ``Value``).
    """

    KIND: ClassVar[str] = "filter"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    mode: str = "low_pass"
    cutoff: float | Value = CUTOFF.default
    resonance: float | Value = RESONANCE.default
    mix: float | Value = MIX.default

    def check(self) -> FilterBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self."""
        check_choice("mode", self.mode, MODES)
        check_params(self, SPECS)
        return self
