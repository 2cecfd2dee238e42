"""Effects on tracks: Kira's eight (filter, EQ filter, delay, reverb, distortion, compressor, panning
and volume control) and a brickwall limiter.

Each kind has a folder with the same two files: ``settings.py``, the
builder a user fills in by keyword (``FilterBuilder(mode="low_pass",
cutoff=800.0)``) with its parameter specs, and ``dsp.py``, the object that
runs on the audio thread with its compiled kernel. The audio-thread objects
share one interface (``interface.EffectDsp``): state in memory the caller
allocates, one kernel call per ``process``, parameters per frame.
"""

from .compressor.settings import CompressorBuilder
from .delay.settings import DelayBuilder
from .distortion.settings import DistortionBuilder
from .eq_filter.settings import EqFilterBuilder
from .filter.settings import FilterBuilder
from .interface import EffectDsp
from .kinds import KINDS, build_dsp, dsp_class, warm_up
from .limiter.settings import LimiterBuilder
from .panning_control.settings import PanningControlBuilder
from .reverb.settings import ReverbBuilder
from .volume_control.settings import VolumeControlBuilder

__all__ = [
    "KINDS",
    "CompressorBuilder",
    "DelayBuilder",
    "DistortionBuilder",
    "EffectDsp",
    "EqFilterBuilder",
    "FilterBuilder",
    "LimiterBuilder",
    "PanningControlBuilder",
    "ReverbBuilder",
    "VolumeControlBuilder",
    "build_dsp",
    "dsp_class",
    "warm_up",
]
