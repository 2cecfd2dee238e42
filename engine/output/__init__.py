"""Outputs drive the Backend's renderer: a sound device, a paced null output, or offline rendering.

All three take ``(renderer, sample_rate, block_size)``, keep an
:class:`OutputStats`, and have ``start()``, ``close()`` and ``describe()``.
"""

from .base import Output, OutputStats, Renderer, timed_process
from .device import DeviceOutput
from .portaudio import DeviceUnavailable, device_available, list_devices
from .null import NullOutput
from .offline import OfflineOutput

__all__ = [
    "DeviceOutput",
    "DeviceUnavailable",
    "NullOutput",
    "OfflineOutput",
    "Output",
    "OutputStats",
    "Renderer",
    "device_available",
    "list_devices",
    "timed_process",
]
