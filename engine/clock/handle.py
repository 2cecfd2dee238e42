"""The caller's handle on a clock."""

from __future__ import annotations

from ..arena import Key
from ..channel import CommandChannel
from ..errors import InvalidValue
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .clock import ClockShared
from .commands import RemoveClock, SetClockSpeed, SetClockTicking
from .time import ClockSpeed, ClockTime


class ClockHandle:
    """Starts, pauses, stops and re-times one clock; reads its time."""

    def __init__(self, key: Key, shared: ClockShared, channel: CommandChannel) -> None:
        self.key = key
        self._shared = shared
        self._channel = channel

    @property
    def ticking(self) -> bool:
        return self._shared.ticking

    @property
    def speed(self) -> ClockSpeed:
        """The current speed (as last rendered)."""
        return ClockSpeed(self._shared.speed)

    def time(self) -> ClockTime:
        """Now, on this clock: whole ticks and the fraction of the next."""
        ticks, fraction = self._shared.time
        return ClockTime(self.key, ticks, fraction)

    def start(self) -> None:
        self._channel.send(SetClockTicking(self.key, "start"))

    def pause(self) -> None:
        """Stop ticking and keep the time."""
        self._channel.send(SetClockTicking(self.key, "pause"))

    def stop(self) -> None:
        """Stop ticking and go back to tick 0."""
        self._channel.send(SetClockTicking(self.key, "stop"))

    def set_speed(self, speed: ClockSpeed | Value, tween: Tween | None = None) -> None:
        """A new speed, reached over ``tween``; or a Value mapped to ticks per second."""
        if isinstance(speed, ClockSpeed):
            value = speed.check().ticks_per_second_value
        elif isinstance(speed, Value):
            value = check_value("speed", speed, 0.0, 100_000.0)
        else:
            raise InvalidValue("speed", "must be a ClockSpeed or a Value")
        self._channel.send(SetClockSpeed(self.key, value, check_tween(tween)))

    def remove(self) -> None:
        """Take the clock away; sounds waiting on it start at once."""
        self._channel.send(RemoveClock(self.key))
