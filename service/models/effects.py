"""Effects on tracks: the nine kinds, built from the engine's builders and their parameter specs.

Each kind's models are made from its engine builder (`engine.effect.builders`):
its tweenable parameters with the range, unit and default of their
`ParameterSpec`, its discrete choices (a filter's `mode`) and the settings
fixed when it is added (a delay's `max_delay_time`). Nothing here states a
range the engine does not.

Two engine names change on the way: the effect's kind is `kind`, so an EQ
filter's own `kind` (bell, low_shelf, high_shelf) is its `shape` here, and a
distortion's (hard_clip, soft_clip) its `mode`, as a filter's is.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import Field, create_model

from mixdeck.engine import spec
from mixdeck.engine.effect.builders import BUILDERS, CHOICES
from mixdeck.engine.effect.delay import settings as delay_settings
from mixdeck.engine.effect.limiter import settings as limiter_settings

from .common import Flag, ModulatedValue, Reply, Strict, Tween, Whole, parameter_value, tagged
from .parameters import Parameter

KINDS = tuple(BUILDERS)
KindName = Literal[KINDS]  # type: ignore[valid-type]

# (kind, engine name) -> API name of a choice that would clash with the effect's `kind`.
CHOICE_NAMES = {("eq_filter", "kind"): "shape", ("distortion", "kind"): "mode"}
# Feedback effects a delay may hold; each is one more effect's state in shared memory.
MAX_FEEDBACK_EFFECTS = 8
# Where an effect may be put or moved in its chain: 0 first; past the end is last.
MAX_INDEX = 65_536

TRACK_ID = "Id of the track: 'main' or a sub track's ('track-…')."
SEND_ID = "Id of the send track ('send-…')."
EFFECT_ID = "Id of the effect ('fx-…')."


@dataclasses.dataclass(frozen=True)
class FixedSetting:
    """A setting of an effect that is fixed when the effect is added (not tweenable)."""

    name: str
    unit: str
    low: float
    high: float
    default: float
    description: str


# The engine checks these with its own bounds; they have no ParameterSpec, so they are named here from them.
FIXED: dict[str, tuple[FixedSetting, ...]] = {
    "delay": (
        FixedSetting(
            "max_delay_time",
            "s",
            delay_settings.DELAY_TIME.low,
            delay_settings.MAX_BUFFER_SECONDS,
            10.0,
            "Longest delay_time the delay line holds, in seconds; fixed when added (two channels of 32-bit "
            "floats a frame: 3.8 MB for 10 s at 48 kHz).",
        ),
    ),
    "limiter": (
        FixedSetting(
            "lookahead",
            "s",
            0.0,
            limiter_settings.MAX_LOOKAHEAD,
            0.005,
            "Seconds the limiter sees peaks before they play (and delays the output by); fixed when added.",
        ),
    ),
}


def choice_name(kind: str, engine_name: str) -> str:
    """The API's name for a choice of `kind` ('shape' for an EQ filter's engine 'kind')."""
    return CHOICE_NAMES.get((kind, engine_name), engine_name)


def choices(kind: str) -> dict[str, tuple[str, ...]]:
    """API name -> options, for each choice of `kind`."""
    return {choice_name(kind, name): options for name, options in CHOICES.get(kind, {}).items()}


def choice_default(kind: str, engine_name: str) -> str:
    field = next(f for f in dataclasses.fields(BUILDERS[kind]) if f.name == engine_name)
    return str(field.default)


def summary(kind: str) -> str:
    """The first sentence of the engine builder's description."""
    doc = (BUILDERS[kind].__doc__ or kind).strip().splitlines()[0]
    return doc.replace("``", "`")


