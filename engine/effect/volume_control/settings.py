"""What a caller fills in to add a volume control, as Kira's ``VolumeControlBuilder``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ... import spec
from ...value import Value
from ..params import check_params

# The same volume as a sound's or a track's: one definition of the field.
VOLUME = spec.VOLUME
SPECS = spec.register("volume_control", VOLUME)


@dataclass(frozen=True, slots=True)
class VolumeControlBuilder:
    """Changes the level of what passes through it.

    ``volume`` in decibels (-100..24, 0 leaves it as it is, -60 or less is
    silence, as everywhere in the engine). Tweenable, and may follow a
    modulator (a ``Value``). No mix: a dry/wet blend of a gain is a gain.
    """

    KIND: ClassVar[str] = "volume_control"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    volume: float | Value = VOLUME.default

    def check(self) -> VolumeControlBuilder:
        """Raise ``InvalidValue`` naming ``volume`` when it is out of range; returns self."""
        check_params(self, SPECS)
        return self
