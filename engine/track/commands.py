"""Commands for the mixer module."""

from __future__ import annotations

from dataclasses import dataclass

from ..tween import Tween
from ..value import Value

CATEGORY = "mixer"


@dataclass(frozen=True, slots=True)
class SetMainVolume:
    value: float | Value
    tween: Tween
    category = CATEGORY


@dataclass(frozen=True, slots=True)
class FadeMain:
    """Fade the whole mix to ``decibels``, as on shutdown."""

    decibels: float
    tween: Tween
    category = CATEGORY
