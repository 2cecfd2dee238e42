"""Adding an effect to a track: what the audio thread builds it from, and its handle.

The effect's state (filter memories, a delay line, reverb combs) and the
working space it renders in are one region of shared memory allocated
here, on the caller's side; a delay's feedback effects get a region each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..arena import Key
from ..errors import InvalidValue
from ..memory import Region
from .builders import BUILDERS
from .shared import MAX_PARAMETERS

if TYPE_CHECKING:
    from ..build import BuildContext
    from .handle import EffectHandle

ALIGN = 64


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


def working_bytes(parameters: int, chunk_size: int) -> int:
    """Bytes after an effect's own state: per-frame values and flags of its parameters, a dry copy, its wet gain."""
    return (_aligned(8 * parameters * chunk_size) + _aligned(max(parameters, 1)) + _aligned(4 * 2 * chunk_size)
            + _aligned(8 * chunk_size))


@dataclass(frozen=True, slots=True)
class EffectSpec:
    """``builder`` the effect's settings; ``region`` its memory (its own state first, ``state_bytes`` of
    it, then its working space); ``feedback`` the regions of a delay's feedback effects; ``track`` the
    key of its track; ``index`` its place in the track's chain (None: last)."""

    kind: str
    builder: Any
    region: Region
    state_bytes: int
    feedback: tuple[Region, ...]
    track: Key
    index: int | None
    bypassed: bool


@dataclass(frozen=True, slots=True)
class EffectSettings:
    """An effect builder (``FilterBuilder(...)`` and the rest) placed on a track at ``index`` (None: last)."""

    builder: Any
    index: int | None = None
    bypassed: bool = False

    def check(self) -> "EffectSettings":
        kind = getattr(type(self.builder), "KIND", None)
        if kind not in BUILDERS or type(self.builder) is not BUILDERS[kind]:
            raise InvalidValue("effect", f"{type(self.builder).__name__} is not an effect builder")
        self.builder.check()
        if len(self.builder.SPECS) > MAX_PARAMETERS:
            raise InvalidValue("effect", "has more parameters than an effect slot holds")
        if self.index is not None and (isinstance(self.index, bool) or not isinstance(self.index, int)
                                       or self.index < 0):
            raise InvalidValue("index", "must be a whole number, 0 or more (0 is first), or None for last")
        if not isinstance(self.bypassed, bool):
            raise InvalidValue("bypassed", "must be true or false")
        return self

    def build(self, key: Key, track: Key, context: "BuildContext") -> tuple[EffectSpec, "EffectHandle"]:
        from .handle import EffectHandle
        from .kinds import dsp_class

        self.check()
        builder = self.builder
        rate, chunk = context.sample_rate, context.chunk_size
        state = _aligned(dsp_class(builder).memory_bytes(builder, rate, chunk))
        region = context.allocate(key, state + working_bytes(len(builder.SPECS), chunk), f"a {builder.KIND}")
        feedback = tuple(
            context.allocate(key, max(_aligned(dsp_class(inner).memory_bytes(inner, rate, chunk)), ALIGN),
                             f"a {inner.KIND} in a delay's feedback")
            for inner in getattr(builder, "feedback_effects", ())
        )
        record = context.shared.effects[key.index]
        record["track"] = context.track_row(track)
        record["position"] = -1
        record["bypassed"] = 1 if self.bypassed else 0
        record["wet"] = 0.0
        record["values"] = np.zeros(MAX_PARAMETERS)
        from .params import initial_values

        for i, value in enumerate(initial_values(builder, builder.SPECS)):
            record["values"][i] = value
        spec = EffectSpec(builder.KIND, builder, region, state, feedback, track, self.index, self.bypassed)
        return spec, EffectHandle(key, builder, track, context)
