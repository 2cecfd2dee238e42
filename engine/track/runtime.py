"""A track on the audio thread: its buffer, its parameters and its meters."""

from __future__ import annotations

import math

import numpy as np

from ..arena import Key
from ..context import ChunkContext
from ..parameter import Parameter, ParameterTable
from ..spec import PANNING, VOLUME

# Meter ballistics: peaks fall by about 20 dB a second, RMS averages over ~300 ms.
PEAK_FALL_DB_PER_SECOND = 20.0
RMS_SECONDS = 0.3
# Below this a meter reads exactly 0 rather than decaying through subnormal floats.
METER_FLOOR = 1e-9

# A track's parameters, in the order of their rows in the table.
PARAMETERS = ("volume", "panning", "fade")


class Track:
    """One track: sounds and sub tracks add into ``buffer``; the track applies its volume and passes it on."""

    def __init__(self, key: Key, table: ParameterTable, first_row: int, ctx: ChunkContext,
                 buffer: np.ndarray, shared: np.ndarray, volume: float = 0.0, panning: float = 0.0) -> None:
        self.key = key
        chunk = ctx.chunk_size
        self.volume = Parameter(table, first_row, volume, chunk, VOLUME.low, VOLUME.high, VOLUME.default)
        self.panning = Parameter(table, first_row + 1, panning, chunk, PANNING.low, PANNING.high)
        self.fade = Parameter(table, first_row + 2, 0.0, chunk)
        self.buffer = buffer
        self.record = shared[key.index]
        self._gain = np.empty(chunk, dtype=np.float64)
        self._peak = [0.0, 0.0]
        self._mean_square = [0.0, 0.0]
        self._sample_rate = ctx.sample_rate

    def parameter(self, name: str) -> Parameter:
        if name not in PARAMETERS:
            raise KeyError(name)
        return getattr(self, name)  # type: ignore[no-any-return]

    def reset(self) -> None:
        """After a failure: back to a fixed volume (the last good one, else 0 dB) and no fade."""
        volume = self.volume.value
        self.volume.reset(volume if math.isfinite(volume) else 0.0)
        self.fade.reset(0.0)

    def finish(self, ctx: ChunkContext, out: np.ndarray) -> None:
        """Apply volume and fade to the buffer into ``out`` (shape (n, 2)), clamped to [-1, 1], and meter it.

        This is the main track's last stage: nothing beyond full scale reaches
        the output. Runs on the audio thread.
        """
        n = ctx.n
        mix = self.buffer[:, :n]
        volume = self.volume.update(ctx)
        fade = self.fade.update(ctx)
        if isinstance(volume, float) and isinstance(fade, float):
            np.multiply(mix.T, _amplitude(volume) * _amplitude(fade), out=out)
        else:
            gain = self._gain[:n]
            gain[:] = volume
            gain += fade
            silent = gain <= -60.0
            gain *= math.log(10.0) / 20.0
            np.exp(gain, out=gain)
            if isinstance(volume, float) and volume <= -60.0 or isinstance(fade, float) and fade <= -60.0:
                gain[:] = 0.0
            else:
                gain[silent] = 0.0
                if not isinstance(volume, float):
                    gain[volume <= -60.0] = 0.0
                if not isinstance(fade, float):
                    gain[fade <= -60.0] = 0.0
            np.multiply(mix.T, gain[:, None], out=out)
        np.clip(out, -1.0, 1.0, out=out)
        self._meter(out, n)
        self.record["volume"] = self.volume.value
        self.record["panning"] = self.panning.value

    def _meter(self, out: np.ndarray, n: int) -> None:
        seconds = n / self._sample_rate
        fall = 10.0 ** (-PEAK_FALL_DB_PER_SECOND * seconds / 20.0)
        smoothing = math.exp(-seconds / RMS_SECONDS)
        peaks = np.abs(out).max(axis=0)
        means = np.einsum("nc,nc->c", out, out) / n
        for channel in (0, 1):
            peak = max(float(peaks[channel]), self._peak[channel] * fall)
            mean_square = smoothing * self._mean_square[channel] + (1 - smoothing) * float(means[channel])
            self._peak[channel] = peak if peak >= METER_FLOOR else 0.0
            self._mean_square[channel] = mean_square if mean_square >= METER_FLOOR * METER_FLOOR else 0.0
        self.record["peak"] = self._peak
        self.record["rms"] = (math.sqrt(self._mean_square[0]), math.sqrt(self._mean_square[1]))


def _amplitude(db: float) -> float:
    return 0.0 if db <= -60.0 else 10.0 ** (db * 0.05)
