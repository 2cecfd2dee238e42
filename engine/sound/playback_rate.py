"""Playback rate as a factor or in semitones, as Kira's ``PlaybackRate``."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InvalidValue
from ..spec import PLAYBACK_RATE, SEMITONES
from ..value import Value, check_value


@dataclass(frozen=True, slots=True)
class PlaybackRate:
    """``PlaybackRate.factor(2.0)`` or ``PlaybackRate.semitones(12)`` (the same speed).

    Either may be a ``Value`` following a modulator; the modulator's mapped
    value is then a factor or a number of semitones. A tween between two
    rates in semitones moves evenly in pitch.
    """

    value: float | Value
    in_semitones: bool = False

    @classmethod
    def factor(cls, value: float | Value) -> "PlaybackRate":
        return cls(value, False)

    @classmethod
    def semitones(cls, value: float | Value) -> "PlaybackRate":
        return cls(value, True)

    @property
    def as_factor(self) -> float:
        """The rate as a factor (a fixed rate only)."""
        if isinstance(self.value, Value):
            raise InvalidValue("playback_rate", "follows a modulator; it has no one factor")
        return 2.0 ** (self.value / 12.0) if self.in_semitones else float(self.value)

    def check(self, field: str = "playback_rate") -> "PlaybackRate":
        spec = SEMITONES if self.in_semitones else PLAYBACK_RATE
        checked = check_value(f"{field}.semitones" if self.in_semitones else field, self.value, spec.low, spec.high)
        return PlaybackRate(checked, self.in_semitones)


def check_playback_rate(value: object, field: str = "playback_rate") -> PlaybackRate:
    """A number (a factor), a Value (a factor) or a PlaybackRate, checked."""
    if isinstance(value, PlaybackRate):
        return value.check(field)
    if isinstance(value, (int, float, Value)) and not isinstance(value, bool):
        return PlaybackRate(value, False).check(field)
    raise InvalidValue(field, "must be a number (a factor), a Value or a PlaybackRate")
