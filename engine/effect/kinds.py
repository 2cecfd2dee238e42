"""Every kind of effect: its builder, its audio-thread class, and the look-ups between them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidValue
from .compressor.dsp import CompressorDsp
from .compressor.settings import CompressorBuilder
from .delay.dsp import DelayDsp
from .delay.settings import DelayBuilder
from .distortion.dsp import DistortionDsp
from .distortion.settings import DistortionBuilder
from .eq_filter.dsp import EqFilterDsp
from .eq_filter.settings import EqFilterBuilder
from .filter.dsp import FilterDsp
from .filter.settings import FilterBuilder
from .limiter.dsp import LimiterDsp
from .limiter.settings import LimiterBuilder
from .memory import allocate
from .panning_control.dsp import PanningControlDsp
from .panning_control.settings import PanningControlBuilder
from .reverb.dsp import ReverbDsp
from .reverb.settings import ReverbBuilder
from .volume_control.dsp import VolumeControlDsp
from .volume_control.settings import VolumeControlBuilder

# kind -> (builder class, audio-thread class), in the order the panel lists them.
KINDS: dict[str, tuple[type, Any]] = {
    "filter": (FilterBuilder, FilterDsp),
    "eq_filter": (EqFilterBuilder, EqFilterDsp),
    "delay": (DelayBuilder, DelayDsp),
    "reverb": (ReverbBuilder, ReverbDsp),
    "distortion": (DistortionBuilder, DistortionDsp),
    "compressor": (CompressorBuilder, CompressorDsp),
    "panning_control": (PanningControlBuilder, PanningControlDsp),
    "volume_control": (VolumeControlBuilder, VolumeControlDsp),
    "limiter": (LimiterBuilder, LimiterDsp),
}


def dsp_class(builder: Any) -> Any:
    """The audio-thread class of ``builder``'s kind."""
    kind = getattr(type(builder), "KIND", None)
    if kind not in KINDS:
        raise InvalidValue("effect", f"{type(builder).__name__} is not an effect builder")
    return KINDS[kind][1]


def build_dsp(builder: Any, sample_rate: int, chunk_size: int) -> Any:
    """``builder`` checked and built into its audio-thread object, with memory of its own.

    Feedback effects of a delay are built first, each with its own memory.
    For callers and tests; it allocates, so never call it on the audio
    thread. A mixer with its own (shared) memory does the same steps with
    ``memory_bytes`` and its allocator.
    """
    builder.check()
    cls = dsp_class(builder)
    memory = allocate(cls.memory_bytes(builder, sample_rate, chunk_size))
    if isinstance(builder, DelayBuilder):
        effects = [build_dsp(e, sample_rate, chunk_size) for e in builder.feedback_effects]
        return cls(builder, memory, sample_rate, chunk_size, effects)
    return cls(builder, memory, sample_rate, chunk_size)


def warm_up(sample_rate: int = 48_000, chunk_size: int = 128) -> None:
    """Compile (or load from the cache) every effect kernel for the array types the mixer passes.

    numba compiles a kernel on its first call with new argument types;
    calling this before the audio thread starts keeps that off it. Buffers
    must be float32 and C-contiguous, values float64 C-contiguous, changing
    uint8, as ``process`` documents: other types would compile again.
    """
    buffer = np.zeros((2, chunk_size), dtype=np.float32)
    for builder_class, _ in KINDS.values():
        for builder in (builder_class(), *_with_feedback(builder_class)):
            dsp = build_dsp(builder, sample_rate, chunk_size)
            count = len(dsp.PARAMS)
            values = np.empty((count, chunk_size))
            for row, spec in enumerate(builder.SPECS):
                values[row].fill(spec.default)
            for flag in (0, 1):
                dsp.process(buffer, 0, chunk_size, values, np.full(count, flag, dtype=np.uint8))


def _with_feedback(builder_class: type) -> tuple[Any, ...]:
    if builder_class is DelayBuilder:
        return (DelayBuilder(delay_time=0.001, feedback_effects=(VolumeControlBuilder(),)),)
    return ()
