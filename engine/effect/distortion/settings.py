"""What a caller fills in to add a distortion, as Kira's ``DistortionBuilder``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_choice, check_params, mix_spec

KINDS = ("hard_clip", "soft_clip")

DRIVE = spec.ParameterSpec(
    "drive", "dB", -24.0, 48.0, 0.0,
    "Gain before the clipper in decibels, taken off again after it: more drive clips more of the signal.",
    ui_low=-12.0, ui_high=36.0, step=0.5,
)
MIX = mix_spec(1.0)
SPECS = spec.register("distortion", DRIVE, MIX)


@dataclass(frozen=True, slots=True)
class DistortionBuilder:
    """Clips the signal, as Kira's distortion: gain up by ``drive``, clip, gain down by ``drive``.

    ``kind``: 'hard_clip' limits the driven signal to -1..1, so the output
    never exceeds 10 ** (-drive / 20) (full scale at 0 dB of drive, -12 dB at
    12 dB); 'soft_clip' bends it smoothly, ``x / (1 + |x * drive|)``, and
    never exceeds that ceiling either. ``drive`` in dB (-24..48). ``mix`` 0
    dry .. 1 wet (equal-power). The kind can change later; drive and mix are
    tweenable and may follow a modulator (a ``Value``). No oversampling (as
    Kira): high drive on bright material aliases.
    """

    KIND: ClassVar[str] = "distortion"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    kind: str = "hard_clip"
    drive: float | Value = DRIVE.default
    mix: float | Value = MIX.default

    def check(self) -> DistortionBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self."""
        check_choice("kind", self.kind, KINDS)
        check_params(self, SPECS)
        return self
