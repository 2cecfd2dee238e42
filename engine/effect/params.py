"""What every effect builder shares: the dry/wet spec, checks of tweenable and discrete fields.

A tweenable field holds a number or a ``Value`` (fixed, or following a
modulator). The mixer reads a builder's starting values with
``initial_values`` (in the order of the effect's ``PARAMS``), and asks for
the worst case of a modulated field with ``extremes``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from .. import validate
from ..errors import InvalidValue
from ..spec import ParameterSpec
from ..value import Value, check_value


def mix_spec(default: float) -> ParameterSpec:
    """The dry/wet blend of one kind of effect (its default differs between kinds, as in Kira)."""
    return ParameterSpec(
        "mix", "", 0.0, 1.0, default,
        "Dry/wet blend: 0 only the dry input, 1 only the effect; between, an equal-power crossfade.",
        step=0.01,
    )


def check_params(builder: Any, specs: Sequence[ParameterSpec]) -> None:
    """Check each tweenable field of ``builder`` against its spec; ``InvalidValue`` names the field."""
    for spec in specs:
        check_value(spec.name, getattr(builder, spec.name), spec.low, spec.high)


def check_choice(field: str, value: object, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices``, else ``InvalidValue`` naming ``field``."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidValue(field, f"must be one of {', '.join(choices)}, not {value!r}")
    return value


def check_seconds(field: str, value: object, low: float, high: float) -> float:
    """A fixed (not tweenable) duration in seconds within [low, high]."""
    return validate.in_range(field, value, low, high)


def number(value: float | Value, spec: ParameterSpec) -> float:
    """A field's starting number: itself, a fixed Value's constant, or the spec's default while modulated."""
    if isinstance(value, Value):
        return float(value.constant) if value.constant is not None else spec.default
    return float(value)


def initial_values(builder: Any, specs: Sequence[ParameterSpec]) -> tuple[float, ...]:
    """The starting number of each of ``specs`` (in that order) in ``builder``."""
    return tuple(number(getattr(builder, spec.name), spec) for spec in specs)


def extremes(builder: Any, specs: Sequence[ParameterSpec]) -> Iterator[Any]:
    """Copies of ``builder`` with each modulated field set to each end of its range, in all combinations.

    A modulator may take a field anywhere in its range, so a bound that
    depends on the field (a tail length) is the worst over these copies.
    """
    moving = [s for s in specs if isinstance(getattr(builder, s.name), Value)
              and getattr(builder, s.name).is_modulated]
    fixed = {s.name: number(getattr(builder, s.name), s) for s in specs if s not in moving}
    for ends in itertools.product(*[(s.low, s.high) for s in moving]):
        changes = dict(fixed)
        changes.update({s.name: end for s, end in zip(moving, ends)})
        yield dataclasses.replace(builder, **changes)
