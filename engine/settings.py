"""Settings for an AudioManager, as Kira's ``AudioManagerSettings``."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import validate
from .errors import InvalidValue

OUTPUTS = ("auto", "device", "null", "offline")


@dataclass(frozen=True, slots=True)
class Capacities:
    """How many of each Thing can exist at once; the arenas are this big."""

    sounds: int = 256
    sub_tracks: int = 128
    send_tracks: int = 16
    clocks: int = 16
    modulators: int = 32
    effects: int = 256
    listeners: int = 8

    def check(self) -> "Capacities":
        validate.whole("capacities.sounds", self.sounds, 1, 65_536)
        validate.whole("capacities.sub_tracks", self.sub_tracks, 0, 4096)
        validate.whole("capacities.send_tracks", self.send_tracks, 0, 256)
        validate.whole("capacities.clocks", self.clocks, 1, 4096)
        validate.whole("capacities.modulators", self.modulators, 1, 4096)
        validate.whole("capacities.effects", self.effects, 0, 65_536)
        validate.whole("capacities.listeners", self.listeners, 0, 1024)
        return self


@dataclass(frozen=True, slots=True)
class AudioManagerSettings:
    """``sample_rate`` in Hz; ``block_size`` frames per output callback;
    ``internal_chunk_size`` the most frames rendered in one pass (scratch
    buffers are this long); ``output`` is 'device', 'null' (paced in real
    time, no sound), 'offline' (rendered on demand with ``render``) or
    'auto' (the device when PortAudio finds one, else null; the manager's
    ``output_note`` says why);
    ``device`` a sounddevice name or index; ``command_capacity`` how many
    commands may wait for the audio thread; ``event_capacity`` how many
    events are kept for ``pop_events``; ``monitor_seconds`` how much of the
    mix the monitor tap keeps; ``shared_memory`` the bytes of shared memory
    sound frames and effect state may take (pages are used only as they are
    filled); ``realtime_priority`` the SCHED_FIFO priority the audio
    thread asks for (1..99; 0 asks for none); ``restart_audio_process``
    whether a dead or stalled audio process is replaced;
    ``stream_buffer_frames`` the frames each playing streaming sound keeps
    decoded ahead (2.7 s at 48 kHz by default, 1 MiB of memory).
    """

    sample_rate: int = 48_000
    block_size: int = 512
    internal_chunk_size: int = 512
    output: str = "auto"
    device: str | int | None = None
    capacities: Capacities = field(default_factory=Capacities)
    command_capacity: int = 1024
    event_capacity: int = 4096
    monitor_seconds: float = 2.0
    shared_memory: int = 4 << 30
    realtime_priority: int = 70
    restart_audio_process: bool = True
    stream_buffer_frames: int = 1 << 17

    def check(self) -> "AudioManagerSettings":
        validate.whole("sample_rate", self.sample_rate, 8_000, 384_000)
        validate.whole("block_size", self.block_size, 16, 16_384)
        validate.whole("internal_chunk_size", self.internal_chunk_size, 16, 16_384)
        if self.output not in OUTPUTS:
            raise InvalidValue("output", f"must be one of {', '.join(OUTPUTS)}")
        if self.device is not None and not isinstance(self.device, (str, int)):
            raise InvalidValue("device", "must be a device name or index")
        if not isinstance(self.capacities, Capacities):
            raise InvalidValue("capacities", "must be a Capacities")
        self.capacities.check()
        validate.whole("command_capacity", self.command_capacity, 1, 1_000_000)
        validate.whole("event_capacity", self.event_capacity, 1, 1_000_000)
        validate.in_range("monitor_seconds", self.monitor_seconds, 0.1, 60.0)
        validate.whole("shared_memory", self.shared_memory, 1 << 20, 1 << 46)
        validate.whole("realtime_priority", self.realtime_priority, 0, 99)
        if not isinstance(self.restart_audio_process, bool):
            raise InvalidValue("restart_audio_process", "must be true or false")
        validate.whole("stream_buffer_frames", self.stream_buffer_frames, 8192, 1 << 24)
        return self
