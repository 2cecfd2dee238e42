"""The sounds module of the Backend: every playing voice. Lives on the audio thread."""

from __future__ import annotations

import numpy as np

from ..channel import Collector, Event, EventQueue
from ..context import ChunkContext
from ..things import ThingModule
from .batch import VoiceBatch
from .commands import Pause, PlaySound, Resume, Seek, SetLoopRegion, SetParameter, Stop
from .scratch import Scratch
from .state import PlaybackState
from .voice import Voice


class Sounds(ThingModule[Voice]):
    def __init__(self, capacity: int, ctx: ChunkContext, events: EventQueue, collector: Collector) -> None:
        super().__init__(capacity, ctx, events, collector)
        self._done: list[Voice] = []
        self._batch = VoiceBatch(ctx.chunk_size)
        self._scratch = Scratch(ctx.chunk_size)
        # Off, every voice renders alone: the same sound, for comparing the two paths.
        self.batching = True
        self._handlers = {
            PlaySound: self._play,
            SetParameter: self._set_parameter,
            SetLoopRegion: self._set_loop_region,
            Pause: lambda c, v: v.pause(c.tween, self._ctx),
            Resume: lambda c, v: v.resume(c.tween, self._ctx),
            Stop: lambda c, v: v.stop(c.tween, self._ctx),
            Seek: lambda c, v: v.seek(c.frames, c.relative),
        }

    def apply(self, command) -> None:
        """Carry out one command. Runs on the audio thread."""
        handler = self._handlers[type(command)]
        if type(command) is PlaySound:
            handler(command, None)
            return
        voice = self._slots.get(command.key)
        if voice is not None:  # a stale or finished key does nothing
            handler(command, voice)

    def _play(self, command: PlaySound, _voice) -> None:
        command.voice.on_added(self._ctx)
        self._slots.insert(command.key, command.voice)

    def _set_parameter(self, command: SetParameter, voice: Voice) -> None:
        getattr(voice, command.name).set(command.value, command.tween, self._ctx)

    def _set_loop_region(self, command: SetLoopRegion, voice: Voice) -> None:
        voice.set_loop(command.frames)
        voice.shared.loop_region = command.seconds

    def render(self, ctx: ChunkContext, mix: np.ndarray) -> None:
        """Add every voice's chunk to ``mix`` (shape (2, n)). Runs on the audio thread.

        A voice that raises is removed and reported; the others play on.
        """
        done = self._done
        batch = self._batch if self.batching else None
        for voice in self._slots.items:
            try:
                if voice.render(ctx, mix, self._scratch, batch):
                    done.append(voice)
            except Exception as error:  # noqa: BLE001 - one broken voice must not stop the stream
                self.broke(voice, error)
            if batch is not None and batch.full:
                self._flush(ctx, mix)
        if batch is not None:
            self._flush(ctx, mix)
        self.drop_broken()
        if done:
            for voice in done:
                if self._slots.get(voice.key) is voice:
                    self.remove(voice.key)
                    self.left(voice)
            done.clear()

    def _flush(self, ctx: ChunkContext, mix: np.ndarray) -> None:
        try:
            self._batch.flush(ctx.offsets, ctx.n, mix)
        except Exception as error:  # noqa: BLE001 - the batch's voices go, the stream stays
            for voice in self._batch.drop():
                self.broke(voice, error)

    def left(self, voice: Voice) -> None:
        voice.state = PlaybackState.STOPPED
        voice.shared.state = PlaybackState.STOPPED
        voice.shared.waiting = False
        self._events.push(Event("sound_finished", voice.key))
