"""The Backend in the caller's process, rendering on demand: the offline output."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..backend import Backend
from ..channel import CommandReceiver, EventQueue, EventSender, Frames, QueueTransport
from ..memory import SharedMemory
from ..output.offline import OfflineOutput
from ..output.stats import OutputStats
from ..settings import AudioManagerSettings
from ..shared import SharedState
from ..warmup import warm_up


class LocalEngine:
    """Commands and events still go through the channels' framing, as they would to an audio process."""

    def __init__(self, settings: AudioManagerSettings, shared: SharedState, pool: SharedMemory,
                 events: EventQueue) -> None:
        warm_up()
        self.transport = QueueTransport()
        self._event_transport = QueueTransport()
        self._frames = Frames()
        self._events = events
        samples = pool.array(np.float32, 0, pool.size // 4)
        self.backend = Backend(settings, CommandReceiver(self.transport, OutputStats(shared.header).waited),
                               EventSender(self._event_transport, settings.event_capacity), shared, samples)
        self.output = OfflineOutput(self.backend, settings.sample_rate, settings.block_size,
                                    OutputStats(shared.header))
        shared.header[0]["connected"] = 1
        self.channel = None

    def start(self) -> None:
        pass

    def poll(self) -> None:
        """Move the events the Backend sent into the manager's queue."""
        for batch in self._frames.feed(self._event_transport.read()):
            self._events.extend(batch)

    def render(self, frames: int, before_block: Callable[[], None] | None = None) -> np.ndarray:
        out = self.output.render(frames, before_block)
        self.poll()
        return out

    def describe(self) -> dict:
        return self.output.describe()

    def close(self) -> None:
        pass
