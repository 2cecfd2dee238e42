"""Modulators: LFOs and tweeners whose output parameters can follow."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from mixdeck.engine import spec

from .common import Reply, Strict, Tween, ranged

WaveformName = Literal["sine", "triangle", "saw", "square"]


class LfoAdd(Strict):
    type: Literal["lfo"] = Field(description="'lfo': a repeating waveform.")
    waveform: WaveformName = Field("sine", description="Shape of the oscillation.")
    frequency: float = ranged(spec.LFO_FREQUENCY, default=1.0)
    amplitude: float = ranged(spec.LFO_AMPLITUDE, default=1.0)
    offset: float = ranged(spec.LFO_OFFSET, default=0.0)
    phase: float = ranged(spec.LFO_PHASE, default=0.0)


class TweenerAdd(Strict):
    type: Literal["tweener"] = Field(description="'tweener': a value moved by tweens.")
    value: float = ranged(spec.TWEENER_VALUE, default=0.0)


ModulatorAdd = Annotated[LfoAdd | TweenerAdd, Field(discriminator="type")]


class ModulatorPatch(Strict):
    """Changes to a modulator: LFOs take frequency/amplitude/offset/phase/waveform, tweeners value."""

    frequency: float | None = ranged(spec.LFO_FREQUENCY, default=None)
    amplitude: float | None = ranged(spec.LFO_AMPLITUDE, default=None)
    offset: float | None = ranged(spec.LFO_OFFSET, default=None)
    phase: float | None = ranged(spec.LFO_PHASE, default=None)
    waveform: WaveformName | None = Field(None, description="LFO: shape of the oscillation.")
    value: float | None = ranged(spec.TWEENER_VALUE, default=None)
    tween: Tween | None = Field(None, description="Smooth the change with this tween.")


class ModulatorId(Strict):
    id: str = Field(description="Id of the modulator ('mod-…').")


class ModulatorPatchRequest(ModulatorPatch):
    id: str = Field(description="Id of the modulator ('mod-…').")


class Modulator(Reply):
    id: str = Field(description="Id of the modulator ('mod-…').")
    type: Literal["lfo", "tweener"] = Field(description="Kind of modulator.")
    value: float = Field(description="Current output value.")
    waveform: WaveformName | None = Field(None, description="LFO: shape.")
    frequency: float | None = Field(None, description="LFO: Hz.")
    amplitude: float | None = Field(None, description="LFO: peak deviation.")
    offset: float | None = Field(None, description="LFO: centre value.")
    phase: float | None = Field(None, description="LFO: phase in cycles.")
    target: float | None = Field(None, description="Tweener: the value it is moving to (or holds).")
