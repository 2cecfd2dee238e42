"""What a caller fills in to add a compressor, as Kira's ``CompressorBuilder``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_params, mix_spec

THRESHOLD = spec.ParameterSpec(
    "threshold", "dB", -60.0, 0.0, 0.0,
    "Level in dBFS above which the compressor turns the signal down.",
    step=0.5,
)
RATIO = spec.ParameterSpec(
    "ratio", ":1", 1.0, 100.0, 1.0,
    "How much a rise above the threshold is reduced: at 4, 4 dB over comes out 1 dB over; 1 does nothing.",
    ui_high=20.0, scale="log", step=0.1,
)
ATTACK = spec.ParameterSpec(
    "attack", "s", 0.0, 1.0, 0.01,
    "Time constant in seconds of the gain reduction closing in on a rise; 0 is instant.",
    ui_high=0.2, step=0.0005,
)
RELEASE = spec.ParameterSpec(
    "release", "s", 0.0, 5.0, 0.1,
    "Time constant in seconds of the gain reduction letting go after a fall; 0 is instant.",
    ui_high=2.0, step=0.005,
)
MAKEUP_GAIN = spec.ParameterSpec(
    "makeup_gain", "dB", -24.0, 24.0, 0.0,
    "Gain in decibels applied after compression, to the wet signal only.",
    step=0.5,
)
MIX = mix_spec(1.0)
SPECS = spec.register("compressor", THRESHOLD, RATIO, ATTACK, RELEASE, MAKEUP_GAIN, MIX)


@dataclass(frozen=True, slots=True)
class CompressorBuilder:
    """Turns loud passages down, as Kira's compressor.

    Each channel's level in dBFS is compared with ``threshold`` (-60..0 dB);
    what is over it is followed by an envelope that closes in with time
    constant ``attack`` and lets go with ``release`` (seconds, 0 instant),
    and the gain is reduced by ``over * (1 - 1 / ratio)`` dB (``ratio`` 1..100,
    hard knee). ``makeup_gain`` (dB, -24..24) is applied to the wet signal,
    ``mix`` 0 dry .. 1 wet (equal-power; mixing dry in is parallel
    compression). A steady level L dB over the threshold comes out
    ``threshold + L / ratio + makeup_gain``. The defaults (0 dB threshold,
    ratio 1) leave the sound unchanged, as in Kira. All fields are tweenable
    and may follow a modulator (a ``Value``).
    """

    KIND: ClassVar[str] = "compressor"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    threshold: float | Value = THRESHOLD.default
    ratio: float | Value = RATIO.default
    attack: float | Value = ATTACK.default
    release: float | Value = RELEASE.default
    makeup_gain: float | Value = MAKEUP_GAIN.default
    mix: float | Value = MIX.default

    def check(self) -> CompressorBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self."""
        check_params(self, SPECS)
        return self
