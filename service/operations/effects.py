"""Operations on effects: each track's chain (the main track, sub tracks, send tracks), and the kinds there are.

An effect belongs to one track and is named by its own id (`fx-…`) under
that track's id; the same effect under another track's id is a 404. The
engine reports each effect's place in its chain, bypass and current values;
its choices (a filter's mode) and fixed settings are kept here as set.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mixdeck import engine
from mixdeck.engine.effect.builders import BUILDERS, CHOICES

from .. import ids
from ..errors import Conflict, Invalid, not_found
from ..models import effects as models
from ..models.common import ModulatedValue
from ..models.effects import Effect, EffectChoice, EffectKindSpec, EffectSetting, FeedbackEffect
from ..models.engine import Parameter
from ..runtime import EffectEntry, Runtime, SendEntry, TrackEntry
from . import convert
from .mixer import ensure_room


def _engine_choice(kind: str, api_name: str) -> str:
    """The engine's name for a choice the API calls `api_name`."""
    return next((name for name in CHOICES.get(kind, {}) if models.choice_name(kind, name) == api_name), api_name)


def _api_field(kind: str, field: str) -> str:
    """An engine field of a `kind` effect ('kind', 'feedback_effects[0].kind') in the API's words."""
    head, _, rest = field.partition(".")
    if rest and head.startswith("feedback_effects"):
        return f"feedback_effects.{rest}"
    return models.choice_name(kind, field)


def _builder(
    rt: Runtime, body: Any, prefix: str = "", distance: bool = False
) -> tuple[Any, dict[str, str], dict[str, float]]:
    """(the engine builder, its choices and its fixed settings) for an effect's add body or feedback settings.

    ``distance``: the effect is on a spatial track, so its parameters may follow the listener distance (a
    delay's feedback effects may not: they are not on the track, they are inside the delay's loop).
    """
    kind = body.kind
    builder_class = BUILDERS[kind]
    arguments: dict[str, Any] = {}
    for parameter in builder_class.SPECS:
        given = getattr(body, parameter.name)
        arguments[parameter.name] = convert.value(rt, given, f"{prefix}{parameter.name}", distance)
    chosen: dict[str, str] = {}
    for engine_name in CHOICES.get(kind, {}):
        api_name = models.choice_name(kind, engine_name)
        chosen[api_name] = arguments[engine_name] = getattr(body, api_name)
    fixed = {setting.name: float(getattr(body, setting.name)) for setting in models.FIXED.get(kind, ())}
    arguments.update(fixed)
    if kind == "delay":
        arguments["feedback_effects"] = tuple(
            _builder(rt, inner, "feedback_effects.")[0] for inner in getattr(body, "feedback_effects", [])
        )
    return builder_class(**arguments), chosen, fixed


def _feedback_out(body: Any) -> dict[str, Any]:
    kind = body.kind
    return {
        "kind": kind,
        "values": {p.name: getattr(body, p.name) for p in BUILDERS[kind].SPECS},
        "choices": {name: getattr(body, name) for name in models.choices(kind)},
        "settings": {s.name: float(getattr(body, s.name)) for s in models.FIXED.get(kind, ())},
    }


def effect_out(entry: EffectEntry) -> Effect:
    h = entry.handle
    feedback = [
        FeedbackEffect(
            kind=f["kind"],
            values={k: v if isinstance(v, ModulatedValue) else float(v) for k, v in f["values"].items()},
            choices=f["choices"],
            settings=f["settings"],
        )
        for f in entry.feedback_effects
    ]
    return Effect(
        id=entry.id,
        kind=entry.kind,
        track=entry.track,
        position=int(h.position),
        bypassed=bool(h.bypassed),
        values={name: float(value) for name, value in h.values.items()},
        follows=dict(entry.follows),
        choices=dict(entry.choices),
        settings=dict(entry.settings),
        feedback_effects=feedback,
    )


def _chain(entries: list[EffectEntry]) -> list[Effect]:
    """Effects in chain order; those the audio thread has not put in yet (position -1) last, oldest first."""
    out = [effect_out(e) for e in entries]
    return sorted(out, key=lambda e: (e.position < 0, e.position))


