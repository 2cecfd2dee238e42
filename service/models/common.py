"""Shapes shared by several kinds of Thing: tweens, start times, parameter values, regions.

Every number is finite (NaN and infinities are refused with the field named)
and every field says its unit. A parameter's range, unit and description come
from `engine.spec`, the one table the engine and the panel use too. Numbers
and booleans are strict: `true` is not
a number and `"0.5"` is not one either; each is a 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, model_validator

from mixdeck.engine import spec

LONGEST_SECONDS = 24 * 3600.0


def _integral(value: Any) -> Any:
    # JSON does not tell 4 from 4.0, and JSON Schema counts both as integers.
    return int(value) if isinstance(value, float) and value.is_integer() else value


# Strict scalars: JSON numbers only (an integer is a fine float), JSON booleans only.
Number = Annotated[float, Field(strict=True)]
Whole = Annotated[int, BeforeValidator(_integral), Field(strict=True)]
Flag = Annotated[bool, Field(strict=True)]
# A mapping's output values; the engine takes no more than this.
MAPPED_MAX = 1e9


class Strict(BaseModel):
    """Base of every request body: unknown fields and non-finite numbers are errors."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Reply(BaseModel):
    """Base of every answer."""

    model_config = ConfigDict(allow_inf_nan=True)


Easing = Literal["linear", "in_powi", "out_powi", "in_out_powi", "in_powf", "out_powf", "in_out_powf"]
Seconds = Annotated[float, Field(strict=True, ge=0, le=LONGEST_SECONDS)]


class ClockTime(Strict):
    """A moment on a clock: tick number plus a fraction of the next tick."""

    clock: str = Field(description="Id of the clock ('clock-…').")
    ticks: Whole = Field(ge=0, le=2**31 - 1, description="Tick number on that clock.")
    fraction: Number = Field(0.0, ge=0, lt=1, description="Fraction of a tick after `ticks`, 0 ≤ f < 1.")


class Tween(Strict):
    """How a change is smoothed: over `duration` seconds, shaped by `easing`, starting now or later."""

    duration: Seconds = Field(0.0, description="Length of the change in seconds; 0 = as fast as the engine allows.")
    easing: Easing = Field("linear", description="Shape of the change.")
    power: Number = Field(
        2.0, ge=0.01, le=64, description="Exponent of the pow easings (a whole number 1..64 for the *_powi ones)."
    )
    start_delay: Seconds = Field(0.0, description="Seconds to wait before the change starts.")
    start_clock: ClockTime | None = Field(None, description="Start on this clock time instead of after a delay.")

    @model_validator(mode="after")
    def _check(self) -> Tween:
        if self.easing.endswith("powi") and (self.power != int(self.power) or self.power < 1):
            raise ValueError("power: must be a whole number from 1 to 64 for the *_powi easings")
        if self.start_clock is not None and self.start_delay:
            raise ValueError("start_clock: give start_delay or start_clock, not both")
        return self


class StartTime(Strict):
    """When something starts: after `delay` seconds, or on a clock time; empty = now."""

    delay: Seconds | None = Field(None, description="Seconds from now.")
    clock: str | None = Field(None, description="Id of the clock to start on ('clock-…').")
    ticks: Whole | None = Field(None, ge=0, le=2**31 - 1, description="Tick number on that clock.")
    fraction: Number = Field(0.0, ge=0, lt=1, description="Fraction of a tick after `ticks`.")

    @model_validator(mode="after")
    def _check(self) -> StartTime:
        if self.delay is not None and self.clock is not None:
            raise ValueError("clock: give delay or clock, not both")
        if (self.clock is None) != (self.ticks is None):
            raise ValueError("ticks: clock and ticks go together")
        return self


MappedNumber = Annotated[float, Field(strict=True, ge=-MAPPED_MAX, le=MAPPED_MAX)]


class ModulatedValue(Strict):
    """A parameter that follows a modulator, or the listener distance, through a mapping."""

    modulator: str | None = Field(None, description="Id of the modulator to follow ('mod-…').")
    listener_distance: Flag = Field(
        False,
        description="Follow the distance in metres from the spatial track to its listener instead of a modulator "
        "(an effect's parameter on a spatial track: a low-pass that closes as the emitter goes away).",
    )
    input_range: tuple[Number, Number] | None = Field(
        None,
        description="Values mapped from, [low, high]: by default [-1, 1] from a modulator, [0, 100] metres "
        "from the listener distance.",
    )
    output_range: tuple[MappedNumber, MappedNumber] = Field(
        (0.0, 1.0), description="Parameter values mapped to, [low, high], in the parameter's unit."
    )
    easing: Easing = Field("linear", description="Curve of the mapping.")
    power: Number = Field(2.0, ge=0.01, le=64, description="Exponent of the pow easings (whole for *_powi).")
    clamp_bottom: Flag = Field(
        True, description="Hold the output at the low end of output_range (as Kira, on by default)."
    )
    clamp_top: Flag = Field(
        True, description="Hold the output at the high end of output_range (as Kira, on by default)."
    )

    @model_validator(mode="after")
    def _check(self) -> ModulatedValue:
        if (self.modulator is None) == (not self.listener_distance):
            raise ValueError("modulator: give a modulator or listener_distance: true, one of the two")
        if self.input_range is None:
            self.input_range = (0.0, 100.0) if self.listener_distance else (-1.0, 1.0)
        if self.input_range[0] == self.input_range[1]:
            raise ValueError("input_range: its two ends must differ")
        if self.easing.endswith("powi") and (self.power != int(self.power) or self.power < 1):
            raise ValueError("power: must be a whole number from 1 to 64 for the *_powi easings")
        return self


