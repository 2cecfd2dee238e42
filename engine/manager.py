"""The AudioManager: the caller's side of the engine, a messenger for the Backend."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np

from .arena import ArenaController, Key
from .backend import Backend
from .channel import CommandChannel, Collector, Event, EventQueue
from .clock.clock import Clock, ClockShared
from .clock.commands import AddClock
from .clock.handle import ClockHandle
from .clock.time import ClockSpeed
from .errors import InvalidValue, OutputError, WrongOutput
from .modulator.builders import LfoBuilder, TweenerBuilder
from .modulator.commands import AddModulator
from .modulator.handle import LfoHandle, ModulatorHandle, TweenerHandle
from .modulator.modulator import Lfo, ModulatorShared, Tweener
from .output.base import OutputStats
from .parameter import SILENCE_DB
from .settings import AudioManagerSettings
from .sound.commands import PlaySound
from .sound.data import StaticSoundData
from .sound.handle import StaticSoundHandle
from .sound.settings import StaticSoundSettings
from .sound.state import SoundShared
from .sound.voice import Voice
from .track.commands import FadeMain
from .track.main import MainTrackHandle
from .tween import Tween, check_tween


class AudioManager:
    """Plays sounds on an output and hands out handles to control them.

    Every method validates its arguments, reserves an id when it creates a
    Thing, sends one command to the audio thread and returns at once; it
    never waits for the audio thread. Errors: ``InvalidValue`` (naming the
    field), ``ResourceLimitReached`` when an arena is full,
    ``CommandQueueFull`` when the audio thread is behind.
    """

    def __init__(self, settings: AudioManagerSettings | None = None) -> None:
        self.settings = (settings or AudioManagerSettings()).check()
        s = self.settings
        self._channel = CommandChannel(s.command_capacity)
        self._events = EventQueue(s.event_capacity)
        self._collector = Collector()
        self._arenas = {
            "sound": ArenaController("sound", s.capacities.sounds),
            "clock": ArenaController("clock", s.capacities.clocks),
            "modulator": ArenaController("modulator", s.capacities.modulators),
        }
        self._backend = Backend(s, self._channel, self._events, self._collector)
        self._collect_lock = threading.Lock()
        self.main_track = MainTrackHandle(self._backend.main_track.shared, self._channel)
        self.monitor = self._backend.monitor
        kind, self.output_note = _choose_output(s)
        self._output = _open_output(replace(s, output=kind), self._backend)
        self._closed = False
        self._output.start()

    # -- Things -------------------------------------------------------------------------

    def play(self, data: StaticSoundData, settings: StaticSoundSettings | None = None) -> StaticSoundHandle:
        """Start playing ``data`` (with ``settings``, else the data's own settings)."""
        if not isinstance(data, StaticSoundData):
            raise InvalidValue("data", "must be a StaticSoundData")
        data.check()
        settings = data.settings if settings is None else settings
        if not isinstance(settings, StaticSoundSettings):
            raise InvalidValue("settings", "must be a StaticSoundSettings")
        checked = settings.check(data)
        first, last = checked.slice_frames
        duration = (last - first) / data.sample_rate
        loop = None if checked.loop_frames is None else tuple(f / data.sample_rate for f in checked.loop_frames)
        shared = SoundShared(_number(checked.volume, 0.0), _number(checked.panning, 0.0),
                             _number(checked.playback_rate, 1.0), loop)
        shared.position = (duration - checked.start_frame / data.sample_rate) if checked.reverse \
            else checked.start_frame / data.sample_rate
        key = self._reserve("sound")
        voice = Voice(key, data.padded, data.sample_rate, self.settings.sample_rate, checked, shared,
                      self.settings.internal_chunk_size)
        self._send(key, PlaySound(key, voice))
        return StaticSoundHandle(key, shared, self._channel, data, duration)

    def add_clock(self, speed: ClockSpeed, start: bool = False) -> ClockHandle:
        """Add a clock at tick 0, ticking at once if ``start``, else when its handle's ``start()`` is called."""
        if not isinstance(speed, ClockSpeed):
            raise InvalidValue("speed", "must be a ClockSpeed")
        tps = speed.check().ticks_per_second_value
        shared = ClockShared(tps)
        key = self._reserve("clock")
        clock = Clock(key, tps, shared, self.settings.internal_chunk_size)
        if start:
            clock.start()
            shared.ticking = True
        self._send(key, AddClock(key, clock))
        return ClockHandle(key, shared, self._channel)

    def add_modulator(self, builder: TweenerBuilder | LfoBuilder) -> ModulatorHandle:
        """Add a tweener or an LFO; parameters follow it through ``Value.modulator``."""
        chunk = self.settings.internal_chunk_size
        if isinstance(builder, TweenerBuilder):
            builder.check()
            shared = ModulatorShared(builder.initial_value)
            key = self._reserve("modulator")
            self._send(key, AddModulator(key, Tweener(key, builder, shared, chunk)))
            return TweenerHandle(key, shared, self._channel)
        if isinstance(builder, LfoBuilder):
            builder.check()
            shared = ModulatorShared(builder.offset)
            key = self._reserve("modulator")
            self._send(key, AddModulator(key, Lfo(key, builder, shared, chunk)))
            return LfoHandle(key, shared, self._channel)
        raise InvalidValue("builder", "must be a TweenerBuilder or an LfoBuilder")

    # -- what comes back -----------------------------------------------------------------

    def pop_events(self) -> list[Event]:
        """Events since the last call (sounds finished, clock ticks, errors), oldest first."""
        self._collect()
        return self._events.pop_all()

    @property
    def events_dropped(self) -> int:
        return self._events.dropped

    @property
    def output_info(self) -> dict:
        return self._output.describe()

    @property
    def stats(self) -> OutputStats:
        return self._output.stats

    @property
    def command_queue_depth(self) -> int:
        return len(self._channel)

    @property
    def command_capacity(self) -> int:
        return self._channel.capacity

    def counts(self) -> dict:
        """Things alive on the audio thread and slots in use on the caller's side."""
        backend = self._backend
        return {
            "voices": len(backend.sounds),
            "clocks": len(backend.clocks),
            "modulators": len(backend.modulators),
            "slots_used": {kind: arena.used for kind, arena in self._arenas.items()},
        }

    # -- offline rendering and shutdown ---------------------------------------------------

    def render(self, frames: int) -> np.ndarray:
        """Render the next ``frames`` frames (offline output only): float32, shape (frames, 2)."""
        if self._output.kind != "offline":
            raise WrongOutput("render() needs output='offline'")
        if isinstance(frames, bool) or not isinstance(frames, int) or frames < 0:
            raise InvalidValue("frames", "must be a whole number, 0 or more")
        out = self._output.render(frames)
        self._collect()
        return out

    def close(self, fade: Tween | None = None) -> None:
        """Fade the whole mix out over ``fade`` (real-time outputs), then close the output."""
        if self._closed:
            return
        self._closed = True
        if fade is not None and self._output.kind != "offline":
            fade = check_tween(fade, "fade")
            try:
                self._channel.send(FadeMain(SILENCE_DB, fade))
                # Wait for the fade plus two blocks so the last block played is silent.
                time.sleep(fade.duration + 2 * self.settings.block_size / self.settings.sample_rate)
            except Exception:  # noqa: BLE001 - closing must not fail on a full queue
                pass
        self._output.close()

    def __enter__(self) -> "AudioManager":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------

    def _reserve(self, kind: str) -> Key:
        self._collect()
        return self._arenas[kind].reserve()

    def _send(self, key: Key, command) -> None:
        try:
            self._channel.send(command)
        except Exception:
            self._arenas[key.kind].release(key)
            raise

    def _collect(self) -> None:
        """Release the slots of Things the audio thread gave back; they are freed here."""
        with self._collect_lock:
            for key, _thing in self._collector.pop_all():
                self._arenas[key.kind].release(key)


def _number(value, default: float) -> float:
    return value if isinstance(value, float) else default


def _choose_output(settings: AudioManagerSettings) -> tuple[str, str]:
    """The output kind to open, and why when 'auto' fell back to null."""
    if settings.output != "auto":
        return settings.output, ""
    from .output.portaudio import device_available

    usable, reason = device_available(settings.device, settings.sample_rate)
    return ("device", "") if usable else ("null", reason)


def _open_output(settings: AudioManagerSettings, backend: Backend):
    if settings.output == "offline":
        from .output.offline import OfflineOutput

        return OfflineOutput(backend, settings.sample_rate, settings.block_size)
    if settings.output == "null":
        from .output.null import NullOutput

        return NullOutput(backend, settings.sample_rate, settings.block_size)
    try:
        from .output.device import DeviceOutput

        return DeviceOutput(backend, settings.sample_rate, settings.block_size, settings.device)
    except OutputError:
        raise
    except Exception as error:  # noqa: BLE001 - PortAudio's errors become the engine's
        raise OutputError(f"cannot open the audio device {settings.device!r}: {error}") from None
