"""Streaming sounds: decoded from disk while they play, for music and long ambiences, as Kira's.

Memory stays bounded whatever the file's length: each playing streaming
sound holds a ring of ``AudioManagerSettings.stream_buffer_frames`` frames in
shared memory, which the manager's decoder thread keeps filled ahead of it
(see ``decoder.py``). It has the controls of a static sound (state,
position, volume, panning, playback rate, pause, resume, stop, seek, loop
region, start position, start times on a clock) but plays forwards only and
whole (no reverse, no slice), as in Kira.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..arena import Key
from ..errors import InvalidValue, UnsupportedAudio
from ..spec import PANNING, VOLUME
from ..validate import finite
from ..value import Value
from .decode import _LENGTH_UNKNOWN, _RIFF_FORMATS, MAX_SAMPLE_RATE, _check_riff, _reason
from .decoder import Stream
from .handle import StaticSoundHandle
from .settings import CheckedSettings, Region, StaticSoundSettings, VoiceSpec, _number

if TYPE_CHECKING:
    from ..build import BuildContext


class StreamingSoundData:
    """A sound file to stream: its length, rate and channels, read from its header; nothing decoded yet."""

    def __init__(self, path: str, sample_rate: int, channels: int, num_frames: int,
                 settings: "StreamingSoundSettings | None" = None, name: str | None = None) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self.channels = channels
        self.num_frames = num_frames
        self.settings = settings or StreamingSoundSettings()
        self.name = name or os.path.basename(path)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], settings: "StreamingSoundSettings | None" = None,
                  max_frames: int | None = None) -> "StreamingSoundData":
        """Check that ``path`` opens as audio with a known length; raises ``UnsupportedAudio`` if not.

        A WAV cut short is refused here as a static sound's would be; a file
        that fails while it plays stops its voice with an error event.
        """
        import soundfile

        path = os.fspath(path)
        name = os.path.basename(path)
        try:
            with soundfile.SoundFile(path) as sound_file:
                frames, channels, rate = sound_file.frames, sound_file.channels, sound_file.samplerate
                if sound_file.format in _RIFF_FORMATS and os.path.isfile(path):
                    frames = _check_riff(path, name, frames) or frames
        except UnsupportedAudio:
            raise
        except (RuntimeError, TypeError, ValueError, OSError) as error:
            raise UnsupportedAudio(f"{name} is not a readable audio file: {_reason(error, path)}", "file") from None
        if frames <= 0 or frames >= _LENGTH_UNKNOWN:
            raise UnsupportedAudio(f"{name} does not say how long it is; load it as a static sound", "file")
        if not 1 <= rate <= MAX_SAMPLE_RATE:
            raise UnsupportedAudio(f"{name} has a sample rate of {rate} Hz, beyond what is played", "file")
        if max_frames is not None and frames > max_frames:
            raise UnsupportedAudio(f"{name} is longer than the limit of {max_frames} frames", "file")
        return cls(path, int(rate), int(channels), int(frames), settings, name)

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.num_frames / self.sample_rate

    def with_settings(self, settings: "StreamingSoundSettings") -> "StreamingSoundData":
        return StreamingSoundData(self.path, self.sample_rate, self.channels, self.num_frames, settings, self.name)

    def with_changes(self, **changes: Any) -> "StreamingSoundData":
        return self.with_settings(replace(self.settings, **changes))


@dataclass(frozen=True, slots=True)
class StreamingSoundSettings(StaticSoundSettings):
    """As ``StaticSoundSettings``, without ``reverse`` and ``slice`` (a stream plays forwards, whole)."""

    def check(self, data: Any) -> CheckedSettings:  # type: ignore[override]
        if self.reverse:
            raise InvalidValue("reverse", "a streaming sound plays forwards only")
        if self.slice is not None:
            raise InvalidValue("slice", "a streaming sound plays whole; use start_position and a loop region")
        return StaticSoundSettings.check(self, data)

    def build(self, key: Key, data: Any, context: "BuildContext") -> tuple[VoiceSpec, "StreamingSoundHandle"]:  # type: ignore[override]
        import soundfile

        if not isinstance(data, StreamingSoundData):
            raise InvalidValue("data", "must be a StreamingSoundData")
        checked = self.check(data)
        ring = context.settings.stream_buffer_frames
        data_bytes = ring * 2 * 4
        region = context.allocate(key, data_bytes + ring * 8, f"the stream buffer of {data.name}")
        memory = context.memory(region)
        frames = memory[:data_bytes].view(np.float32).reshape(ring, 2)
        tags = memory[data_bytes:].view(np.int64)
        tags.fill(-1)
        try:
            sound_file = soundfile.SoundFile(data.path)
        except (RuntimeError, TypeError, ValueError, OSError) as error:
            raise UnsupportedAudio(f"{data.name} cannot be opened: {_reason(error, data.path)}", "file") from None
        record = context.shared.sounds[key.index]
        start = float(checked.start_frame)
        stream = Stream(key, sound_file, data.name, data.num_frames, frames, tags, record, data.sample_rate, start,
                        checked.loop_frames)
        decoder = context.manager.stream_decoder()
        decoder.add(stream)
        context.on_release(key, lambda: decoder.remove(key))
        rate = checked.playback_rate
        spec = VoiceSpec(
            source=region.offset // 4, length=data.num_frames, sample_rate=data.sample_rate,
            step=data.sample_rate / context.sample_rate, position=start, reverse=False, loop=checked.loop_frames,
            volume=checked.volume, panning=checked.panning, playback_rate=rate.value,
            rate_in_semitones=rate.in_semitones, fade_in=checked.fade_in, start_time=checked.start_time,
            track=checked.track if checked.track is not None else context.main_track,
            ring=stream.ring, tags=(region.offset + data_bytes) // 8, ring_size=ring,
        )
        record["state"] = 0
        record["waiting"] = 0 if checked.start_time.immediate else 1
        record["position"] = start / data.sample_rate
        record["volume"] = _number(checked.volume, VOLUME.default)
        record["panning"] = _number(checked.panning, PANNING.default)
        record["playback_rate"] = rate.as_factor if not isinstance(rate.value, Value) else 1.0
        loop = checked.loop_frames
        record["loop_start"] = np.nan if loop is None else loop[0] / data.sample_rate
        record["loop_end"] = np.nan if loop is None else loop[1] / data.sample_rate
        record["underflows"] = 0
        record["seeks"] = 0
        handle = StreamingSoundHandle(key, context.shared.sounds, context.channel, data, data.duration, stream)
        return spec, handle


class StreamingSoundHandle(StaticSoundHandle):
    """Controls one playback of a streaming sound; as a static sound's handle, plus ``underflows``."""

    def __init__(self, key: Key, shared: np.ndarray, channel: Any, data: Any, duration: float,
                 stream: Stream) -> None:
        super().__init__(key, shared, channel, data, duration)
        self._stream = stream

    @property
    def underflows(self) -> int:
        """Chunks this sound played nothing in because the decoder had not caught up."""
        record = self._record()
        return 0 if record is None else int(record["underflows"])

    def seek_to(self, seconds: float) -> None:
        position = finite("to", seconds) * self.data.sample_rate
        super().seek_to(seconds)
        self._stream.seek(min(max(position, 0.0), float(self.data.num_frames)))

    def seek_by(self, seconds: float) -> None:
        amount = finite("by", seconds) * self.data.sample_rate
        current = self.position * self.data.sample_rate
        super().seek_by(seconds)
        target = current + amount
        loop = self._stream.loop
        if loop is not None and (target >= loop[1] or loop[0] <= current < loop[1] and target < loop[0]):
            target = loop[0] + (target - loop[0]) % (loop[1] - loop[0])
        self._stream.seek(min(max(target, 0.0), float(self.data.num_frames)))

    def _loop_command(self, region: Region | None) -> Any:
        command = super()._loop_command(region)
        # The decoder follows the new loop at once, so the frames after its seam are there in time,
        # and the ring may change its modulus for it (see decoder.ring_for).
        return replace(command, ring=self._stream.set_loop(command.frames))

