"""Buffers a voice rendering alone works in, shared by all voices of a module.

Voices render one after another on the audio thread, so one set of chunk-
sized buffers serves them all; a voice holds only its own state.
"""

from __future__ import annotations

import numpy as np

from .voice_constants import SEEK_CROSSFADE_FRAMES


class Scratch:
    def __init__(self, chunk_size: int) -> None:
        self.positions = np.zeros(chunk_size, dtype=np.float64)
        self.gain = np.zeros(chunk_size, dtype=np.float64)
        self.whole = np.zeros(chunk_size, dtype=np.intp)
        self.powers = np.ones((4, chunk_size), dtype=np.float32)
        self.index = np.zeros((4, chunk_size), dtype=np.intp)
        self.weights = np.zeros((4, chunk_size), dtype=np.float32)
        self.taps = np.zeros((2, 4, chunk_size), dtype=np.float32)
        self.frames = np.zeros((2, chunk_size), dtype=np.float32)
        self.tail = np.zeros((2, SEEK_CROSSFADE_FRAMES), dtype=np.float32)
        self.pan_gains = np.zeros((2, 1), dtype=np.float32)
        self.left = np.zeros(chunk_size, dtype=np.float64)
        self.right = np.zeros(chunk_size, dtype=np.float64)
