"""The Backend: everything that runs on the audio thread, one module per kind of Thing."""

from __future__ import annotations

import numpy as np

from .channel import CommandChannel, Collector, EventQueue
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
        # The mix is kept channel by channel, as the voices write it.
        self._mix = np.zeros((2, chunk), dtype=np.float32)
        self.commands_applied = 0

    def _apply(self, command) -> None:
        self._modules[command.category].apply(command)

    def process(self, out: np.ndarray) -> None:
        """Fill ``out`` (float32, shape (frames, 2)) with the next frames. Runs on the audio thread."""
        self.commands_applied += self._channel.drain(self._apply)
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
            self.main_track.process(ctx, mix, out[start : start + n])
            ctx.frame += n
        self.monitor.write(out)
