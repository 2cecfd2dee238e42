"""What a caller fills in to add a panning control, as Kira's ``PanningControlBuilder``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_params

# The same panning as a sound's: one definition of the field.
PANNING = spec.PANNING
SPECS = spec.register("panning_control", PANNING)


@dataclass(frozen=True, slots=True)
class PanningControlBuilder:
    """Moves what passes through it left or right, with Kira's constant-power law.

    ``panning`` -1 (hard left) .. 0 (centre, unchanged) .. 1 (hard right):
    the left channel is scaled by sqrt(1 - m) * sqrt(2) and the right by
    sqrt(m) * sqrt(2), m = (panning + 1) / 2, so the centre is unity and a
    hard side is +3 dB on that side and silence on the other. Each channel
    keeps its own content (it is a balance, not a re-pan of a mono mix).
    Tweenable, and may follow a modulator (a ``Value``).
    """

    KIND: ClassVar[str] = "panning_control"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    panning: float | Value = PANNING.default

    def check(self) -> PanningControlBuilder:
        """Raise ``InvalidValue`` naming ``panning`` when it is out of range; returns self."""
        check_params(self, SPECS)
        return self
