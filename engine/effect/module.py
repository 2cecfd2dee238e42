"""The effects module of the Backend: every effect, and each track's chain of them. Lives on the audio thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..arena import Key
from ..channel import EventSender
from ..context import ChunkContext
from ..parameter import ParameterTable
from ..things import ThingModule
from ..tween import Tween
from .runtime import ROWS, Effect
from .settings import EffectSpec

if TYPE_CHECKING:
    from ..track.module import Mixer
    from ..track.runtime import Track


class Effects(ThingModule[Effect]):
    kind = "effect"

    def __init__(self, capacity: int, ctx: ChunkContext, events: EventSender, shared: np.ndarray,
                 table: ParameterTable, first_row: int, pool: np.ndarray) -> None:
        super().__init__(capacity, ctx, events, shared)
        self.table = table
        self.first_row = first_row
        self.pool_bytes = pool.view(np.uint8)
        self.mixer: "Mixer | None" = None

    def _memory(self, offset: int, size: int) -> np.ndarray:
        if offset < 0 or offset + size > self.pool_bytes.shape[0]:
            raise ValueError(f"effect memory {offset}..{offset + size} is outside the pool")
        return self.pool_bytes[offset : offset + size]

    def create(self, key: Key, spec: EffectSpec) -> Effect:
        assert self.mixer is not None
        track = self.mixer.track(spec.track)
        if track is None or track.removing:
            raise LookupError(f"track {spec.track} does not exist")
        memory = self._memory(spec.region.offset, spec.region.size)
        feedback = [self._memory(r.offset, r.size) for r in spec.feedback]
        return Effect(key, spec, memory, feedback, self.table, self.first_row + ROWS * key.index, self.ctx, track)

    def added(self, effect: Effect) -> None:
        chain = effect.track.effects
        index = effect.index_wanted
        chain.insert(len(chain) if index is None else min(index, len(chain)), effect)
        self._publish(effect.track)

    def left(self, effect: Effect, reason: str | None) -> None:
        chain = effect.track.effects
        if effect in chain:
            chain.remove(effect)
            self._publish(effect.track)

    def remove_command(self, key: Key, fade: Tween | None) -> None:
        effect = self.get(key)
        if effect is None:
            return
        effect.removing = True
        effect.when_out(lambda: self.remove(key))

    def move(self, effect: Effect, index: int) -> None:
        chain = effect.track.effects
        if effect in chain:
            chain.remove(effect)
            chain.insert(min(max(index, 0), len(chain)), effect)
            self._publish(effect.track)

    def remove_on(self, track: "Track") -> None:
        """The track is going: its effects go with it."""
        for effect in list(track.effects):
            self.remove(effect.key, "track removed")

    def process(self, track: "Track", ctx: ChunkContext) -> None:
        """Run the track's chain over its buffer, in order. Runs on the audio thread.

        An effect that raises is removed and reported; the chain plays on without it.
        """
        assert self.mixer is not None
        buffer = self.mixer.buffers[track.buffer]
        for effect in track.effects:
            try:
                effect.process(buffer, ctx, self.shared)
            except Exception as error:  # noqa: BLE001 - a broken effect must not stop the stream
                self.broke(effect, error)
        self.drop_broken()

    def _publish(self, track: "Track") -> None:
        for position, effect in enumerate(track.effects):
            effect.publish(self.shared[effect.key.index], position)