def effects_by_track(rt: Runtime) -> dict[str, list[Effect]]:
    """Every track's effects in chain order, after dropping those that are gone (or whose track is)."""
    rt.effects.prune()
    for gone in [e.id for e in rt.effects.values() if e.track not in rt.tracks and e.track not in rt.sends]:
        del rt.effects[gone]
    grouped: dict[str, list[EffectEntry]] = {}
    for entry in rt.effects.values():
        grouped.setdefault(entry.track, []).append(entry)
    return {track: _chain(entries) for track, entries in grouped.items()}


def drop_effects_of(rt: Runtime, tracks: set[str]) -> None:
    """Forget the effects on `tracks` (they are being removed; the engine removes their effects with them)."""
    for gone in [e.id for e in rt.effects.values() if e.track in tracks]:
        del rt.effects[gone]


def _track(rt: Runtime, ident: str, send: bool) -> TrackEntry | SendEntry:
    return rt.sends.find(ident) if send else rt.tracks.find(ident)


def _follows(given: Any) -> str | None:
    """What a parameter given as ``given`` follows: a modulator's id, 'listener_distance', or None for a number."""
    if not isinstance(given, ModulatedValue):
        return None
    return "listener_distance" if given.listener_distance else given.modulator


def _spatial(track: TrackEntry | SendEntry) -> bool:
    return getattr(track, "spatial", None) is not None


def _find(rt: Runtime, track: str, effect: str, send: bool) -> EffectEntry:
    """The effect `effect` on the track `track`; a 404 naming `id` for the track, `effect` for the effect."""
    entry = _track(rt, track, send)
    found = rt.effects.find(effect, "effect")
    if found.track != entry.id:
        raise not_found(f"effect on {entry.id}", effect, field="effect")
    return found


# -- the operations, once for tracks and once for send tracks ---------------------------------------


def _list(rt: Runtime, track: str, send: bool) -> list[Effect]:
    entry = _track(rt, track, send)
    return effects_by_track(rt).get(entry.id, [])


def _add(rt: Runtime, body: Any, send: bool) -> Effect:
    track = _track(rt, body.id, send)
    builder, chosen, fixed = _builder(rt, body, distance=_spatial(track))
    try:
        handle = rt.manager.add_effect(track.handle, builder, index=body.index, bypassed=body.bypassed)
    except engine.ResourceLimitReached as exc:
        limit = rt.settings.max_effects
        raise Conflict(
            f"the mixer has room for {limit} effects (MIXDECK_MAX_EFFECTS) and all are in use; "
            "a removed one's room comes back when it has glided out"
        ) from exc
    except engine.InvalidValue as exc:
        raise Invalid.about(_api_field(body.kind, exc.field), exc.message) from exc
    feedback = [_feedback_out(inner) for inner in getattr(body, "feedback_effects", [])]
    entry = EffectEntry(ids.keyed_id("effect", handle.key), track.id, body.kind, handle, chosen, fixed, feedback)
    for parameter in BUILDERS[body.kind].SPECS:
        source = _follows(getattr(body, parameter.name))
        if source is not None:
            entry.follows[parameter.name] = source
    rt.effects.add(entry)
    return effect_out(entry)


def _get(rt: Runtime, body: Any, send: bool) -> Effect:
    return effect_out(_find(rt, body.id, body.effect, send))


def _set(rt: Runtime, body: Any, send: bool) -> Effect:
    """Change parameters (over the tween), choices, bypass and place, all or nothing."""
    entry = _find(rt, body.id, body.effect, send)
    kind = entry.kind
    own = {p.name for p in BUILDERS[kind].SPECS}
    own_choices = models.choices(kind)
    given = body.model_fields_set - {"id", "effect", "tween", "bypassed", "index"}
    for name in sorted(n for n in given if getattr(body, n) is not None):
        if name in models.CHOICE_FIELDS and name not in own_choices:
            raise Invalid.about(name, f"is not a setting of a {kind} (its settings are {_names(own_choices)})")
        if name not in models.CHOICE_FIELDS and name not in own:
            raise Invalid.about(name, f"is not a parameter of a {kind} (it has {_names(own)})")
    present = {name for name in given if getattr(body, name) is not None}
    distance = _spatial(_track(rt, body.id, send))
    values = {name: convert.value(rt, getattr(body, name), name, distance) for name in own if name in present}
    changes = {name: getattr(body, name) for name in own_choices if name in present}
    for name, option in changes.items():
        if option not in own_choices[name]:
            raise Invalid.about(name, f"must be one of {', '.join(own_choices[name])} for a {kind}, not {option!r}")
    if "delay_time" in values:
        _check_delay_time(entry, body.delay_time)
    tween = convert.tween(rt, body.tween)
    # The parameters go together in one send; choices, bypass and place are a send each.
    ensure_room(rt, len(values) + len(changes) + (body.bypassed is not None) + (body.index is not None))
    handle = entry.handle
    try:
        if values:
            handle.set(tween, **values)  # checks every value against the kind's ranges before sending any
    except engine.InvalidValue as exc:
        raise Invalid.about(_api_field(kind, exc.field), exc.message) from exc
    for name, option in changes.items():
        handle.set_choice(_engine_choice(kind, name), option)
    if body.bypassed is not None:
        handle.set_bypassed(body.bypassed)
    if body.index is not None:
        handle.move_to(body.index)
    entry.choices.update(changes)
    for name in values:
        source = _follows(getattr(body, name))
        if source is None:
            entry.follows.pop(name, None)
        else:
            entry.follows[name] = source
    return effect_out(entry)


