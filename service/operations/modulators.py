"""Operations on modulators (LFOs and tweeners): add, list, get, set, remove."""

from __future__ import annotations

from typing import Any

from mixdeck import engine

from .. import ids
from ..errors import Invalid
from ..models.modulators import LfoAdd, Modulator, ModulatorId, ModulatorPatchRequest, TweenerAdd
from ..runtime import ModulatorEntry, Runtime
from . import convert

LFO_FIELDS = ("frequency", "amplitude", "offset", "phase", "waveform")


def _waveform(name: str) -> Any:
    return getattr(engine.Waveform, name.upper())


def modulator_out(entry: ModulatorEntry) -> Modulator:
    return Modulator(id=entry.id, type=entry.type, value=float(entry.handle.value), **entry.settings)


def add_modulator(rt: Runtime, body: LfoAdd | TweenerAdd) -> Modulator:
    if isinstance(body, LfoAdd):
        builder = engine.LfoBuilder(
            waveform=_waveform(body.waveform),
            frequency=body.frequency,
            amplitude=body.amplitude,
            offset=body.offset,
            phase=body.phase,
        )
        settings = body.model_dump(include=set(LFO_FIELDS))
    else:
        builder = engine.TweenerBuilder(initial_value=body.value)
        settings = {"target": body.value}
    handle = rt.manager.add_modulator(builder)
    entry = ModulatorEntry(ids.keyed_id("modulator", handle.key), body.type, handle, settings)
    rt.modulators.add(entry)
    return modulator_out(entry)


def list_modulators(rt: Runtime) -> list[Modulator]:
    return [modulator_out(e) for e in rt.modulators.values()]


def get_modulator(rt: Runtime, body: ModulatorId) -> Modulator:
    return modulator_out(rt.modulators.find(body.id))


def set_modulator(rt: Runtime, body: ModulatorPatchRequest) -> Modulator:
    entry = rt.modulators.find(body.id)
    given = body.model_dump(exclude_unset=True, exclude={"id", "tween"})
    given = {k: v for k, v in given.items() if v is not None}
    allowed = LFO_FIELDS if entry.type == "lfo" else ("value",)
    for name in given:
        if name not in allowed:
            raise Invalid.about(name, f"is not a setting of a {entry.type}, which takes {', '.join(allowed)}")
    tween = convert.tween(rt, body.tween)
    h = entry.handle
    if entry.type == "tweener":
        if "value" in given:
            h.set(given["value"], tween)
            entry.settings["target"] = given["value"]
        return modulator_out(entry)
    # All or nothing: the engine checks every setting before it sends any of them.
    engine_values = {k: (_waveform(v) if k == "waveform" else v) for k, v in given.items()}
    h.set(**engine_values, tween=tween)
    entry.settings.update(given)
    return modulator_out(entry)


def remove_modulator(rt: Runtime, body: ModulatorId) -> None:
    entry = rt.modulators.find(body.id)
    entry.handle.remove()
    del rt.modulators[body.id]
