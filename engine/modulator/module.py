"""The modulators module of the Backend. Lives on the audio thread."""

from __future__ import annotations

import numpy as np

from ..arena import Key, Slots
from ..channel import Collector, Event, EventQueue
from ..context import ChunkContext
from .commands import AddModulator, RemoveModulator, SetModulatorParameter, SetWaveform


class Modulators:
    def __init__(self, capacity: int, ctx: ChunkContext, events: EventQueue, collector: Collector) -> None:
        self._slots: Slots = Slots(capacity)
        self._ctx = ctx
        self._events = events
        self._collector = collector
        self._broken: list = []

    def __len__(self) -> int:
        return len(self._slots)

    def values_of(self, key: Key) -> np.ndarray | None:
        """This chunk's values of a modulator, or None if it is gone."""
        modulator = self._slots.get(key)
        return None if modulator is None else modulator.values

    def discard(self, key: Key) -> None:
        """Forget the Thing under ``key`` if it got in (its command failed half-way)."""
        if isinstance(key, Key):
            self._slots.remove(key)

    def apply(self, command) -> None:
        """Runs on the audio thread."""
        if type(command) is AddModulator:
            self._slots.insert(command.key, command.modulator)
            return
        modulator = self._slots.get(command.key)
        if modulator is None:
            return
        if type(command) is SetModulatorParameter:
            modulator.parameters[command.name].set(command.value, command.tween, self._ctx)
        elif type(command) is SetWaveform:
            modulator.waveform = command.waveform
        elif type(command) is RemoveModulator:
            self._slots.remove(command.key)
            self._collector.push(command.key, modulator)

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        broken = self._broken
        for modulator in self._slots.items:
            try:
                modulator.process(ctx)
            except Exception as error:  # noqa: BLE001 - a broken modulator must not stop the stream
                broken.append((modulator, error))
        if broken:
            # Removed after the loop, so no modulator is skipped this chunk.
            for modulator, error in broken:
                self._slots.remove(modulator.key)
                self._collector.push(modulator.key, modulator)
                self._events.push(Event("error", modulator.key, {"message": f"{type(error).__name__}: {error}"}))
            broken.clear()
