"""Static sound data: a whole sound decoded into memory, cheap to play many times."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import InvalidValue
from .decode import MAX_SAMPLE_RATE, Decoded, decode_array, decode_file
from .settings import StaticSoundSettings

__all__ = ["MAX_SAMPLE_RATE", "SoundFrames", "StaticSoundData"]


class SoundFrames:
    """The frames of one sound, shared by every ``StaticSoundData`` made from it.

    ``padded`` is float32 of shape (frames + 3, 2): frame i is row i + 1, and
    the rows around the sound repeat its edges so interpolation never reads
    past them. The first time a manager plays the sound, the frames move into
    that manager's shared memory (the audio process reads them there) and
    ``padded`` becomes a view of it; nothing is copied after that.
    """

    __slots__ = ("padded", "__weakref__")

    def __init__(self, padded: np.ndarray) -> None:
        self.padded = padded


class StaticSoundData:
    """A decoded sound and the settings it plays with by default.

    ``frames`` reads as shape (frames, 2); mono is copied to both sides and
    beyond two channels the first two are kept (``channels`` is the source's
    count). Playing the same data many times shares the frames, and
    ``with_settings`` shares them too.
    """

    def __init__(self, storage: SoundFrames, sample_rate: int, channels: int,
                 settings: StaticSoundSettings | None = None, name: str | None = None, trimmed: bool = False) -> None:
        self.storage = storage
        self.sample_rate = sample_rate
        self.channels = channels
        self.settings = settings or StaticSoundSettings()
        self.name = name
        self.trimmed = trimmed

    @classmethod
    def _from_decoded(cls, decoded: Decoded, settings: StaticSoundSettings | None, name: str | None) -> "StaticSoundData":
        return cls(SoundFrames(decoded.padded), decoded.sample_rate, decoded.channels, settings, name, decoded.trimmed)

    @classmethod
    def from_array(cls, frames: Any, sample_rate: int, settings: StaticSoundSettings | None = None,
                   name: str | None = None) -> "StaticSoundData":
        """Wrap samples: shape (n,) for mono or (n, channels); finite floats, -1..1 is full scale."""
        return cls._from_decoded(decode_array(frames, sample_rate), settings, name)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], settings: StaticSoundSettings | None = None,
                  max_frames: int | None = None) -> "StaticSoundData":
        """Decode a whole file (wav, flac, ogg, mp3 and whatever libsndfile reads).

        Only frames that actually decoded are kept; a file cut short is
        refused or trimmed depending on what its format can tell (see
        ``engine/sound/decode.py``: WAV and FLAC are refused, MP3 trimmed to
        the whole frames before the cut, Ogg plays the pages it holds).
        Raises ``UnsupportedAudio`` for a file that is not audio, is
        truncated, or is longer than ``max_frames``.
        """
        return cls._from_decoded(decode_file(path, max_frames), settings, os.path.basename(os.fspath(path)))

    @property
    def padded(self) -> np.ndarray:
        return self.storage.padded

    @property
    def frames(self) -> np.ndarray:
        return self.storage.padded[1:-2]

    def check(self) -> "StaticSoundData":
        """Refuse data whose samples the audio thread could not read as it expects."""
        padded = self.storage.padded if isinstance(self.storage, SoundFrames) else None
        if not isinstance(padded, np.ndarray) or padded.dtype != np.float32 or padded.ndim != 2 \
                or padded.shape[1] != 2 or padded.shape[0] < 4 or not padded.flags.c_contiguous:
            raise InvalidValue("data", "must hold float32 samples of shape (frames + 3, 2); "
                                       "build it with from_array or from_file")
        if isinstance(self.sample_rate, bool) or not isinstance(self.sample_rate, (int, np.integer)) \
                or not 1 <= self.sample_rate <= MAX_SAMPLE_RATE:
            raise InvalidValue("sample_rate", f"must be a whole number from 1 to {MAX_SAMPLE_RATE}")
        return self

    @property
    def num_frames(self) -> int:
        return int(self.storage.padded.shape[0]) - 3

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.num_frames / self.sample_rate

    @property
    def nbytes(self) -> int:
        """Memory the frames take, in bytes (8 a frame)."""
        return int(self.storage.padded.nbytes)

    def with_settings(self, settings: StaticSoundSettings) -> "StaticSoundData":
        """The same frames (shared, not copied) with other settings."""
        return StaticSoundData(self.storage, self.sample_rate, self.channels, settings, self.name, self.trimmed)

    def with_changes(self, **changes: Any) -> "StaticSoundData":
        return self.with_settings(replace(self.settings, **changes))
