"""The listeners module of the Backend. Lives on the audio thread."""

from __future__ import annotations

import numpy as np

from ..arena import Key
from ..channel import EventSender
from ..context import ChunkContext
from ..parameter import ParameterTable
from ..things import ThingModule
from .runtime import ROWS, Listener
from .settings import ListenerSpec


class Listeners(ThingModule[Listener]):
    kind = "listener"

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventSender, shared: np.ndarray,
                 table: ParameterTable, first_row: int) -> None:
        super().__init__(capacity, ctx, events, shared)
        self.table = table
        self.first_row = first_row
        # Per listener: position at the chunk's first and last frame, then orientation at both.
        self.state = np.zeros((max(capacity, 1), 14), dtype=np.float64)
        self.generations = np.zeros(max(capacity, 1), dtype=np.int64)

    def create(self, key: Key, spec: ListenerSpec) -> Listener:
        return Listener(key, spec, self.table, self.first_row + ROWS * key.index, self.ctx, self.shared, self.state)

    def added(self, listener: Listener) -> None:
        self.generations[listener.key.index] = listener.key.generation

    def left(self, listener: Listener, reason: str | None) -> None:
        self.generations[listener.key.index] = 0

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        for listener in self._slots.items:
            try:
                listener.process(ctx)
            except Exception as error:  # noqa: BLE001 - a broken listener must not stop the stream
                self.broke(listener, error)
        self.drop_broken()
