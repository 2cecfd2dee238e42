"""The `spatial` details a spatial track shows in the tracks tree, and the shapes they share with requests."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from mixdeck.engine.spatial.settings import DISTANCE

from .common import Easing, ModulatedValue, Number, Reply, Strict, ranged

Distance = Annotated[float, ranged(DISTANCE)]


class Distances(Strict):
    """Where attenuation starts and ends, in metres."""

    min: Distance = Field(1.0, description="Up to this distance (m) the track is at full level.")
    max: Distance = Field(100.0, description="From this distance (m) on it is silent; more than `min`.")

    @model_validator(mode="after")
    def _check(self) -> Distances:
        if self.max <= self.min:
            raise ValueError("max: must be greater than min")
        return self


class Attenuation(Strict):
    """The curve from full level at the min distance to silence at the max, in decibels."""

    easing: Easing = Field("linear", description="Shape of the curve.")
    power: Number = Field(2.0, ge=0.01, le=64, description="Exponent of the pow easings (whole for *_powi).")

    @model_validator(mode="after")
    def _check(self) -> Attenuation:
        if self.easing.endswith("powi") and (self.power != int(self.power) or self.power < 1):
            raise ValueError("power: must be a whole number from 1 to 64 for the *_powi easings")
        return self


class Spatial(Reply):
    """What makes a sub track spatial: where it is, what hears it and how distance and direction shape it."""

    listener: str | None = Field(description="Id of its listener; null once that listener is removed (it is silent).")
    position: list[float] = Field(description="[x, y, z] in metres, as last rendered.")
    distance: float | None = Field(description="Metres to its listener, as last rendered; null without one.")
    distances: Distances = Field(description="Where attenuation starts and ends.")
    attenuation: Attenuation | None = Field(description="How level falls with distance; null = it does not.")
    spatialization_strength: float | ModulatedValue = Field(description="As last set (or the modulated value).")
    doppler: bool = Field(description="Whether its sounds' pitch follows its approach and retreat.")
    speed_of_sound: float = Field(description="Metres a second, for the Doppler shift.")
