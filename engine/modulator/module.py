"""The modulators module of the Backend. Lives on the audio thread."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arena import Key
from ..channel import EventSender
from ..context import ChunkContext
from ..parameter import ParameterTable
from ..things import ThingModule
from .runtime import Lfo, Tweener
from .settings import ROWS, ModulatorSpec


class Modulators(ThingModule[Any]):
    kind = "modulator"

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventSender, shared: np.ndarray,
                 table: ParameterTable, first_row: int) -> None:
        super().__init__(capacity, ctx, events, shared)
        self.table = table
        self.first_row = first_row

    def create(self, key: Key, spec: ModulatorSpec) -> Tweener | Lfo:
        kind = Tweener if spec.kind == "tweener" else Lfo
        return kind(key, spec, self.table, self.first_row + ROWS * key.index, self.ctx, self.shared)

    def added(self, modulator: Tweener | Lfo) -> None:
        # Parameters follow a modulator by key; its generation here is how they find it.
        self.ctx.source_generations[modulator.key.index] = modulator.key.generation

    def left(self, modulator: Tweener | Lfo, reason: str | None) -> None:
        self.ctx.source_generations[modulator.key.index] = 0

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        for modulator in self._slots.items:
            try:
                modulator.process(ctx)
            except Exception as error:  # noqa: BLE001 - a broken modulator must not stop the stream
                self.broke(modulator, error)
        self.drop_broken()
