"""What a parameter follows: a fixed value, or a modulator through a mapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import validate
from .arena import Key, is_key
from .errors import InvalidValue
from .tween import Easing


MIN_INPUT_SPAN = 1e-6


@dataclass(frozen=True, slots=True)
class Mapping:
    """Maps a modulator's output to a parameter's value, as Kira's ``Mapping``.

    The modulator's value is placed in ``input_range`` (0 at its start, 1 at
    its end), eased, then spread over ``output_range``. ``clamp_bottom`` and
    ``clamp_top`` keep the result inside the output range; both are on by
    default, as in Kira.
    """

    input_range: tuple[float, float] = (-1.0, 1.0)
    output_range: tuple[float, float] = (0.0, 1.0)
    easing: Easing = Easing.LINEAR
    clamp_bottom: bool = True
    clamp_top: bool = True

    def check(self, field: str = "mapping") -> "Mapping":
        for name in ("input_range", "output_range"):
            pair = getattr(self, name)
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise InvalidValue(f"{field}.{name}", "must be a pair of numbers")
            validate.finite(f"{field}.{name}[0]", pair[0])
            validate.finite(f"{field}.{name}[1]", pair[1])
        if abs(self.input_range[1] - self.input_range[0]) < MIN_INPUT_SPAN:
            # A narrower span would map ordinary modulator values beyond what a float holds.
            raise InvalidValue(f"{field}.input_range", f"its two ends must be at least {MIN_INPUT_SPAN:g} apart")
        for i, end in enumerate(self.output_range):
            validate.in_range(f"{field}.output_range[{i}]", end, -1e9, 1e9)
        if not isinstance(self.easing, Easing):
            raise InvalidValue(f"{field}.easing", "must be an Easing")
        self.easing.check(f"{field}.easing")
        return self


@dataclass(frozen=True, slots=True)
class Value:
    """A parameter's source, as Kira's ``Value``.

    ``Value.fixed(x)``; ``Value.modulator(handle, mapping)`` follows a
    modulator; ``Value.from_listener_distance(mapping)`` follows the distance
    in metres between the spatial track the parameter belongs to and its
    listener (``distance_key`` names that track once it is known).
    """

    constant: float | None = None
    modulator_key: Key | None = None
    mapping: Mapping | None = None
    listener_distance: bool = False
    distance_key: Key | None = None

    @classmethod
    def fixed(cls, value: float) -> "Value":
        return cls(constant=value)

    @classmethod
    def modulator(cls, modulator: Any, mapping: Mapping | None = None) -> "Value":
        key = getattr(modulator, "key", modulator)
        return cls(modulator_key=key, mapping=mapping or Mapping())

    @classmethod
    def from_listener_distance(cls, mapping: Mapping | None = None) -> "Value":
        return cls(listener_distance=True, mapping=mapping or Mapping(input_range=(0.0, 100.0)))

    @property
    def is_modulated(self) -> bool:
        return self.modulator_key is not None or self.listener_distance


def check_value(field: str, value: Any, low: float, high: float) -> float | Value:
    """Validate a number or a ``Value`` for a parameter whose range is [low, high].

    Numbers come back as floats; modulated values come back as ``Value``.
    """
    if isinstance(value, Value):
        if not value.is_modulated:
            return validate.in_range(field, value.constant, low, high)
        if value.listener_distance:
            if value.modulator_key is not None:
                raise InvalidValue(f"{field}.modulator", "a Value follows a modulator or the listener distance, not both")
            if value.distance_key is not None and not is_key(value.distance_key, "track"):
                raise InvalidValue(f"{field}.distance_key", "must be a spatial track's key")
        elif not is_key(value.modulator_key, "modulator"):
            raise InvalidValue(f"{field}.modulator", "must be a modulator's key or handle")
        if not isinstance(value.mapping, Mapping):
            raise InvalidValue(f"{field}.mapping", "must be a Mapping")
        value.mapping.check(f"{field}.mapping")
        for i, end in enumerate(value.mapping.output_range):
            validate.in_range(f"{field}.mapping.output_range[{i}]", end, low, high)
        return value
    return validate.in_range(field, value, low, high)
