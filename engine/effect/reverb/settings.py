"""What a caller fills in to add a reverb, as Kira's ``ReverbBuilder`` (Freeverb)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_params, mix_spec

FEEDBACK = spec.ParameterSpec(
    "feedback", "", 0.0, 1.0, 0.9,
    "How long the room rings, 0..1: higher is a bigger room; 1 rings for ever (a frozen room).",
    step=0.01,
)
DAMPING = spec.ParameterSpec(
    "damping", "", 0.0, 1.0, 0.1,
    "How fast high frequencies die away in the tail, 0..1.",
    step=0.01,
)
STEREO_WIDTH = spec.ParameterSpec(
    "stereo_width", "", 0.0, 1.0, 1.0,
    "0 a mono tail, 1 the full width of the two channels' decorrelated tails.",
    step=0.01,
)
MIX = mix_spec(0.5)
SPECS = spec.register("reverb", FEEDBACK, DAMPING, STEREO_WIDTH, MIX)


@dataclass(frozen=True, slots=True)
class ReverbBuilder:
    """Room reverberation, Freeverb as in Kira: eight parallel damped combs, four series all-passes per channel.

    ``feedback`` 0..1 is each comb's loop gain (the tail falls by it every
    35 ms or so; 1 holds the tail for ever), ``damping`` 0..1 the one-pole
    low-pass in each loop (0 bright; 0.99 and above act as 0.99, since 1
    would freeze the filter), ``stereo_width`` 0..1 blends the two channels'
    tails (0 mono), ``mix`` 0 dry .. 1 wet (equal-power). The input is the
    mono sum of both channels. All fields are tweenable and may follow a
    modulator (a ``Value``).
    """

    KIND: ClassVar[str] = "reverb"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    feedback: float | Value = FEEDBACK.default
    damping: float | Value = DAMPING.default
    stereo_width: float | Value = STEREO_WIDTH.default
    mix: float | Value = MIX.default

    def check(self) -> ReverbBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self."""
        check_params(self, SPECS)
        return self
