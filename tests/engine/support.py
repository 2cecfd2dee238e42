"""Shared helpers for engine tests: an offline manager and sources whose frames are recognisable."""

from __future__ import annotations

import numpy as np

from mixdeck.engine import AudioManager, AudioManagerSettings, Capacities, StaticSoundData

RATE = 48_000
BLOCK = 512


def offline(block_size: int = BLOCK, **settings) -> AudioManager:
    return AudioManager(AudioManagerSettings(output="offline", sample_rate=RATE, block_size=block_size,
                                             internal_chunk_size=block_size, **settings))


def capacities(**kinds) -> Capacities:
    return Capacities(**kinds)


def counting_source(frames: int = 2 * RATE, rate: int = RATE) -> tuple[np.ndarray, StaticSoundData]:
    """Frame i holds (i + 1) / frames: every frame is distinct and none is silent."""
    samples = ((np.arange(frames, dtype=np.float64) + 1.0) / frames).astype(np.float32)
    return samples, StaticSoundData.from_array(samples, rate)


def constant_source(value: float = 0.5, frames: int = 4 * RATE) -> StaticSoundData:
    return StaticSoundData.from_array(np.full(frames, value, dtype=np.float32), RATE)


def first_sound(out: np.ndarray) -> int:
    """Index of the first frame that is not silent."""
    loud = np.flatnonzero(np.abs(out[:, 0]) > 0)
    return int(loud[0]) if loud.size else -1