def ranged(parameter: spec.ParameterSpec, **extra: Any) -> Any:
    """A strict number field with the range, unit and description of an engine parameter (`engine.spec`)."""
    unit = f" ({parameter.unit})" if parameter.unit else ""
    shown = parameter.as_dict()
    return Field(
        strict=True,
        ge=parameter.low,
        le=parameter.high,
        description=f"{parameter.description}{unit} Accepted: {parameter.low:g} to {parameter.high:g}.",
        json_schema_extra={"x-unit": parameter.unit, "x-ui-range": [shown["ui_low"], shown["ui_high"]]},
        **extra,
    )


Volume = Annotated[float, ranged(spec.VOLUME)]
Panning = Annotated[float, ranged(spec.PANNING)]
PlaybackRate = Annotated[float, ranged(spec.PLAYBACK_RATE)]


def _value_kind(raw: Any) -> str:
    return "modulated" if isinstance(raw, (dict, ModulatedValue)) else "number"


# A parameter is a number or a modulated value; the discriminator picks the branch
# from the JSON's shape so an error names only the branch the client meant.
VALUE_TAGS = ("number", "modulated")
VolumeValue = Annotated[
    Annotated[Volume, Tag("number")] | Annotated[ModulatedValue, Tag("modulated")], Discriminator(_value_kind)
]
PanningValue = Annotated[
    Annotated[Panning, Tag("number")] | Annotated[ModulatedValue, Tag("modulated")], Discriminator(_value_kind)
]


class Semitones(Strict):
    """A playback rate in semitones instead of a factor: 12 is an octave up (a factor of 2), -12 one down."""

    semitones: Annotated[
        Annotated[Annotated[float, ranged(spec.SEMITONES)], Tag("number")]
        | Annotated[ModulatedValue, Tag("modulated")],
        Discriminator(_value_kind),
    ] = Field(description="Semitones up (negative: down), or a modulated value whose output_range is in semitones.")


def _rate_kind(raw: Any) -> str:
    # 'rate=semitones' holds '=', so an error's field name leaves the tag out ('playback_rate.semitones').
    if isinstance(raw, Semitones) or (isinstance(raw, dict) and "semitones" in raw):
        return "rate=semitones"
    return _value_kind(raw)


PlaybackRateValue = Annotated[
    Annotated[PlaybackRate, Tag("number")]
    | Annotated[ModulatedValue, Tag("modulated")]
    | Annotated[Semitones, Tag("rate=semitones")],
    Discriminator(_rate_kind),
]


# The error type of a union picked by a field whose value names no member (see errors.validation_problem).
UNION_TAG_ERROR = "union_tag"


def tagged(field: str, members: dict[str, Any], description: str = "") -> Any:
    """A union of models picked by the value of their `field` (`members`: value -> model).

    Each member is tagged 'field=value', which an error's field name leaves
    out ('cutoff', not 'kind=filter.cutoff'); a value that picks no member is
    one error naming `field`.
    """
    options = ", ".join(members)

    def pick(raw: Any) -> str | None:
        value = raw.get(field) if isinstance(raw, dict) else getattr(raw, field, None)
        return f"{field}={value}" if isinstance(value, str) and value in members else None

    union = tuple(Annotated[model, Tag(f"{field}={value}")] for value, model in members.items())
    return Annotated[
        Union[union],  # noqa: UP007 - a union built from a tuple of members
        Discriminator(
            pick,
            custom_error_type=UNION_TAG_ERROR,
            custom_error_message=f"must be one of {options}" if not description else description,
            custom_error_context={"field": field},
        ),
    ]


def parameter_value(parameter: spec.ParameterSpec) -> Any:
    """A value of the engine parameter `parameter`: a number in its range, or a modulated value."""
    return Annotated[
        Annotated[Annotated[float, ranged(parameter)], Tag("number")] | Annotated[ModulatedValue, Tag("modulated")],
        Discriminator(_value_kind),
    ]


class Region(Strict):
    """A span of a sound in seconds; `end` null = to the end."""

    start: Seconds = Field(0.0, description="Start in seconds from the beginning of the sound.")
    end: Seconds | None = Field(None, description="End in seconds; null = the end of the sound.")

    @model_validator(mode="after")
    def _check(self) -> Region:
        if self.end is not None and self.end <= self.start:
            raise ValueError("end: must be after start")
        return self


class Slice(Strict):
    """The part of a sound to play, in seconds."""

    start: Seconds = Field(0.0, description="Start in seconds.")
    end: Seconds = Field(description="End in seconds, after start.")

    @model_validator(mode="after")
    def _check(self) -> Slice:
        if self.end <= self.start:
            raise ValueError("end: must be after start")
        return self


class TweenOnly(Strict):
    """A body carrying only an optional tween (pause, stop)."""

    tween: Tween | None = Field(None, description="Fade applied to the change; none = the engine's short default.")
