"""What a caller fills in to add an EQ filter, as Kira's ``EqFilterBuilder`` (with a dry/wet mix added)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_choice, check_params, mix_spec

KINDS = ("bell", "low_shelf", "high_shelf")

FREQUENCY = spec.ParameterSpec(
    "frequency", "Hz", 20.0, 20_000.0, 500.0,
    "Centre (bell) or corner (shelves) frequency in hertz.",
    scale="log", step=1.0,
)
GAIN = spec.ParameterSpec(
    "gain", "dB", -24.0, 24.0, 0.0,
    "Boost (positive) or cut (negative) of the band in decibels; 0 leaves the sound as it is.",
    step=0.1,
)
Q = spec.ParameterSpec(
    "q", "", 0.1, 20.0, 1.0,
    "Width of the band: higher is narrower (a bell's bandwidth is frequency / q).",
    ui_high=10.0, scale="log", step=0.01,
)
MIX = mix_spec(1.0)
SPECS = spec.register("eq_filter", FREQUENCY, GAIN, Q, MIX)


@dataclass(frozen=True, slots=True)
class EqFilterBuilder:
    """One band of parametric EQ (RBJ shapes on Simper's SVF), as Kira's.

    ``kind``: 'bell' changes a band around ``frequency``, 'low_shelf'
    everything below it, 'high_shelf' everything above. ``frequency`` in
    hertz (20..20000), ``gain`` in dB (-24..24; the shelf's far side or the
    bell's centre gets all of it, the corner half of it in dB), ``q``
    0.1..20 (0.707 gives shelves without overshoot). ``mix`` 0 dry .. 1 wet
    (Kira's EQ has no mix; here it blends equal-power like every effect).
    The kind can change later; the rest is tweenable and may follow a
    modulator (a ``Value``).
    """

    KIND: ClassVar[str] = "eq_filter"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    kind: str = "bell"
    frequency: float | Value = FREQUENCY.default
    gain: float | Value = GAIN.default
    q: float | Value = Q.default
    mix: float | Value = MIX.default

    def check(self) -> EqFilterBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self."""
        check_choice("kind", self.kind, KINDS)
        check_params(self, SPECS)
        return self
