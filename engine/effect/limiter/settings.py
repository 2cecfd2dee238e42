"""What a caller fills in to add a limiter: the brickwall safety at the end of the main track."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_params, check_seconds

CEILING = spec.ParameterSpec(
    "ceiling", "dB", -30.0, 0.0, -1.0,
    "The most the output may reach, in dBFS; the limiter never lets a sample past it.",
    step=0.1,
)
RELEASE = spec.ParameterSpec(
    "release", "s", 0.001, 2.0, 0.1,
    "Time constant in seconds of the gain coming back up after a peak has passed.",
    ui_high=1.0, scale="log", step=0.001,
)
SPECS = spec.register("limiter", CEILING, RELEASE)

MAX_LOOKAHEAD = 0.05  # seconds


@dataclass(frozen=True, slots=True)
class LimiterBuilder:
    """A lookahead brickwall limiter: no output sample ever exceeds ``ceiling``.

    ``ceiling`` in dBFS (-30..0). The limiter sees peaks ``lookahead``
    seconds (0..0.05, fixed when it is built) before they play and ramps the
    gain down over that time, so a peak is turned down without a click; the
    output is delayed by the lookahead. After a peak the gain comes back with
    time constant ``release`` (seconds, 0.001..2). Both channels get the same
    gain (the stereo image holds). A signal that stays under the ceiling
    comes out bit for bit as it went in, only delayed. A change of ceiling
    applies to the audio entering with it (it plays a lookahead later).
    Kira has no limiter; ceiling and release are tweenable and may follow a
    modulator (a ``Value``).
    """

    KIND: ClassVar[str] = "limiter"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    ceiling: float | Value = CEILING.default
    release: float | Value = RELEASE.default
    lookahead: float = 0.005

    def check(self) -> LimiterBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self."""
        check_params(self, SPECS)
        check_seconds("lookahead", self.lookahead, 0.0, MAX_LOOKAHEAD)
        return self
