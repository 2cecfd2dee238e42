"""The caller's handle on one playing static sound."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arena import Key
from ..channel import CommandChannel
from ..errors import InvalidValue
from ..spec import PANNING, VOLUME
from ..tween import Tween, check_tween
from ..validate import finite
from ..value import Value, check_value
from .commands import Pause, Resume, Seek, SetLoopRegion, SetParameter, Stop
from .data import StaticSoundData
from .playback_rate import PlaybackRate, check_playback_rate
from .settings import Region
from .state import PlaybackState

UNCHANGED: Any = object()
_STATES = list(PlaybackState)


class StaticSoundHandle:
    """Controls one playback. Every method validates, sends a command and returns at once.

    Reads (``state``, ``position``, ...) come from shared memory the audio
    thread writes each chunk, without a lock or a round trip. Once the sound
    has stopped, its methods still work and do nothing: the key is stale and
    the audio thread ignores it. Dropping the handle does not stop the sound.
    """

    def __init__(self, key: Key, shared: np.ndarray, channel: CommandChannel, data: StaticSoundData,
                 duration: float) -> None:
        self.key = key
        self.data = data
        self.duration = duration
        self._shared = shared
        self._channel = channel

    def _record(self) -> np.void | None:
        record = self._shared[self.key.index]
        return record if int(record["generation"]) == self.key.generation else None

    @property
    def state(self) -> PlaybackState:
        record = self._record()
        if record is None or int(record["removed"]) == self.key.generation:
            return PlaybackState.STOPPED
        return _STATES[int(record["state"])]

    @property
    def waiting(self) -> bool:
        """True until the sound reaches its start time (its state says PLAYING meanwhile, as in Kira)."""
        record = self._record()
        return record is not None and self.state is not PlaybackState.STOPPED and bool(record["waiting"])

    def _read(self, field: str, default: float) -> float:
        record = self._record()
        return default if record is None else float(record[field])

    @property
    def position(self) -> float:
        """Seconds from the start of the sound (or of its slice)."""
        return self._read("position", 0.0)

    @property
    def volume(self) -> float:
        """Decibels, as last rendered."""
        return self._read("volume", VOLUME.default)

    @property
    def panning(self) -> float:
        return self._read("panning", PANNING.default)

    @property
    def playback_rate(self) -> float:
        """As a factor, as last rendered."""
        return self._read("playback_rate", 1.0)

    @property
    def loop_region(self) -> tuple[float, float] | None:
        start, end = self._read("loop_start", np.nan), self._read("loop_end", np.nan)
        return None if np.isnan(start) else (start, end)

    def set_volume(self, volume: float | Value, tween: Tween | None = None) -> None:
        """Decibels (-60 or less is silence), or a Value following a modulator."""
        self._channel.send(self._volume(volume, check_tween(tween)))

    def set_panning(self, panning: float | Value, tween: Tween | None = None) -> None:
        """-1 is hard left, 0 centre, 1 hard right."""
        self._channel.send(self._panning(panning, check_tween(tween)))

    def set_playback_rate(self, rate: float | Value | PlaybackRate, tween: Tween | None = None) -> None:
        """A factor (1 as recorded, 2 an octave up and twice as fast), or a PlaybackRate in semitones."""
        self._channel.send(self._rate(rate, check_tween(tween)))

    def _volume(self, volume: float | Value, tween: Tween) -> SetParameter:
        return SetParameter(self.key, "volume", check_value("volume", volume, VOLUME.low, VOLUME.high), tween)

    def _panning(self, panning: float | Value, tween: Tween) -> SetParameter:
        return SetParameter(self.key, "panning", check_value("panning", panning, PANNING.low, PANNING.high), tween)

    def _rate(self, rate: float | Value | PlaybackRate, tween: Tween) -> SetParameter:
        checked = check_playback_rate(rate)
        return SetParameter(self.key, "playback_rate", checked.value, tween, checked.in_semitones)

    def set(self, *, volume: float | Value | None = None, panning: float | Value | None = None,
            playback_rate: float | Value | PlaybackRate | None = None,
            loop_region: Region | None | Any = UNCHANGED, tween: Tween | None = None) -> None:
        """Change several things at once, all or nothing.

        Every value is checked before anything is sent, and the commands go
        into the channel together: a bad value or a full queue changes
        nothing. ``None`` (or, for ``loop_region``, leaving it out) keeps the
        current value; ``loop_region=None`` stops looping.
        """
        checked = check_tween(tween)
        commands: list[Any] = []
        if volume is not None:
            commands.append(self._volume(volume, checked))
        if panning is not None:
            commands.append(self._panning(panning, checked))
        if playback_rate is not None:
            commands.append(self._rate(playback_rate, checked))
        if loop_region is not UNCHANGED:
            commands.append(self._loop_command(loop_region))
        self._channel.send_all(commands)

    def set_loop_region(self, region: Region | None) -> None:
        """Loop between ``region.start`` and ``region.end`` seconds; None plays to the end."""
        self._channel.send(self._loop_command(region))

    def _loop_command(self, region: Region | None) -> SetLoopRegion:
        if region is None:
            return SetLoopRegion(self.key, None, None)
        if not isinstance(region, Region):
            raise InvalidValue("loop_region", "must be a Region or None")
        frames = region.frames("loop_region", self.duration, self.data.sample_rate)
        seconds = (frames[0] / self.data.sample_rate, frames[1] / self.data.sample_rate)
        return SetLoopRegion(self.key, frames, seconds)

    def pause(self, tween: Tween | None = None) -> None:
        """Fade out over ``tween`` and hold the position."""
        self._channel.send(Pause(self.key, check_tween(tween)))

    def resume(self, tween: Tween | None = None) -> None:
        """Fade back in; ``tween.start_time`` may delay the resume or put it on a clock."""
        self._channel.send(Resume(self.key, check_tween(tween)))

    def stop(self, tween: Tween | None = None) -> None:
        """Fade out over ``tween``, then stop for good."""
        self._channel.send(Stop(self.key, check_tween(tween)))

    def seek_to(self, seconds: float) -> None:
        """Jump to a position in seconds (clamped to the sound; past a loop's end, wrapped into it)."""
        position = finite("to", seconds)
        self._channel.send(Seek(self.key, position * self.data.sample_rate, False))

    def seek_by(self, seconds: float) -> None:
        """Jump forwards (or backwards, negative) by seconds of the sound; inside a loop, it wraps."""
        amount = finite("by", seconds)
        self._channel.send(Seek(self.key, amount * self.data.sample_rate, True))