def _check_delay_time(entry: EffectEntry, given: Any) -> None:
    """A delay's delay_time (or the top of the range a modulated one maps to) within its line's length."""
    longest = entry.settings["max_delay_time"]
    top = max(given.output_range) if isinstance(given, ModulatedValue) else float(given)
    if top > longest:
        field = "delay_time.output_range" if isinstance(given, ModulatedValue) else "delay_time"
        raise Invalid.about(field, f"must be at most this delay's max_delay_time, {longest:g} s, not {top:g}")


def _names(names: Any) -> str:
    return ", ".join(names) if names else "none"


def _remove(rt: Runtime, body: Any, send: bool) -> None:
    entry = _find(rt, body.id, body.effect, send)
    entry.handle.remove()
    del rt.effects[entry.id]


def list_effects(rt: Runtime, body: models.TrackEffects) -> list[Effect]:
    """A track's effects in chain order ('main' is the main track)."""
    return _list(rt, body.id, send=False)


def add_effect(rt: Runtime, body: Any) -> Effect:
    """Put an effect on a track, at `index` in its chain (last by default); it glides in over 10 ms."""
    return _add(rt, body, send=False)


def get_effect(rt: Runtime, body: models.EffectRef) -> Effect:
    """One effect on a track."""
    return _get(rt, body, send=False)


def set_effect(rt: Runtime, body: Any) -> Effect:
    """Change an effect's parameters, choices, bypass and place in the chain, all or nothing."""
    return _set(rt, body, send=False)


def remove_effect(rt: Runtime, body: models.EffectRef) -> None:
    """Take an effect off its track; it glides out over 10 ms."""
    _remove(rt, body, send=False)


def list_send_effects(rt: Runtime, body: models.SendEffects) -> list[Effect]:
    """A send track's effects in chain order."""
    return _list(rt, body.id, send=True)


def add_send_effect(rt: Runtime, body: Any) -> Effect:
    """Put an effect on a send track, at `index` in its chain (last by default); it glides in over 10 ms."""
    return _add(rt, body, send=True)


def get_send_effect(rt: Runtime, body: models.SendEffectRef) -> Effect:
    """One effect on a send track."""
    return _get(rt, body, send=True)


def set_send_effect(rt: Runtime, body: Any) -> Effect:
    """Change a send track's effect: parameters, choices, bypass and place in the chain, all or nothing."""
    return _set(rt, body, send=True)


def remove_send_effect(rt: Runtime, body: models.SendEffectRef) -> None:
    """Take an effect off its send track; it glides out over 10 ms."""
    _remove(rt, body, send=True)


def list_effect_kinds() -> list[EffectKindSpec]:
    """Every kind of effect with its parameters (units, ranges, defaults), choices and fixed settings."""
    out = []
    for kind, builder in BUILDERS.items():
        fields = {f.name: f for f in dataclasses.fields(builder)}
        out.append(
            EffectKindSpec(
                kind=kind,
                description=models.summary(kind),
                parameters=[Parameter.model_validate({"group": kind, **p.as_dict()}) for p in builder.SPECS],
                choices=[
                    EffectChoice(
                        name=name, options=list(options), default=str(fields[_engine_choice(kind, name)].default)
                    )
                    for name, options in models.choices(kind).items()
                ],
                settings=[EffectSetting(**dataclasses.asdict(s)) for s in models.FIXED.get(kind, ())],
                feedback_effects="feedback_effects" in fields,
            )
        )
    return out
