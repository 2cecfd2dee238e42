"""The AudioManager: the caller's side of the engine, a messenger for the Backend."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import numpy as np

from .arena import ArenaController, Key
from .build import BuildContext
from .channel import CommandChannel, Event, EventQueue
from .clock.handle import ClockHandle
from .clock.settings import ClockSettings
from .clock.time import ClockSpeed
from .arena import is_key
from .errors import InvalidValue, ResourceLimitReached, WrongOutput
from .memory import Pool, SharedMemory
from .modulator.handle import LfoHandle, ModulatorHandle, TweenerHandle
from .modulator.settings import LfoBuilder, TweenerBuilder
from .monitor import Monitor
from .output.stats import OutputStats
from .restore import Restorer
from .settings import AudioManagerSettings
from .shared import SharedState
from .sound.data import StaticSoundData
from .sound.handle import StaticSoundHandle
from .sound.settings import StaticSoundSettings, check_track
from .spec import SILENCE_DB
from .things import Add
from .track.commands import SetTrackParameter
from .track.handle import MainTrackHandle, SendTrackHandle, TrackHandle
from .track.settings import MainTrackBuilder, SendTrackBuilder, TrackBuilder
from .tween import Tween, check_tween


class AudioManager:
    """Plays sounds on an output and hands out handles to control them.

    Every method validates its arguments, reserves an id when it creates a
    Thing, sends one command to the audio thread and returns at once; it
    never waits for the audio thread. Errors: ``InvalidValue`` (naming the
    field), ``ResourceLimitReached`` when an arena is full,
    ``CommandQueueFull`` when the audio thread is behind, ``OutOfMemory``
    when shared memory for sound frames runs out.

    On the 'device' and 'null' outputs the audio thread runs in an audio
    process of its own (see ``engine/process``), so nothing the caller's
    process does — a busy web server, a garbage collection — can make a
    block late; if that process dies or stalls, the manager starts another
    and brings the mixer, clocks and modulators back as they were. The
    'offline' output renders in the caller's process, on demand.
    """

    def __init__(self, settings: AudioManagerSettings | None = None) -> None:
        self.settings = (settings or AudioManagerSettings()).check()
        s = self.settings
        kind, self.output_note = _choose_output(s)
        self.output_kind = kind
        in_process = kind == "offline"
        self._state_memory = SharedMemory(SharedState.size_for(s), "state", shareable=not in_process)
        self._pool_memory = SharedMemory(s.shared_memory, "sounds", shareable=not in_process)
        self.shared = SharedState(s, self._state_memory)
        self._pool = Pool(self._pool_memory)
        self._events = EventQueue(s.event_capacity)
        capacities = s.capacities
        self._arenas = {
            "sound": ArenaController("sound", capacities.sounds, self.shared.sounds, "sounds"),
            "clock": ArenaController("clock", capacities.clocks, self.shared.clocks, "clocks"),
            "modulator": ArenaController("modulator", capacities.modulators, self.shared.modulators, "modulators"),
            "track": ArenaController("track", 1 + capacities.sub_tracks, self.shared.tracks, "sub_tracks",
                                     reserved=1, noun="sub track"),
            "send": ArenaController("send", capacities.send_tracks,
                                    self.shared.tracks[1 + capacities.sub_tracks :], "send_tracks", noun="send track"),
            "effect": ArenaController("effect", capacities.effects, self.shared.effects, "effects"),
            "listener": ArenaController("listener", capacities.listeners, self.shared.listeners, "listeners"),
        }
        # Each sub track's sound capacity and the sounds playing on it; which track each sound plays on.
        self._track_sounds: dict[Key, tuple[int, set[Key]]] = {}
        self._sound_track: dict[Key, Key] = {}
        self._collect_lock = threading.Lock()
        self._decoder: Any = None
        self._restorer = Restorer()
        self.monitor = Monitor(self.shared.monitor, self.shared.header, s.sample_rate)
        self._stats = OutputStats(self.shared.header)
        if in_process:
            from .process.local import LocalEngine

            self._engine: Any = LocalEngine(replace(s, output=kind), self.shared, self._pool_memory, self._events)
        else:
            from .process.supervisor import AudioProcess

            self._engine = AudioProcess(replace(s, output=kind), self._state_memory, self._pool_memory,
                                        self.shared, self._events, self._restart_commands, self._voices_lost)
        self._channel = CommandChannel(s.command_capacity, self._engine.transport, self._applied)
        self._channel.on_sent = self._restorer.changed
        self._engine.channel = self._channel
        main_key = self._arenas["track"].reserve()
        self._context = BuildContext(s, self._channel, self.shared, self._pool, main_key)
        self._context.manager = self
        self._closed = False
        try:
            # The Backend makes the main track itself, in the slot reserved for it here.
            spec, self.main_track = MainTrackBuilder().build(main_key, self._context)
            self._restorer.added(main_key, None)
            self._engine.start()
        except BaseException:
            self._engine.close()
            raise

    def _applied(self) -> int:
        return int(self.shared.header[0]["applied"])

    # -- Things -------------------------------------------------------------------------

    def _add(self, kind: str, builder: Any, *args: Any, restore: bool = False) -> Any:
        """Reserve a key of ``kind``, build the pair (spec, handle), send the spec; the one way Things are added."""
        self._collect()
        key = self._arenas[kind].reserve()
        try:
            spec, handle = builder.build(key, *args, self._context)
            self._channel.send(Add(key, spec))
        except BaseException:
            self._context.release(key)
            self._arenas[kind].release(key)
            raise
        if restore:
            self._restorer.added(key, spec)
        return handle

    def play(self, data: Any, settings: StaticSoundSettings | None = None) -> StaticSoundHandle:
        """Start playing ``data``, a StaticSoundData or a StreamingSoundData (with ``settings``, else its own)."""
        from .sound.streaming import StreamingSoundData, StreamingSoundSettings

        if isinstance(data, StreamingSoundData):
            settings = data.settings if settings is None else settings
            if type(settings) is StaticSoundSettings:
                settings = StreamingSoundSettings(**{f: getattr(settings, f) for f in settings.__slots__})
            if not isinstance(settings, StreamingSoundSettings):
                raise InvalidValue("settings", "must be a StreamingSoundSettings")
        elif not isinstance(data, StaticSoundData):
            raise InvalidValue("data", "must be a StaticSoundData or a StreamingSoundData")
        else:
            data.check()
            settings = data.settings if settings is None else settings
            if not isinstance(settings, StaticSoundSettings):
                raise InvalidValue("settings", "must be a StaticSoundSettings")
        track = check_track(settings.track) or self.main_track.key
        with self._collect_lock:
            room = self._track_sounds.get(track)
            if room is not None and len(room[1]) >= room[0]:
                raise ResourceLimitReached("sound", room[0], "sound_capacity", "track",
                                           f"track {track} already plays its {room[0]} sounds (its sound_capacity)")
        handle: StaticSoundHandle = self._add("sound", settings, data)
        with self._collect_lock:
            if room is not None:
                room[1].add(handle.key)
            self._sound_track[handle.key] = track
        return handle

    def add_sub_track(self, builder: TrackBuilder, parent: Any = None) -> TrackHandle:
        """A sub track feeding ``parent`` (a track handle or key; the main track when None)."""
        if not isinstance(builder, TrackBuilder):
            raise InvalidValue("builder", "must be a TrackBuilder")
        parent_key = getattr(parent, "key", parent) if parent is not None else self.main_track.key
        if not is_key(parent_key, "track"):
            raise InvalidValue("parent", "must be a track's handle or key (a send track has no sub tracks)")
        handle: TrackHandle = self._add("track", builder, parent_key, restore=True)
        with self._collect_lock:
            self._track_sounds[handle.key] = (builder.sound_capacity, set())
        return handle

    def add_send_track(self, builder: SendTrackBuilder | None = None) -> SendTrackHandle:
        """A send track that tracks route to (``TrackBuilder(sends={send: -6.0})``); it feeds the main track."""
        builder = SendTrackBuilder() if builder is None else builder
        if not isinstance(builder, SendTrackBuilder):
            raise InvalidValue("builder", "must be a SendTrackBuilder")
        return self._add("send", builder, restore=True)  # type: ignore[no-any-return]

    def stream_decoder(self) -> Any:
        """The thread that keeps streaming sounds decoded ahead (made when the first one plays)."""
        from .sound.commands import EndAt
        from .sound.decoder import Decoder

        with self._collect_lock:
            if self._decoder is None:
                ahead = self.settings.stream_buffer_frames - 4 * self.settings.internal_chunk_size
                self._decoder = Decoder(ahead, self._events,
                                        lambda key, frames: self._channel.send(EndAt(key, frames)))
                if self.output_kind != "offline":
                    self._decoder.start()
            return self._decoder

    def add_listener(self, position: tuple[float, float, float] = (0.0, 0.0, 0.0),
                     orientation: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)) -> Any:
        """A listener at ``position`` (metres) turned by ``orientation`` (a quaternion x, y, z, w; the identity
        looks towards -Z with +X to its right). Returns a ``ListenerHandle``."""
        from .spatial.settings import ListenerSettings

        return self._add("listener", ListenerSettings(position, orientation), restore=True)

    def add_spatial_sub_track(self, listener: Any, position: tuple[float, float, float], builder: Any = None,
                              parent: Any = None) -> Any:
        """A sub track placed at ``position`` (metres) and heard by ``listener`` (see SpatialTrackBuilder).
        Returns a ``SpatialTrackHandle``."""
        from .spatial.settings import SpatialTrackBuilder

        builder = SpatialTrackBuilder() if builder is None else builder
        if not isinstance(builder, SpatialTrackBuilder):
            raise InvalidValue("builder", "must be a SpatialTrackBuilder")
        parent_key = getattr(parent, "key", parent) if parent is not None else self.main_track.key
        if not is_key(parent_key, "track"):
            raise InvalidValue("parent", "must be a track's handle or key")
        handle = self._add("track", builder, parent_key, listener, position, restore=True)
        with self._collect_lock:
            self._track_sounds[handle.key] = (builder.sound_capacity, set())
        return handle

    def add_effect(self, track: Any, builder: Any, index: int | None = None, bypassed: bool = False) -> Any:
        """Put an effect (``FilterBuilder(...)`` and the rest) on ``track`` (a handle or key), at ``index``
        in its chain (None: last); it glides in over 10 ms. Returns an ``EffectHandle``."""
        from .effect.settings import EffectSettings

        key = getattr(track, "key", track)
        if not (is_key(key, "track") or is_key(key, "send")):
            raise InvalidValue("track", "must be a track's handle or key")
        return self._add("effect", EffectSettings(builder, index, bypassed), key, restore=True)

    def add_clock(self, speed: ClockSpeed | ClockSettings, start: bool = False) -> ClockHandle:
        """Add a clock at tick 0, ticking at once if ``start``, else when its handle's ``start()`` is called."""
        settings = speed if isinstance(speed, ClockSettings) else ClockSettings(speed, start)
        return self._add("clock", settings, restore=True)  # type: ignore[no-any-return]

    def add_modulator(self, builder: TweenerBuilder | LfoBuilder) -> ModulatorHandle:
        """Add a tweener or an LFO; parameters follow it through ``Value.modulator``."""
        if not isinstance(builder, (TweenerBuilder, LfoBuilder)):
            raise InvalidValue("builder", "must be a TweenerBuilder or an LfoBuilder")
        handle: TweenerHandle | LfoHandle = self._add("modulator", builder, restore=True)
        return handle

    # -- what comes back -----------------------------------------------------------------

    def pop_events(self) -> list[Event]:
        """Events since the last call (sounds finished, clock ticks, errors), oldest first."""
        self._engine.poll()
        self._collect()
        return self._events.pop_all()

    @property
    def events_dropped(self) -> int:
        return self._events.dropped + int(self.shared.header[0]["events_dropped"])

    @property
    def output_info(self) -> dict:
        return self._engine.describe()  # type: ignore[no-any-return]

    @property
    def stats(self) -> OutputStats:
        return self._stats

    @property
    def command_queue_depth(self) -> int:
        return len(self._channel)

    @property
    def command_capacity(self) -> int:
        return self._channel.capacity

    @property
    def restarts(self) -> int:
        """How many times the audio process was replaced after it died or stalled."""
        return int(getattr(self._engine, "restarts", 0))

    def counts(self) -> dict:
        """Things alive and slots in use, as the caller's side knows them."""
        self._collect()
        return {
            "voices": self._arenas["sound"].used,
            "clocks": self._arenas["clock"].used,
            "modulators": self._arenas["modulator"].used,
            "tracks": self._arenas["track"].used,
            "send_tracks": self._arenas["send"].used,
            "slots_used": {kind: arena.used for kind, arena in self._arenas.items()},
        }

    def slots(self) -> dict[str, tuple[int, int]]:
        """Per Capacities field (sounds, clocks, sub_tracks, ...): (slots in use, the capacity).

        A kind at its capacity raises ``ResourceLimitReached`` on the next add;
        a removed Thing's slot counts until the audio thread has given it up.
        """
        self._collect()
        usage = (arena.usage() for arena in self._arenas.values())
        return {setting: (used, limit) for setting, used, limit in usage}

    # -- offline rendering and shutdown ---------------------------------------------------

    def render(self, frames: int) -> np.ndarray:
        """Render the next ``frames`` frames (offline output only): float32, shape (frames, 2)."""
        if self.output_kind != "offline":
            raise WrongOutput("render() needs output='offline'")
        if isinstance(frames, bool) or not isinstance(frames, int) or frames < 0:
            raise InvalidValue("frames", "must be a whole number, 0 or more")
        decoder = self._decoder

        def decode() -> None:
            # Offline, the decoder catches up before every block: what renders is what real time would hear
            # with a decoder that keeps up.
            if decoder is not None:
                while decoder.fill_all():
                    pass

        out = self._engine.render(frames, decode if decoder is not None else None)
        self._collect()
        return out  # type: ignore[no-any-return]

    def close(self, fade: Tween | None = None) -> None:
        """Fade the whole mix out over ``fade`` (real-time outputs), then close the output."""
        if self._closed:
            return
        self._closed = True
        if fade is not None and self.output_kind != "offline":
            fade = check_tween(fade, "fade")
            try:
                self._channel.send(SetTrackParameter(self.main_track.key, "fade", SILENCE_DB, fade))
                # Wait for the fade plus two blocks so the last block played is silent.
                time.sleep(fade.duration + 2 * self.settings.block_size / self.settings.sample_rate)
            except Exception:  # noqa: BLE001 - closing must not fail on a full queue or a lost process
                pass
        self._engine.close()
        if self._decoder is not None:
            self._decoder.close()

    def __enter__(self) -> "AudioManager":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------

    def _collect(self) -> None:
        """Take back the slots of Things the audio thread is done with, and what they held."""
        with self._collect_lock:
            for arena in self._arenas.values():
                for key in arena.collect():
                    self._context.release(key)
                    self._restorer.removed(key)
                    self._track_sounds.pop(key, None)
                    track = self._sound_track.pop(key, None)
                    if track is not None and track in self._track_sounds:
                        self._track_sounds[track][1].discard(key)

    def _restart_commands(self) -> list[Any]:
        """What a new audio process needs to hold the mixer, clocks and modulators as they were."""
        self._collect()
        return self._restorer.commands(self.shared)

    def _voices_lost(self, reason: str) -> None:
        """The audio process went away with its voices: they ended."""
        for key in self._arenas["sound"].live():
            record = self.shared.sounds[key.index]
            record["state"] = 6
            record["waiting"] = 0
            record["removed"] = key.generation
            self._events.push(Event("sound_finished", key, {"reason": reason}))
        self._collect()



def _choose_output(settings: AudioManagerSettings) -> tuple[str, str]:
    """The output kind to open, and why when 'auto' fell back to null."""
    if settings.output != "auto":
        return settings.output, ""
    from .output.portaudio import device_available

    usable, reason = device_available(settings.device, settings.sample_rate)
    return ("device", "") if usable else ("null", reason)


__all__ = ["AudioManager", "Key"]
