"""The main track: the last stage of the mix. Its volume and meters."""

from __future__ import annotations

import math

import numpy as np

from ..channel import CommandChannel
from ..context import ChunkContext
from ..parameter import Parameter, decibels_to_amplitude
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .commands import FadeMain, SetMainVolume

# Meter ballistics: peaks fall by about 20 dB a second, RMS averages over ~300 ms.
PEAK_FALL_DB_PER_SECOND = 20.0
RMS_SECONDS = 0.3


class MainTrackShared:
    """Volume and meters, written each chunk by the audio thread."""

    __slots__ = ("volume", "peak", "rms")

    def __init__(self) -> None:
        self.volume = 0.0
        self.peak = (0.0, 0.0)
        self.rms = (0.0, 0.0)


class MainTrack:
    def __init__(self, chunk_size: int, sample_rate: int) -> None:
        self.volume = Parameter(0.0, chunk_size, -1000.0, 60.0)
        self.fade = Parameter(0.0, chunk_size)
        self.shared = MainTrackShared()
        self._gain = np.empty(chunk_size, dtype=np.float64)
        self._square = np.empty((chunk_size, 2), dtype=np.float32)
        self._sample_rate = sample_rate
        self._peak = [0.0, 0.0]
        self._mean_square = [0.0, 0.0]

    def apply(self, command) -> None:
        """Runs on the audio thread."""
        if type(command) is SetMainVolume:
            self.volume.set(command.value, command.tween, self._ctx)
        elif type(command) is FadeMain:
            self.fade.set(command.decibels, command.tween, self._ctx)

    def reset(self) -> None:
        """After a failure: back to a fixed volume (the last good one, else 0 dB) and no fade."""
        volume = self.volume.value
        self.volume.set(volume if math.isfinite(volume) else 0.0, Tween(), self._ctx)
        self.fade.set(0.0, Tween(), self._ctx)

    def bind(self, ctx: ChunkContext) -> None:
        self._ctx = ctx

    def process(self, ctx: ChunkContext, mix: np.ndarray, out: np.ndarray) -> None:
        """Apply the volume to ``mix`` (shape (2, n)) into ``out`` (shape (n, 2)) and meter it.

        Runs on the audio thread.
        """
        n = ctx.n
        volume = self.volume.update(ctx)
        fade = self.fade.update(ctx)
        if isinstance(volume, float) and isinstance(fade, float):
            np.multiply(mix.T, decibels_to_amplitude(volume) * decibels_to_amplitude(fade), out=out)
        else:
            gain = self._gain[:n]
            if isinstance(volume, float):
                decibels_to_amplitude(fade, out=gain)
                gain *= decibels_to_amplitude(volume)
            else:
                decibels_to_amplitude(volume, out=gain)
                gain *= decibels_to_amplitude(fade)
            np.multiply(mix.T, gain[:, None], out=out)
        self._meter(out, n)
        self.shared.volume = self.volume.value

    def _meter(self, out: np.ndarray, n: int) -> None:
        seconds = n / self._sample_rate
        fall = 10.0 ** (-PEAK_FALL_DB_PER_SECOND * seconds / 20.0)
        smoothing = math.exp(-seconds / RMS_SECONDS)
        peaks = np.abs(out).max(axis=0)
        square = self._square[:n]
        np.multiply(out, out, out=square)
        means = square.mean(axis=0)
        for channel in (0, 1):
            self._peak[channel] = max(float(peaks[channel]), self._peak[channel] * fall)
            self._mean_square[channel] = smoothing * self._mean_square[channel] + (1 - smoothing) * float(means[channel])
        self.shared.peak = (self._peak[0], self._peak[1])
        self.shared.rms = (math.sqrt(self._mean_square[0]), math.sqrt(self._mean_square[1]))


class MainTrackHandle:
    """Controls the main track; reads its volume and meters."""

    def __init__(self, shared: MainTrackShared, channel: CommandChannel) -> None:
        self._shared = shared
        self._channel = channel

    @property
    def volume(self) -> float:
        """Decibels, as last rendered."""
        return self._shared.volume

    @property
    def meters(self) -> dict:
        """Peak (falling ~20 dB/s) and RMS (~300 ms) of the output, per channel, as amplitudes."""
        shared = self._shared
        return {"peak": list(shared.peak), "rms": list(shared.rms)}

    def set_volume(self, volume: float | Value, tween: Tween | None = None) -> None:
        """Decibels (-60 or less is silence), or a Value following a modulator."""
        self._channel.send(SetMainVolume(check_value("volume", volume, -1000.0, 60.0), check_tween(tween)))
