"""The modulators module of the Backend. Lives on the audio thread."""

from __future__ import annotations

import numpy as np

from ..arena import Key
from ..context import ChunkContext
from ..things import ThingModule
from .commands import AddModulator, RemoveModulator, SetModulatorParameter, SetWaveform


class Modulators(ThingModule):
    def values_of(self, key: Key) -> np.ndarray | None:
        """This chunk's values of a modulator, or None if it is gone."""
        modulator = self._slots.get(key)
        return None if modulator is None else modulator.values

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
            self.remove(command.key)

    def process(self, ctx: ChunkContext) -> None:
        """Runs on the audio thread."""
        for modulator in self._slots.items:
            try:
                modulator.process(ctx)
            except Exception as error:  # noqa: BLE001 - a broken modulator must not stop the stream
                self.broke(modulator, error)
        self.drop_broken()
