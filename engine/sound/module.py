"""The sounds module of the Backend: every playing voice. Lives on the audio thread."""

from __future__ import annotations

import numpy as np

from ..arena import Key, Slots
from ..channel import Collector, Event, EventQueue
from ..context import ChunkContext
from .commands import Pause, PlaySound, Resume, Seek, SetLoopRegion, SetParameter, Stop
from .state import PlaybackState
from .batch import VoiceBatch
from .scratch import Scratch
from .voice import Voice


class Sounds:
    def __init__(self, capacity: int, ctx: ChunkContext, events: EventQueue, collector: Collector) -> None:
        self._slots: Slots[Voice] = Slots(capacity)
        self._ctx = ctx
        self._events = events
        self._collector = collector
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

    def __len__(self) -> int:
        return len(self._slots)

    def discard(self, key: Key) -> None:
        """Forget the Thing under ``key`` if it got in (its command failed half-way)."""
        if isinstance(key, Key):
            self._slots.remove(key)

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

    def _flush(self, ctx: ChunkContext, mix: np.ndarray) -> None:
        try:
            self._batch.flush(ctx.offsets, ctx.n, mix)
        except Exception as error:  # noqa: BLE001 - the batch's voices go, the stream stays
            for voice in self._batch.drop():
                self._fail(voice, error)

    def _fail(self, voice: Voice, error: Exception) -> None:
        voice.state = PlaybackState.STOPPED
        voice.shared.state = PlaybackState.STOPPED
        self._events.push(Event("error", voice.key, {"message": f"{type(error).__name__}: {error}"}))
        if voice not in self._done:
            self._done.append(voice)

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
                self._fail(voice, error)
            if batch is not None and batch.full:
                self._flush(ctx, mix)
        if batch is not None:
            self._flush(ctx, mix)
        if done:
            for voice in done:
                self._slots.remove(voice.key)
                voice.shared.state = PlaybackState.STOPPED
                self._events.push(Event("sound_finished", voice.key))
                self._collector.push(voice.key, voice)
            done.clear()