def _title(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _setting_field(setting: FixedSetting) -> Any:
    return (
        float,
        Field(
            setting.default,
            strict=True,
            ge=setting.low,
            le=setting.high,
            description=f"{setting.description} ({setting.unit}) Accepted: {setting.low:g} to {setting.high:g}.",
        ),
    )


def _kind_fields(kind: str) -> dict[str, Any]:
    """The fields of a `kind` effect's settings: its kind, parameters, choices and fixed settings."""
    builder = BUILDERS[kind]
    fields: dict[str, Any] = {
        "kind": (Literal[kind], Field(description=f"'{kind}': {summary(kind)}")),
    }
    for parameter in builder.SPECS:
        unit = f" ({parameter.unit})" if parameter.unit else ""
        fields[parameter.name] = (
            parameter_value(parameter),
            Field(parameter.default, description=f"{parameter.description}{unit}, or a modulated value."),
        )
    for engine_name, options in CHOICES.get(kind, {}).items():
        fields[choice_name(kind, engine_name)] = (
            Literal[options],
            Field(choice_default(kind, engine_name), description=f"One of {', '.join(options)}; can change later."),
        )
    for setting in FIXED.get(kind, ()):
        fields[setting.name] = _setting_field(setting)
    return fields


def _settings_model(kind: str) -> Any:
    return create_model(
        f"{_title(kind)}Settings",
        __base__=Strict,
        __doc__=f"A {kind} inside a delay's feedback loop: {summary(kind)}",
        **_kind_fields(kind),
    )


# The effects a delay's feedback loop may hold: every kind but a delay.
FEEDBACK_KINDS = tuple(k for k in KINDS if k != "delay")
FeedbackEffectSettings = tagged(
    "kind",
    {kind: _settings_model(kind) for kind in FEEDBACK_KINDS},
    f"must be one of {', '.join(FEEDBACK_KINDS)} (a delay's feedback holds no delay)",
)


def _add_model(kind: str) -> Any:
    fields = _kind_fields(kind)
    fields["index"] = (
        Whole | None,
        Field(None, ge=0, le=MAX_INDEX, description="Place in the track's chain, 0 first; none or past the end: last."),
    )
    fields["bypassed"] = (Flag, Field(False, description="Add it bypassed: in the chain, passing sound unchanged."))
    if kind == "delay":
        fields["feedback_effects"] = (
            list[FeedbackEffectSettings],  # type: ignore[valid-type]
            Field(
                default_factory=list,
                max_length=MAX_FEEDBACK_EFFECTS,
                description="Effects (any kind but a delay) each echo goes through, in order, before it is heard "
                "and fed back; fixed when added.",
            ),
        )
    return create_model(f"{_title(kind)}Add", __base__=Strict, __doc__=f"A new {kind}: {summary(kind)}", **fields)


ADD_MODELS = {kind: _add_model(kind) for kind in KINDS}


def _request_model(kind: str, track_description: str, suffix: str) -> Any:
    return create_model(
        f"{_title(kind)}Add{suffix}",
        __base__=ADD_MODELS[kind],
        id=(str, Field(description=track_description)),
    )


# The body of POST …/effects; `kind` picks the member.
EffectAdd = tagged("kind", ADD_MODELS)
# The same, with the track's id, for the WebSocket's effects.add and send_effects.add.
EffectAddRequest = tagged("kind", {k: _request_model(k, TRACK_ID, "Request") for k in KINDS})
SendEffectAddRequest = tagged("kind", {k: _request_model(k, SEND_ID, "SendRequest") for k in KINDS})


def _parameter_names() -> dict[str, list[tuple[str, spec.ParameterSpec]]]:
    """Parameter name -> (kind, spec) for every kind that has it."""
    out: dict[str, list[tuple[str, spec.ParameterSpec]]] = {}
    for kind, builder in BUILDERS.items():
        for parameter in builder.SPECS:
            out.setdefault(parameter.name, []).append((kind, parameter))
    return out


PARAMETERS = _parameter_names()


def _patch_parameter(name: str) -> Any:
    """A PATCH field taking `name` of any kind that has it: the widest range in the schema, the kind's at the engine."""
    owners = PARAMETERS[name]
    widest = spec.ParameterSpec(
        name,
        owners[0][1].unit if len({p.unit for _k, p in owners}) == 1 else "",
        min(p.low for _k, p in owners),
        max(p.high for _k, p in owners),
        owners[0][1].default,
        owners[0][1].description,
    )
    ranges = "; ".join(f"{k}: {p.low:g} to {p.high:g}{f' {p.unit}' if p.unit else ''}" for k, p in owners)
    return (
        parameter_value(widest) | None,
        Field(None, description=f"{owners[0][1].description} Accepted by each kind that has it: {ranges}."),
    )


def _patch_choices() -> dict[str, Any]:
    options: dict[str, list[str]] = {}
    owners: dict[str, list[str]] = {}
    for kind in KINDS:
        for name, offered in choices(kind).items():
            options.setdefault(name, []).extend(v for v in offered if v not in options.get(name, []))
            owners.setdefault(name, []).append(kind)
    fields: dict[str, Any] = {}
    for name, values in options.items():
        takes = "; ".join(f"a {kind} takes {', '.join(choices(kind)[name])}" for kind in owners[name])
        fields[name] = (Literal[tuple(values)] | None, Field(None, description=f"A new {name}: {takes}."))
    return fields


def _patch_model() -> Any:
    fields: dict[str, Any] = {name: _patch_parameter(name) for name in PARAMETERS}
    fields.update(_patch_choices())
    fields["bypassed"] = (
        Flag | None,
        Field(None, description="Bypass (true: the sound passes unchanged) or put back in (false); glides over 10 ms."),
    )
    fields["index"] = (
        Whole | None,
        Field(None, ge=0, le=MAX_INDEX, description="Move to this place in the chain, 0 first; past the end: last."),
    )
    fields["tween"] = (Tween | None, Field(None, description="Smooth the parameter changes with this tween."))
    return create_model(
        "EffectPatch",
        __base__=Strict,
        __doc__="Changes to an effect, all or nothing; absent fields stay as they are. Parameters must be the "
        "effect kind's own, each in that kind's range (see GET /api/effect-kinds).",
        **fields,
    )


EffectPatch = _patch_model()
EffectPatchRequest = create_model(
    "EffectPatchRequest",
    __base__=EffectPatch,
    id=(str, Field(description=TRACK_ID)),
    effect=(str, Field(description=EFFECT_ID)),
)
SendEffectPatchRequest = create_model(
    "SendEffectPatchRequest",
    __base__=EffectPatch,
    id=(str, Field(description=SEND_ID)),
    effect=(str, Field(description=EFFECT_ID)),
)
CHOICE_FIELDS = frozenset(name for kind in KINDS for name in choices(kind))


class TrackEffects(Strict):
    """Names a track, whose effects are meant."""

    id: str = Field(description=TRACK_ID)


class SendEffects(Strict):
    """Names a send track, whose effects are meant."""

    id: str = Field(description=SEND_ID)


class EffectRef(Strict):
    """Names one effect on a track."""

    id: str = Field(description=TRACK_ID)
    effect: str = Field(description=EFFECT_ID)


class SendEffectRef(Strict):
    """Names one effect on a send track."""

    id: str = Field(description=SEND_ID)
    effect: str = Field(description=EFFECT_ID)


class FeedbackEffect(Reply):
    """An effect in a delay's feedback loop, as it was added."""

    kind: KindName = Field(description="Its kind.")
    values: dict[str, float | ModulatedValue] = Field(
        description="Its parameters as given: numbers or modulated values."
    )
    choices: dict[str, str] = Field(description="Its choices ('mode' -> 'low_pass').")
    settings: dict[str, float] = Field(description="Its settings fixed when added.")


class Effect(Reply):
    """An effect on a track, as the audio thread last reported it."""

    id: str = Field(description=EFFECT_ID)
    kind: KindName = Field(description="Its kind: " + ", ".join(KINDS) + ".")
    track: str = Field(description="Id of the track it is on: 'main', a sub track's or a send track's.")
    position: int = Field(
        description="Its place in the track's chain, 0 first; -1 until the audio thread has put it in (the next block)."
    )
    bypassed: bool = Field(description="Bypassed: in the chain, passing the sound unchanged.")
    values: dict[str, float] = Field(
        description="Each parameter's current value in its unit (a parameter that follows a modulator: where it is now)."
    )
    follows: dict[str, str] = Field(
        description="The parameters that follow something instead of holding a value, and what: a modulator's "
        "id, or 'listener_distance'. Setting a number makes a parameter hold still again."
    )
    choices: dict[str, str] = Field(description="Its discrete settings as last set ('mode' -> 'low_pass').")
    settings: dict[str, float] = Field(
        description="Its settings fixed when it was added ('max_delay_time' of a delay)."
    )
    feedback_effects: list[FeedbackEffect] = Field(
        description="A delay's feedback effects, in order; empty for others."
    )


class EffectChoice(Reply):
    """A discrete setting of a kind of effect that can change on a playing effect."""

    name: str = Field(description="Its field in the API ('mode', 'shape').")
    options: list[str] = Field(description="The values it takes.")
    default: str = Field(description="Its value when none is given.")


class EffectSetting(Reply):
    """A setting of a kind of effect that is fixed when the effect is added."""

    name: str = Field(description="Its field in the API.")
    unit: str = Field(description="Unit symbol.")
    low: float = Field(description="Lowest value accepted.")
    high: float = Field(description="Highest value accepted.")
    default: float = Field(description="Value when none is given.")
    description: str = Field(description="What it does, for people.")


class EffectKindSpec(Reply):
    """One kind of effect: what a panel needs to offer it and build its controls."""

    kind: KindName = Field(description="The kind, as POST …/effects takes it.")
    description: str = Field(description="What it does, for people.")
    parameters: list[Parameter] = Field(
        description="Its tweenable parameters, with unit, range, default and the range a control shows."
    )
    choices: list[EffectChoice] = Field(description="Its discrete settings.")
    settings: list[EffectSetting] = Field(description="Its settings fixed when it is added.")
    feedback_effects: bool = Field(description="Whether it takes feedback_effects (a delay).")
