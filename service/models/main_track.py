"""The main track: the final mix."""

from __future__ import annotations

from pydantic import Field

from .common import Reply, Strict, Tween, Volume


class Meters(Reply):
    """Levels of the main mix over the last block, linear amplitude 0..1 (and above when clipping)."""

    peak: list[float] = Field(description="Peak absolute sample, [left, right].")
    rms: list[float] = Field(description="Root mean square, [left, right].")


class MainTrack(Reply):
    volume: float = Field(description="Volume of the main mix in decibels.")
    meters: Meters = Field(description="Current levels.")


class MainTrackPatch(Strict):
    volume: Volume = Field(description="New volume of the main mix in decibels.")
    tween: Tween | None = Field(None, description="Smooth the change with this tween.")
