"""The caller's handle on a clock."""

from __future__ import annotations

import math

import numpy as np

from ..arena import Key
from ..channel import CommandChannel
from ..errors import InvalidValue
from ..spec import TICKS_PER_SECOND
from ..things import Remove
from ..tween import Tween, check_tween
from ..value import Value, check_value
from .commands import SetClockSpeed, SetClockTicking
from .time import ClockSpeed, ClockTime


class ClockHandle:
    """Starts, pauses, stops and re-times one clock; reads its time from shared memory."""

    def __init__(self, key: Key, shared: np.ndarray, channel: CommandChannel) -> None:
        self.key = key
        self._shared = shared
        self._channel = channel

    def _record(self) -> np.void | None:
        record = self._shared[self.key.index]
        if int(record["generation"]) != self.key.generation or int(record["removed"]) == self.key.generation:
            return None
        return record

    @property
    def ticking(self) -> bool:
        record = self._record()
        return record is not None and bool(record["ticking"])

    @property
    def speed(self) -> ClockSpeed:
        """The current speed (as last rendered)."""
        record = self._record()
        return ClockSpeed(float(record["speed"]) if record is not None else 0.0)

    def time(self) -> ClockTime:
        """Now, on this clock: whole ticks and the fraction of the next."""
        record = self._record()
        value = float(record["time"]) if record is not None else 0.0
        whole = math.floor(value)
        return ClockTime(self.key, int(whole), value - whole)

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
        value: float | Value
        if isinstance(speed, ClockSpeed):
            value = speed.check().ticks_per_second_value
        elif isinstance(speed, Value):
            value = check_value("speed", speed, TICKS_PER_SECOND.low, TICKS_PER_SECOND.high)
        else:
            raise InvalidValue("speed", "must be a ClockSpeed or a Value")
        self._channel.send(SetClockSpeed(self.key, value, check_tween(tween)))

    def remove(self) -> None:
        """Take the clock away; sounds and tweens waiting for one of its times stop, and say why."""
        self._channel.send(Remove(self.key))
