"""Effects on tracks: Kira's eight (filter, EQ filter, delay, reverb, distortion, compressor, panning
and volume control) and a brickwall limiter.

Each kind has a folder with the same two files: ``settings.py``, the
builder a user fills in by keyword (``FilterBuilder(mode="low_pass",
cutoff=800.0)``) with its parameter specs, and ``dsp.py``, the object that
runs on the audio thread with its compiled kernel. The audio-thread objects
share one interface (``interface.EffectDsp``): state in memory the caller
allocates, one kernel call per ``process``, parameters per frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Builders load without the compiled kernels (which import numba): the caller's side of a
# service needs the builders and their specs, only the audio thread needs the kernels.
_EXPORTS = {
    "CompressorBuilder": ".compressor.settings",
    "DelayBuilder": ".delay.settings",
    "DistortionBuilder": ".distortion.settings",
    "EqFilterBuilder": ".eq_filter.settings",
    "FilterBuilder": ".filter.settings",
    "LimiterBuilder": ".limiter.settings",
    "PanningControlBuilder": ".panning_control.settings",
    "ReverbBuilder": ".reverb.settings",
    "VolumeControlBuilder": ".volume_control.settings",
    "BUILDERS": ".builders",
    "EffectDsp": ".interface",
    "KINDS": ".kinds",
    "build_dsp": ".kinds",
    "dsp_class": ".kinds",
    "warm_up": ".kinds",
    "EffectHandle": ".handle",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mixdeck.engine.effect' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .builders import BUILDERS
    from .compressor.settings import CompressorBuilder
    from .delay.settings import DelayBuilder
    from .distortion.settings import DistortionBuilder
    from .eq_filter.settings import EqFilterBuilder
    from .filter.settings import FilterBuilder
    from .handle import EffectHandle
    from .interface import EffectDsp
    from .kinds import KINDS, build_dsp, dsp_class, warm_up
    from .limiter.settings import LimiterBuilder
    from .panning_control.settings import PanningControlBuilder
    from .reverb.settings import ReverbBuilder
    from .volume_control.settings import VolumeControlBuilder
