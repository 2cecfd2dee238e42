"""The state the audio thread shares with callers: one block of shared memory, laid out the same on both sides.

The caller's process and the audio process both build ``SharedState`` from
the same settings over the same ``SharedMemory``, so every array sits at the
same offset in both. The audio thread writes; handles and the manager read,
without locks: each number is one aligned store, and a reader at worst sees
one chunk's value beside the previous chunk's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .clock.shared import SHARED as CLOCK
from .effect.shared import SHARED as EFFECT
from .memory import ALIGN, SharedMemory
from .modulator.shared import SHARED as MODULATOR
from .output.stats import LATENCY_BUCKETS, LOAD_BUCKETS
from .sound.shared import SHARED as SOUND
from .spatial.shared import SHARED as LISTENER
from .track.shared import SHARED as TRACK

if TYPE_CHECKING:
    from .settings import AudioManagerSettings

HEADER = np.dtype([
    # Commands the audio thread has applied: with the number sent, how full the channel is.
    ("applied", np.int64),
    ("frames", np.int64),
    # Blocks rendered, and a counter the audio process's main thread bumps ten times a second:
    # the manager watches both to tell a stalled audio process from a dead one.
    ("blocks", np.int64),
    ("alive", np.int64),
    ("pid", np.int64),
    ("callbacks", np.int64),
    ("underflows", np.int64),
    ("late_blocks", np.int64),
    ("render_errors", np.int64),
    ("last_load", np.float64),
    ("max_load", np.float64),
    ("render_seconds", np.float64),
    ("render_cpu_seconds", np.float64),
    ("load_histogram", np.int64, (len(LOAD_BUCKETS),)),
    ("connected", np.int64),
    ("disconnects", np.int64),
    ("reopens", np.int64),
    ("realtime", np.int64),
    ("events_dropped", np.int64),
    ("monitor_written", np.int64),
    # How long commands waited between the caller's send and the block that applied them.
    ("latency_histogram", np.int64, (len(LATENCY_BUCKETS),)),
    ("latency_seconds", np.float64),
], align=True)


class SharedState:
    """Views of every shared array; see the module docstring."""

    def __init__(self, settings: "AudioManagerSettings", memory: SharedMemory) -> None:
        self.memory = memory
        capacities = settings.capacities
        offset = 0

        def take(dtype: np.dtype, count: int) -> np.ndarray:
            nonlocal offset
            array = memory.array(dtype, offset, count)
            offset += -(-array.nbytes // ALIGN) * ALIGN
            return array

        self.header = take(HEADER, 1)
        self.sounds = take(SOUND, capacities.sounds)
        self.clocks = take(CLOCK, capacities.clocks)
        self.modulators = take(MODULATOR, capacities.modulators)
        self.tracks = take(TRACK, track_slots(settings))
        self.effects = take(EFFECT, max(capacities.effects, 1))
        self.listeners = take(LISTENER, max(capacities.listeners, 1))
        # Each track's route levels to each send track, in decibels as last rendered; NaN where it has none.
        self.routes = take(np.dtype(np.float64), track_slots(settings) * route_columns(settings)).reshape(
            track_slots(settings), route_columns(settings))
        self.routes[:] = np.nan
        self.monitor = take(np.dtype(np.float32), monitor_frames(settings) * 2).reshape(-1, 2)
        self.size = offset

    @staticmethod
    def size_for(settings: "AudioManagerSettings") -> int:
        """Bytes the shared state of these settings needs."""
        capacities = settings.capacities
        total = 0
        for dtype, count in ((HEADER, 1), (SOUND, capacities.sounds), (CLOCK, capacities.clocks),
                             (MODULATOR, capacities.modulators), (TRACK, track_slots(settings)),
                             (EFFECT, max(capacities.effects, 1)), (LISTENER, max(capacities.listeners, 1)),
                             (np.dtype(np.float64), track_slots(settings) * route_columns(settings)),
                             (np.dtype(np.float32), monitor_frames(settings) * 2)):
            total += -(-dtype.itemsize * count // ALIGN) * ALIGN
        return total


def route_columns(settings: "AudioManagerSettings") -> int:
    return max(settings.capacities.send_tracks, 1)


def track_slots(settings: "AudioManagerSettings") -> int:
    """The main track, then sub tracks, then send tracks."""
    capacities = settings.capacities
    return 1 + capacities.sub_tracks + capacities.send_tracks


def monitor_frames(settings: "AudioManagerSettings") -> int:
    return max(1, int(settings.sample_rate * settings.monitor_seconds))
