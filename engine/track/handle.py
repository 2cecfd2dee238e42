"""The caller's handles on tracks."""

from __future__ import annotations

import numpy as np

from ..arena import Key
from ..channel import CommandChannel
from ..spec import VOLUME
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .commands import SetTrackParameter


class MainTrackHandle:
    """Controls the main track; reads its volume and meters from shared memory."""

    def __init__(self, key: Key, shared: np.ndarray, channel: CommandChannel) -> None:
        self.key = key
        self._shared = shared
        self._channel = channel

    @property
    def volume(self) -> float:
        """Decibels, as last rendered."""
        return float(self._shared[self.key.index]["volume"])

    @property
    def meters(self) -> dict:
        """Peak (falling ~20 dB/s) and RMS (~300 ms) of the output, per channel, as amplitudes."""
        record = self._shared[self.key.index]
        return {"peak": [float(x) for x in record["peak"]], "rms": [float(x) for x in record["rms"]]}

    def set_volume(self, volume: float | Value, tween: Tween | None = None) -> None:
        """Decibels (-60 or less is silence), or a Value following a modulator."""
        value = check_value("volume", volume, VOLUME.low, VOLUME.high)
        self._channel.send(SetTrackParameter(self.key, "volume", value, check_tween(tween)))
