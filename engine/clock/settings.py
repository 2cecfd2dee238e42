"""What a caller fills in to add a clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..arena import Key
from ..errors import InvalidValue
from ..value import Value
from .time import ClockSpeed

if TYPE_CHECKING:
    from ..build import BuildContext
    from ..shared import SharedState
    from .handle import ClockHandle


@dataclass(frozen=True, slots=True)
class ClockSpec:
    """What the audio thread builds a clock from: its speed (ticks per second), state and time (ticks)."""

    speed: float | Value
    ticking: bool
    time: float

    def restored(self, key: Key, shared: "SharedState") -> "ClockSpec":
        """This clock as it stands now (its time, speed and whether it ticks), for a new audio process."""
        record = shared.clocks[key.index]
        speed = self.speed if isinstance(self.speed, Value) else float(record["speed"])
        return ClockSpec(speed, bool(record["ticking"]), float(record["time"]))


@dataclass(frozen=True, slots=True)
class ClockSettings:
    """A clock at tick 0 ticking at ``speed``; ``start`` starts it at once (else its handle's ``start()``)."""

    speed: ClockSpeed
    start: bool = False

    def check(self) -> "ClockSettings":
        if not isinstance(self.speed, ClockSpeed):
            raise InvalidValue("speed", "must be a ClockSpeed")
        self.speed.check()
        if not isinstance(self.start, bool):
            raise InvalidValue("start", "must be true or false")
        return self

    def build(self, key: Key, context: "BuildContext") -> tuple[ClockSpec, "ClockHandle"]:
        from .handle import ClockHandle

        self.check()
        tps = self.speed.ticks_per_second_value
        record = context.shared.clocks[key.index]
        record["ticking"] = 1 if self.start else 0
        record["time"] = 0.0
        record["speed"] = tps
        return ClockSpec(tps, self.start, 0.0), ClockHandle(key, context.shared.clocks, context.channel)
