"""The Backend: everything that runs on the audio thread, one module per kind of Thing.

It runs in the audio process (device and null outputs) or in the caller's
process (offline output), the same code either way.
"""

from __future__ import annotations

import threading

import numpy as np

from .channel import CommandReceiver, Event, EventSender
from .clock.module import Clocks
from .effect.module import Effects
from .effect.runtime import ROWS as EFFECT_ROWS
from .spatial.module import Listeners
from .spatial.runtime import ROWS as LISTENER_ROWS
from .context import ChunkContext
from .modulator.module import Modulators
from .modulator.settings import ROWS as MODULATOR_ROWS
from .monitor import Monitor
from .parameter import ParameterTable
from .settings import AudioManagerSettings
from .shared import SharedState, track_slots
from .sound.module import Sounds
from .sound.runtime import PARAMETERS as SOUND_ROWS
from .things import Add, ThingModule
from .track.module import Mixer
from .track.runtime import PARAMETERS as TRACK_ROWS
from .jit import kernel

# Threads that have set numpy's error handling for rendering (it is per thread, and costs a call a block).
_quiet = threading.local()


@kernel
def _count(header: np.ndarray, applied: int, frame: int, dropped: int) -> None:
    h = header[0]
    h.applied += applied
    h.frames = frame
    h.blocks += 1
    h.events_dropped = dropped


class Backend:
    """Drains commands at the start of each block, then renders it chunk by chunk.

    Order within a chunk: clocks (so anything waiting on a tick sees this
    chunk's times), modulators, sounds into their tracks' buffers, the mixer.
    """

    def __init__(self, settings: AudioManagerSettings, receiver: CommandReceiver, events: EventSender,
                 shared: SharedState, pool: np.ndarray) -> None:
        chunk = settings.internal_chunk_size
        capacities = settings.capacities
        tracks = track_slots(settings)
        # Followed sources: the modulators, then each track's listener distance.
        self.ctx = ctx = ChunkContext(settings.sample_rate, chunk, capacities.clocks, capacities.modulators + tracks)
        rows = [len(SOUND_ROWS) * capacities.sounds, capacities.clocks, MODULATOR_ROWS * capacities.modulators,
                (len(TRACK_ROWS) + capacities.send_tracks) * tracks, EFFECT_ROWS * capacities.effects,
                LISTENER_ROWS * capacities.listeners]
        starts = np.concatenate([[0], np.cumsum(rows)]).astype(int).tolist()
        self.table = table = ParameterTable(starts[-1], distance_base=capacities.modulators)
        self.buffers = np.zeros((tracks, 2, chunk), dtype=np.float32)
        self.sounds = Sounds(capacities.sounds, ctx, events, shared.sounds, table, starts[0], pool)
        self.clocks = Clocks(capacities.clocks, ctx, events, shared.clocks, table, starts[1])
        self.modulators = Modulators(capacities.modulators, ctx, events, shared.modulators, table, starts[2])
        self.mixer = Mixer(capacities.sub_tracks, capacities.send_tracks, ctx, events, shared.tracks, table,
                           starts[3], self.buffers, shared.routes)
        self.mixer.distance_base = capacities.modulators
        self.listeners = Listeners(capacities.listeners, ctx, events, shared.listeners, table, starts[5])
        self.mixer.listeners = self.listeners
        self.effects = Effects(capacities.effects, ctx, events, shared.effects, table, starts[4], pool)
        self.effects.mixer = self.mixer
        self.sounds.tracks = self.mixer
        self.mixer.sounds = self.sounds
        self.mixer.effects = self.effects
        self.monitor = Monitor(shared.monitor, shared.header, settings.sample_rate)
        self._modules: dict[str, ThingModule] = {
            "sound": self.sounds, "clock": self.clocks, "modulator": self.modulators, "track": self.mixer.tracks,
            "send": self.mixer.sends, "effect": self.effects, "listener": self.listeners,
        }
        self._receiver = receiver
        self._events = events
        self._header = shared.header
        self.commands_applied = 0

    def _apply(self, command: object) -> None:
        self._modules[command.key.kind].apply(command)  # type: ignore[attr-defined]

    def _failed(self, command: object, error: Exception) -> None:
        """A command raised: report it, and give back the slot of a Thing that never got in."""
        key = getattr(command, "key", None)
        if type(command) is Add and key is not None:
            module = self._modules.get(key.kind)
            if module is not None:
                try:
                    module.reject(key)
                except Exception:  # noqa: BLE001 - a Thing too broken to hand back is only reported
                    pass
        self._events.push(Event("error", key, {"message": f"{type(command).__name__}: {type(error).__name__}: {error}"}))

    def process(self, out: np.ndarray) -> None:
        """Fill ``out`` (float32, shape (frames, 2)) with the next frames. Runs on the audio thread."""
        # Overflow and invalid-value warnings would print from the audio thread; values are
        # checked before they get here, and results are guarded where they could go wrong.
        if not getattr(_quiet, "set", False):
            np.seterr(all="ignore")
            _quiet.set = True
        applied = self._receiver.drain(self._apply, self._failed)
        self.commands_applied += applied
        ctx = self.ctx
        frames = out.shape[0]
        chunk = ctx.chunk_size
        buffers = self.buffers
        for start in range(0, frames, chunk):
            n = min(chunk, frames - start)
            ctx.n = n
            self.clocks.process(ctx)
            self.modulators.process(ctx)
            self.listeners.process(ctx)
            self.mixer.spatialize(ctx)
            self.mixer.clear(n)
            self.sounds.render(ctx, buffers, self.mixer.doppler)
            self.mixer.process(ctx, out[start : start + n])
            ctx.frame += n
        self.monitor.write(out)
        _count(self._header, applied, ctx.frame, self._events.dropped)
        self._events.flush()
