"""The Backend: everything that runs on the audio thread, one module per kind of Thing."""

from __future__ import annotations

import numpy as np

from .channel import CommandChannel, Collector, Event, EventQueue
from .clock.module import Clocks
from .context import ChunkContext
from .modulator.module import Modulators
from .monitor import Monitor
from .settings import AudioManagerSettings
from .sound.module import Sounds
from .track.main import MainTrack


class Backend:
    """Drains commands at the start of each block, then renders it chunk by chunk.

    Order within a chunk: clocks (so anything waiting on a tick sees this
    chunk's times), modulators, sounds into the mix, the main track.
    """

    def __init__(self, settings: AudioManagerSettings, channel: CommandChannel, events: EventQueue,
                 collector: Collector) -> None:
        chunk = settings.internal_chunk_size
        self.ctx = ChunkContext(settings.sample_rate, chunk)
        capacities = settings.capacities
        self.clocks = Clocks(capacities.clocks, self.ctx, events, collector)
        self.modulators = Modulators(capacities.modulators, self.ctx, events, collector)
        self.sounds = Sounds(capacities.sounds, self.ctx, events, collector)
        self.main_track = MainTrack(chunk, settings.sample_rate)
        self.main_track.bind(self.ctx)
        self.monitor = Monitor(settings.sample_rate, settings.monitor_seconds)
        self.ctx.clocks = self.clocks
        self.ctx.modulators = self.modulators
        self._modules = {
            "sounds": self.sounds,
            "clocks": self.clocks,
            "modulators": self.modulators,
            "mixer": self.main_track,
        }
        self._channel = channel
        self._events = events
        self._collector = collector
        # The mix is kept channel by channel, as the voices write it.
        self._mix = np.zeros((2, chunk), dtype=np.float32)
        self.commands_applied = 0

    def _apply(self, command) -> None:
        self._modules[command.category].apply(command)

    def _failed(self, command, error: Exception) -> None:
        """A command raised: report it, and give back a Thing that never got in."""
        key = getattr(command, "key", None)
        thing = getattr(command, "thing", None)
        if thing is not None:
            try:
                self._modules[command.category].reject(key, thing)
            except Exception:  # noqa: BLE001 - a Thing too broken to hand back is only reported
                pass
        self._events.push(Event("error", key, {"message": f"{type(command).__name__}: {type(error).__name__}: {error}"}))

    def process(self, out: np.ndarray) -> None:
        """Fill ``out`` (float32, shape (frames, 2)) with the next frames. Runs on the audio thread."""
        # Overflow and invalid-value warnings would print from the audio thread; values are
        # checked before they get here, and results are guarded where they could go wrong.
        np.seterr(all="ignore")
        self.commands_applied += self._channel.drain(self._apply, self._failed)
        ctx = self.ctx
        frames = out.shape[0]
        chunk = ctx.chunk_size
        for start in range(0, frames, chunk):
            n = min(chunk, frames - start)
            ctx.n = n
            self.clocks.process(ctx)
            self.modulators.process(ctx)
            mix = self._mix[:, :n]
            mix.fill(0.0)
            self.sounds.render(ctx, mix)
            try:
                self.main_track.process(ctx, mix, out[start : start + n])
            except Exception as error:  # noqa: BLE001 - the main track cannot go, so it starts afresh
                out[start : start + n] = mix.T
                self.main_track.reset()
                self._events.push(Event("error", None, {"message": f"main track: {type(error).__name__}: {error}"}))
            ctx.frame += n
        self.monitor.write(out)
