"""Every effect builder by kind, without the audio-thread classes (which need the compiled kernels)."""

from __future__ import annotations

from .compressor.settings import CompressorBuilder
from .delay.settings import DelayBuilder
from .distortion.settings import KINDS as DISTORTIONS
from .distortion.settings import DistortionBuilder
from .eq_filter.settings import KINDS as EQ_KINDS
from .eq_filter.settings import EqFilterBuilder
from .filter.settings import MODES as FILTER_MODES
from .filter.settings import FilterBuilder
from .limiter.settings import LimiterBuilder
from .panning_control.settings import PanningControlBuilder
from .reverb.settings import ReverbBuilder
from .volume_control.settings import VolumeControlBuilder

# kind -> builder class, in the order the panel lists them.
BUILDERS: dict[str, type] = {
    builder.KIND: builder
    for builder in (FilterBuilder, EqFilterBuilder, DelayBuilder, ReverbBuilder, DistortionBuilder,
                    CompressorBuilder, PanningControlBuilder, VolumeControlBuilder, LimiterBuilder)
}

# The discrete settings of each kind that can change on a playing effect, with their options.
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "filter": {"mode": FILTER_MODES},
    "eq_filter": {"kind": EQ_KINDS},
    "distortion": {"kind": DISTORTIONS},
}
