"""Voices in their steady state, rendered together.

numpy charges for every call, so a voice rendered alone pays a dozen calls
per chunk. Most voices, most of the time, play a whole chunk forwards at a
constant rate with a fixed panning; such a voice only fills one row of the
batch (its start, step, gains, pan and source) and the batch renders up to
``rows`` of them with one call per step for all, plus one gather per voice.
Voices that start, end, reverse, seek or glide in rate or panning within a
chunk render alone, with the same interpolation.
"""

from __future__ import annotations

import math

import numpy as np

from ..parameter import SILENCE_DB
from .interpolation import HERMITE, TAPS
from .looping import crossed, wrap_positions, wrap_taps

ROWS = 32
_LN10_OVER_20 = math.log(10.0) / 20.0


class VoiceBatch:
    """Scratch for ``rows`` voices, allocated once. Lives on the audio thread."""

    def __init__(self, chunk_size: int, rows: int = ROWS) -> None:
        self.rows = rows
        self.voices: list = [None] * rows
        self.count = 0
        self._near_end = [False] * rows
        self._starts = np.zeros(rows, dtype=np.float64)
        self._steps = np.zeros(rows, dtype=np.float64)
        self._gains = np.zeros((rows, chunk_size), dtype=np.float32)  # decibels until flush
        self._row = self._gains[0]
        self._pans = np.zeros((rows, 2, 1), dtype=np.float32)
        self._positions = np.zeros((rows, chunk_size), dtype=np.float64)
        self._whole = np.zeros((rows, chunk_size), dtype=np.intp)
        self._powers = np.ones((rows, 4, chunk_size), dtype=np.float32)
        self._weights = np.zeros((rows, 4, chunk_size), dtype=np.float32)
        self._index = np.zeros((rows, 4, chunk_size), dtype=np.intp)
        self._taps = np.zeros((rows, 2, 4, chunk_size), dtype=np.float32)
        self._frames = np.zeros((rows, 2, chunk_size), dtype=np.float32)
        self._sum = np.zeros((2, chunk_size), dtype=np.float32)

    @property
    def full(self) -> bool:
        return self.count == self.rows

    def add(self, voice, start: float, step: float, left: float, right: float, n: int) -> None:
        """Queue one voice's chunk; its gain follows with ``set_decibels``. Runs on the audio thread."""
        k = self.count
        self.voices[k] = voice
        self._starts[k] = start
        self._steps[k] = step
        self._pans[k, 0, 0] = left
        self._pans[k, 1, 0] = right
        self._row = self._gains[k, :n]
        self.count = k + 1

    def set_decibels(self, volume: float | np.ndarray, volume_monotonic: bool, fade: float | np.ndarray) -> None:
        """The last added voice's volume and fade, in decibels, over the chunk.

        They are summed here and turned into gains for all rows at once in
        ``flush``. Frames where either is at or below silence become -inf
        decibels, a gain of exactly 0, as each would be on its own.
        """
        row = self._row
        row[...] = volume
        if not isinstance(fade, float) or fade != 0.0:
            row += fade
        if isinstance(volume, float):
            if volume <= SILENCE_DB:
                row[...] = -np.inf
        elif (min(volume[0], volume[-1]) if volume_monotonic else volume.min()) <= SILENCE_DB:
            row[volume <= SILENCE_DB] = -np.inf
        if isinstance(fade, float):
            if fade <= SILENCE_DB:
                row[...] = -np.inf
        elif min(fade[0], fade[-1]) <= SILENCE_DB:  # fades are tweens: they only rise or fall
            row[fade <= SILENCE_DB] = -np.inf

    def flush(self, offsets: np.ndarray, n: int, mix: np.ndarray) -> None:
        """Render every queued voice into ``mix`` (shape (2, n)) and empty the batch.

        Runs on the audio thread.
        """
        count = self.count
        if count == 0:
            return
        voices = self.voices
        positions = self._positions[:count, :n]
        np.multiply(self._steps[:count, None], offsets[None, :n], out=positions)
        positions += self._starts[:count, None]
        near_end = self._near_end
        for k in range(count):
            loop = voices[k].loop
            near_end[k] = False
            if loop is not None and positions[k, n - 1] >= loop[1] - 2:
                # Some tap of this chunk reaches past the loop's end: wrap positions, then taps.
                near_end[k] = True
                if crossed(positions[k, n - 1], loop, False):
                    wrap_positions(positions[k], loop, False)
        whole = self._whole[:count, :n]
        np.copyto(whole, positions, casting="unsafe")  # truncation: positions here are never negative
        powers = self._powers[:count, :, :n]  # (voice, power, frame); row 0 holds ones
        x = powers[:, 1]
        np.subtract(positions, whole, out=x, casting="unsafe")
        np.multiply(x, x, out=powers[:, 2])
        np.multiply(powers[:, 2], x, out=powers[:, 3])
        weights = np.matmul(HERMITE, powers, out=self._weights[:count, :, :n])
        gains = self._gains[:count, :n]
        gains *= _LN10_OVER_20
        np.exp(gains, out=gains)
        weights *= gains[:, None, :]
        index = self._index[:count, :, :n]
        np.add(whole[:, None, :], TAPS, out=index)
        taps = self._taps[:count, :, :, :n]
        for k in range(count):
            voice = voices[k]
            if near_end[k]:
                wrap_taps(index[k], voice.loop, False)
            voice.source.take(index[k], axis=1, out=taps[k], mode="clip")
        frames = np.einsum("kctn,ktn->kcn", taps, weights, out=self._frames[:count, :, :n])
        frames *= self._pans[:count]
        mix += np.add.reduce(frames, axis=0, out=self._sum[:, :n])
        for k in range(count):
            voices[k] = None  # each voice is still held by its slot, so nothing is freed here
        self.count = 0

    def drop(self) -> list:
        """Empty the batch without rendering; returns the voices that were in it."""
        dropped = [voice for voice in self.voices[: self.count] if voice is not None]
        for k in range(self.count):
            self.voices[k] = None
        self.count = 0
        return dropped
