"""What a caller fills in to add a delay, as Kira's ``DelayBuilder``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ... import spec
from ...errors import InvalidValue
from ...value import Value, check_value
from ..params import check_params, check_seconds, mix_spec

DELAY_TIME = spec.ParameterSpec(
    "delay_time", "s", 0.001, 60.0, 0.5,
    "Time in seconds from the sound to its first echo (at most the delay's max_delay_time).",
    ui_high=2.0, scale="log", step=0.001,
)
FEEDBACK = spec.ParameterSpec(
    "feedback", "dB", -100.0, 0.0, -6.0,
    "Level of each echo relative to the one before, in decibels; -60 or less: a single echo.",
    ui_low=-60.0, step=0.5,
)
MIX = mix_spec(0.5)
SPECS = spec.register("delay", DELAY_TIME, FEEDBACK, MIX)

MAX_BUFFER_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class DelayBuilder:
    """Echoes, as Kira's delay: a delay line whose output is fed back into it.

    ``delay_time`` in seconds (0.001..``max_delay_time``) is the time to the
    first echo; moving it bends the pitch, as a tape delay does (the line is
    read with 4-point Hermite interpolation; at a whole number of frames it
    is read exactly). ``feedback`` in dB (-100..0) is each echo's level
    relative to the one before; -60 dB or less gives one echo only.
    ``feedback_effects`` are effect builders (any kind but a delay) that
    process each echo, in order, before it is heard and fed back (a filter
    there darkens each repeat); a loop whose effects add gain is held below
    +36 dBFS so it stays finite. ``mix`` 0 dry .. 1 wet (equal-power).
    ``max_delay_time`` (seconds, 0.001..60, fixed when built) sizes the line:
    two channels of float32 per frame, 3.8 MB at the default 10 s at 48 kHz.
    delay_time, feedback and mix are tweenable and may follow a modulator
    (a ``Value``).
    """

    KIND: ClassVar[str] = "delay"
    SPECS: ClassVar[tuple[spec.ParameterSpec, ...]] = SPECS

    delay_time: float | Value = DELAY_TIME.default
    feedback: float | Value = FEEDBACK.default
    feedback_effects: tuple[Any, ...] = ()
    mix: float | Value = MIX.default
    max_delay_time: float = 10.0

    def __post_init__(self) -> None:
        if isinstance(self.feedback_effects, list):
            object.__setattr__(self, "feedback_effects", tuple(self.feedback_effects))

    def check(self) -> DelayBuilder:
        """Raise ``InvalidValue`` naming the first field out of range; returns self.

        A feedback effect's own error is named ``feedback_effects[i].field``.
        """
        check_seconds("max_delay_time", self.max_delay_time, DELAY_TIME.low, MAX_BUFFER_SECONDS)
        check_params(self, SPECS)
        check_value("delay_time", self.delay_time, DELAY_TIME.low, float(self.max_delay_time))
        if not isinstance(self.feedback_effects, tuple):
            raise InvalidValue("feedback_effects", "must be a list of effect builders")
        for i, effect in enumerate(self.feedback_effects):
            field = f"feedback_effects[{i}]"
            if isinstance(effect, DelayBuilder) or not callable(getattr(effect, "check", None)) \
                    or not isinstance(getattr(type(effect), "KIND", None), str):
                raise InvalidValue(field, "must be an effect builder other than a delay")
            try:
                effect.check()
            except InvalidValue as error:
                raise InvalidValue(f"{field}.{error.field}", error.message) from None
        return self
