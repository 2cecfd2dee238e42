"""The engine's parameter table as the API shows it (`GET /api/parameters`, and each effect kind's parameters)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import Reply


class Parameter(Reply):
    """A tweenable parameter as the engine defines it (`engine.spec`): the panel sizes its controls from these."""

    name: str = Field(description="Name in the API, e.g. 'volume'.")
    group: str = Field(
        description="The kind of Thing it belongs to: 'sound', 'clock', 'lfo', 'tweener', or a kind of "
        "effect ('filter', 'delay', …)."
    )
    unit: str = Field(description="Unit symbol ('dB', 'Hz', 'x' for a factor, '' for a plain number).")
    low: float = Field(description="Lowest value accepted.")
    high: float = Field(description="Highest value accepted.")
    default: float = Field(description="Value when none is given.")
    description: str = Field(description="What it does, for people.")
    ui_low: float = Field(description="Lowest value a control shows by default.")
    ui_high: float = Field(description="Highest value a control shows by default.")
    scale: Literal["linear", "log"] = Field(description="How a control spreads the range.")
    step: float | None = Field(None, description="Step a control moves by; null = continuous.")
