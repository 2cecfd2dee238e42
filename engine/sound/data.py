"""Static sound data: a whole sound decoded into memory, cheap to play many times."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import InvalidValue, UnsupportedAudio
from .settings import StaticSoundSettings

MAX_SAMPLE_RATE = 384_000
DECODE_BLOCK_FRAMES = 65_536


class StaticSoundData:
    """Frames kept as float32 stereo; mono is copied to both sides.

    ``frames`` reads as shape (frames, 2). Underneath, the samples are stored
    channel by channel (``padded``, shape (2, frames + 3)) because numpy works
    fastest along long contiguous rows, which is how voices read them.

    Playing the same data many times shares the frames; nothing is copied.
    ``channels`` is the source's channel count (more than two: the first two
    are kept).
    """

    def __init__(self, padded: np.ndarray, sample_rate: int, channels: int,
                 settings: StaticSoundSettings | None = None, name: str | None = None) -> None:
        # One frame before and two after the sound repeat its edges, so the
        # interpolation's four taps never need bounds checks on the audio thread.
        self.padded = padded
        self.frames = padded[:, 1:-2].T
        self.sample_rate = sample_rate
        self.channels = channels
        self.settings = settings or StaticSoundSettings()
        self.name = name

    @classmethod
    def from_array(cls, frames: Any, sample_rate: int, settings: StaticSoundSettings | None = None,
                   name: str | None = None) -> "StaticSoundData":
        """Wrap samples: shape (n,) for mono or (n, channels); float, -1..1."""
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)) \
                or not 1 <= sample_rate <= MAX_SAMPLE_RATE:
            raise InvalidValue("sample_rate", f"must be a whole number from 1 to {MAX_SAMPLE_RATE}")
        array = np.asarray(frames)
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
            raise InvalidValue("frames", "must be a non-empty array of shape (n,) or (n, channels)")
        if not np.issubdtype(array.dtype, np.number):
            raise InvalidValue("frames", "must hold numbers")
        channels = array.shape[1]
        padded = np.empty((2, array.shape[0] + 3), dtype=np.float32)
        padded[0, 1:-2] = array[:, 0]
        padded[1, 1:-2] = array[:, 1 if channels > 1 else 0]
        if not np.isfinite(padded[:, 1:-2]).all():
            raise InvalidValue("frames", "must be finite numbers")
        padded[:, 0] = padded[:, 1]
        padded[:, -2:] = padded[:, -3:-2]
        return cls(padded, int(sample_rate), channels, settings, name)

    @classmethod
    def from_file(cls, path: str | os.PathLike, settings: StaticSoundSettings | None = None,
                  max_frames: int | None = None) -> "StaticSoundData":
        """Decode a whole file (wav, flac, ogg and whatever libsndfile reads).

        The file is decoded block by block straight into the sound's own
        buffer, keeping the first two channels, so decoding needs no more
        memory than the result (8 bytes a frame). Raises ``UnsupportedAudio``
        for a file that is not audio, is truncated, or is longer than
        ``max_frames``.
        """
        import soundfile

        name = os.path.basename(os.fspath(path))
        try:
            with soundfile.SoundFile(os.fspath(path)) as f:
                frames, channels, sample_rate = f.frames, f.channels, f.samplerate
                if frames <= 0:
                    raise UnsupportedAudio(f"{name} holds no audio frames")
                if max_frames is not None and frames > max_frames:
                    raise UnsupportedAudio(f"{name} is longer than the limit of {max_frames} frames", "file")
                if not 1 <= sample_rate <= MAX_SAMPLE_RATE:
                    raise UnsupportedAudio(f"{name} has a sample rate of {sample_rate} Hz, beyond what is played")
                padded = np.empty((2, frames + 3), dtype=np.float32)
                read = 0
                for block in f.blocks(blocksize=DECODE_BLOCK_FRAMES, dtype="float32", always_2d=True):
                    count = min(block.shape[0], frames - read)
                    padded[0, 1 + read : 1 + read + count] = block[:count, 0]
                    padded[1, 1 + read : 1 + read + count] = block[:count, 1 if channels > 1 else 0]
                    read += count
                    if read == frames:
                        break
                if read < frames:
                    raise UnsupportedAudio(f"{name} is truncated: {read} of {frames} frames")
        except UnsupportedAudio:
            raise
        except (RuntimeError, TypeError, ValueError, OSError) as error:
            raise UnsupportedAudio(f"{name} is not a readable audio file: {error}") from None
        if not np.isfinite(padded[:, 1:-2]).all():
            raise UnsupportedAudio(f"{name} holds samples that are not finite numbers")
        padded[:, 0] = padded[:, 1]
        padded[:, -2:] = padded[:, -3:-2]
        return cls(padded, int(sample_rate), channels, settings, name)

    def check(self) -> "StaticSoundData":
        """Refuse data whose samples the audio thread could not read as it expects."""
        padded = self.padded
        if not isinstance(padded, np.ndarray) or padded.dtype != np.float32 or padded.ndim != 2 \
                or padded.shape[0] != 2 or padded.shape[1] < 4:
            raise InvalidValue("data", "must hold float32 samples of shape (2, frames + 3); "
                                       "build it with from_array or from_file")
        if isinstance(self.sample_rate, bool) or not isinstance(self.sample_rate, (int, np.integer)) \
                or not 1 <= self.sample_rate <= MAX_SAMPLE_RATE:
            raise InvalidValue("sample_rate", f"must be a whole number from 1 to {MAX_SAMPLE_RATE}")
        return self

    @property
    def num_frames(self) -> int:
        return self.padded.shape[1] - 3

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.num_frames / self.sample_rate

    def with_settings(self, settings: StaticSoundSettings) -> "StaticSoundData":
        """The same frames (shared, not copied) with other settings."""
        return StaticSoundData(self.padded, self.sample_rate, self.channels, settings, self.name)

    def with_changes(self, **changes) -> "StaticSoundData":
        return self.with_settings(replace(self.settings, **changes))
