"""Modulators: LFOs and tweeners whose output parameters can follow."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from .common import Number, Reply, Strict, Tween

WaveformName = Literal["sine", "triangle", "saw", "square"]


class LfoAdd(Strict):
    type: Literal["lfo"] = Field(description="'lfo': a repeating waveform.")
    waveform: WaveformName = Field("sine", description="Shape of the oscillation.")
    frequency: Number = Field(1.0, ge=0, le=20000, description="Cycles per second (Hz).")
    amplitude: Number = Field(1.0, ge=-1e6, le=1e6, description="Peak deviation from offset (output units).")
    offset: Number = Field(0.0, ge=-1e6, le=1e6, description="Centre value (output units).")
    phase: Number = Field(0.0, ge=0, le=1, description="Starting phase in cycles, 0..1.")


class TweenerAdd(Strict):
    type: Literal["tweener"] = Field(description="'tweener': a value moved by tweens.")
    value: Number = Field(0.0, ge=-1e6, le=1e6, description="Initial value.")


ModulatorAdd = Annotated[Union[LfoAdd, TweenerAdd], Field(discriminator="type")]


class ModulatorPatch(Strict):
    """Changes to a modulator: LFOs take frequency/amplitude/offset/phase/waveform, tweeners value."""

    frequency: Number | None = Field(None, ge=0, le=20000, description="LFO: cycles per second (Hz).")
    amplitude: Number | None = Field(None, ge=-1e6, le=1e6, description="LFO: peak deviation from offset.")
    offset: Number | None = Field(None, ge=-1e6, le=1e6, description="LFO: centre value.")
    phase: Number | None = Field(None, ge=0, le=1, description="LFO: phase in cycles, 0..1.")
    waveform: WaveformName | None = Field(None, description="LFO: shape of the oscillation.")
    value: Number | None = Field(None, ge=-1e6, le=1e6, description="Tweener: target value.")
    tween: Tween | None = Field(None, description="Smooth the change with this tween.")


class ModulatorId(Strict):
    id: str = Field(description="Id of the modulator ('mod-…').")


class ModulatorPatchRequest(ModulatorPatch):
    id: str = Field(description="Id of the modulator ('mod-…').")


class Modulator(Reply):
    id: str = Field(description="Id of the modulator ('mod-…').")
    type: Literal["lfo", "tweener"] = Field(description="Kind of modulator.")
    value: Number = Field(description="Current output value.")
    waveform: WaveformName | None = Field(None, description="LFO: shape.")
    frequency: Number | None = Field(None, description="LFO: Hz.")
    amplitude: Number | None = Field(None, description="LFO: peak deviation.")
    offset: Number | None = Field(None, description="LFO: centre value.")
    phase: Number | None = Field(None, description="LFO: phase in cycles.")
    target: float | None = Field(None, description="Tweener: the value it is moving to (or holds).")
