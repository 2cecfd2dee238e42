"""Checks run on the caller's side, so the audio thread never sees a bad value."""

from __future__ import annotations

import math

from .errors import InvalidValue


def finite(field: str, value: object) -> float:
    """Return ``value`` as a float, or raise naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidValue(field, f"must be a number, not {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidValue(field, "must be a finite number")
    return number


def in_range(field: str, value: object, low: float, high: float) -> float:
    number = finite(field, value)
    if not low <= number <= high:
        raise InvalidValue(field, f"must be between {low:g} and {high:g}, not {number:g}")
    return number


def at_least(field: str, value: object, low: float) -> float:
    number = finite(field, value)
    if number < low:
        raise InvalidValue(field, f"must be at least {low:g}, not {number:g}")
    return number


def positive(field: str, value: object) -> float:
    number = finite(field, value)
    if number <= 0:
        raise InvalidValue(field, f"must be greater than 0, not {number:g}")
    return number


def whole(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field, f"must be a whole number, not {value!r}")
    if not low <= value <= high:
        raise InvalidValue(field, f"must be between {low} and {high}, not {value}")
    return value
