"""The caller's handle on one playing static sound."""

from __future__ import annotations

from ..arena import Key
from ..channel import CommandChannel
from ..errors import InvalidValue
from ..tween import Tween, check_tween
from ..validate import finite
from ..value import Value, check_value
from .commands import Pause, Resume, Seek, SetLoopRegion, SetParameter, Stop
from .data import StaticSoundData
from .settings import Region, check_playback_rate
from .state import PlaybackState, SoundShared


UNCHANGED = object()


class StaticSoundHandle:
    """Controls one playback. Every method validates, sends a command and returns at once.

    Once the sound has stopped, its methods still work and do nothing: the
    key is stale and the audio thread ignores it. Dropping the handle does
    not stop the sound.
    """

    def __init__(self, key: Key, shared: SoundShared, channel: CommandChannel, data: StaticSoundData,
                 duration: float) -> None:
        self.key = key
        self.data = data
        self.duration = duration
        self._shared = shared
        self._channel = channel

    @property
    def state(self) -> PlaybackState:
        return self._shared.state

    @property
    def waiting(self) -> bool:
        """True until the sound reaches its start time (its state says PLAYING meanwhile, as in Kira)."""
        return self._shared.waiting

    @property
    def position(self) -> float:
        """Seconds from the start of the sound (or of its slice)."""
        return self._shared.position

    @property
    def volume(self) -> float:
        """Decibels, as last rendered."""
        return self._shared.volume

    @property
    def panning(self) -> float:
        return self._shared.panning

    @property
    def playback_rate(self) -> float:
        return self._shared.playback_rate

    @property
    def loop_region(self) -> tuple[float, float] | None:
        return self._shared.loop_region

    def set_volume(self, volume: float | Value, tween: Tween | None = None) -> None:
        """Decibels (-60 or less is silence), or a Value following a modulator."""
        self._set("volume", check_value("volume", volume, -1000.0, 60.0), tween)

    def set_panning(self, panning: float | Value, tween: Tween | None = None) -> None:
        """-1 is hard left, 0 centre, 1 hard right."""
        self._set("panning", check_value("panning", panning, -1.0, 1.0), tween)

    def set_playback_rate(self, rate: float | Value, tween: Tween | None = None) -> None:
        """A factor: 1 as recorded, 2 an octave up and twice as fast."""
        self._set("playback_rate", check_playback_rate(rate), tween)

    def _set(self, name: str, value: float | Value, tween: Tween | None) -> None:
        self._channel.send(SetParameter(self.key, name, value, check_tween(tween)))

    def set(self, *, volume: float | Value | None = None, panning: float | Value | None = None,
            playback_rate: float | Value | None = None, loop_region: Region | None | object = UNCHANGED,
            tween: Tween | None = None) -> None:
        """Change several things at once, all or nothing.

        Every value is checked before anything is sent, and the commands go
        into the channel together: a bad value or a full queue changes
        nothing. ``None`` (or, for ``loop_region``, leaving it out) keeps the
        current value; ``loop_region=None`` stops looping.
        """
        tween = check_tween(tween)
        commands = []
        if volume is not None:
            commands.append(SetParameter(self.key, "volume", check_value("volume", volume, -1000.0, 60.0), tween))
        if panning is not None:
            commands.append(SetParameter(self.key, "panning", check_value("panning", panning, -1.0, 1.0), tween))
        if playback_rate is not None:
            commands.append(SetParameter(self.key, "playback_rate", check_playback_rate(playback_rate), tween))
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
        """Jump to a position in seconds (clamped to the sound)."""
        position = finite("to", seconds)
        self._channel.send(Seek(self.key, position * self.data.sample_rate, False))

    def seek_by(self, seconds: float) -> None:
        """Jump forwards (or backwards, negative) by seconds of the sound."""
        amount = finite("by", seconds)
        self._channel.send(Seek(self.key, amount * self.data.sample_rate, True))
