"""The mixer module of the Backend: the tracks and their buffers. Lives on the audio thread.

Track buffer 0 is the main track's; voices add into the buffer of the
track they play on (``destination``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arena import Key
from ..channel import Event, EventSender
from ..context import ChunkContext
from ..parameter import ParameterTable
from ..things import ThingModule
from .runtime import PARAMETERS, Track
from .settings import TrackSpec

MAIN_INDEX = 0


class Tracks(ThingModule[Track]):
    kind = "track"

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventSender, shared: np.ndarray,
                 table: ParameterTable, first_row: int, buffers: np.ndarray) -> None:
        super().__init__(capacity, ctx, events, shared)
        self.table = table
        self.first_row = first_row
        self.buffers = buffers
        self.main: Track | None = None
        # The main track is always there, in the slot (and generation) the caller reserved first.
        main = Key(self.kind, MAIN_INDEX, 1)
        self._slots.insert(main, self.create(main, TrackSpec()))
        self.added(self._slots.get(main))  # type: ignore[arg-type]

    def create(self, key: Key, spec: Any) -> Track:
        rows = self.first_row + len(PARAMETERS) * key.index
        return Track(key, self.table, rows, self.ctx, self.buffers[key.index], self.shared,
                     getattr(spec, "volume", 0.0), getattr(spec, "panning", 0.0))

    def added(self, track: Track) -> None:
        if track.key.index == MAIN_INDEX:
            self.main = track

    def clear(self, n: int) -> None:
        """Empty the buffers of the tracks that exist, for the next chunk. Runs on the audio thread."""
        for track in self._slots.items:
            track.buffer[:, :n] = 0.0

    def destination(self, key: Key) -> int:
        """The buffer index of the track ``key`` names, or -1 when it is gone."""
        return key.index if self._slots.get(key) is not None else -1

    def process(self, ctx: ChunkContext, out: np.ndarray) -> None:
        """Mix the tracks into ``out`` (shape (n, 2)). Runs on the audio thread."""
        main = self.main
        if main is None:
            out[:] = self.buffers[MAIN_INDEX, :, : ctx.n].T
            np.clip(out, -1.0, 1.0, out=out)
            return
        try:
            main.finish(ctx, out)
        except Exception as error:  # noqa: BLE001 - the main track cannot go, so it starts afresh
            out[:] = self.buffers[MAIN_INDEX, :, : ctx.n].T
            np.clip(out, -1.0, 1.0, out=out)
            main.reset()
            self.events.push(Event("error", main.key, {"message": f"main track: {type(error).__name__}: {error}"}))
