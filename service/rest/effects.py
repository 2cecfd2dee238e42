"""Routes: effects on tracks (the main track and sub tracks), on send tracks, and the kinds of effect."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import TypeAdapter

from ..models.effects import (
    Effect,
    EffectAdd,
    EffectAddRequest,
    EffectKindSpec,
    EffectPatch,
    EffectPatchRequest,
    EffectRef,
    SendEffectAddRequest,
    SendEffectPatchRequest,
    SendEffectRef,
    SendEffects,
    TrackEffects,
)
from ..operations import effects as ops
from .deps import RuntimeDep, problems

router = APIRouter(tags=["effects"])

_ADD = TypeAdapter(EffectAddRequest)
_SEND_ADD = TypeAdapter(SendEffectAddRequest)


def _with_track(adapter: TypeAdapter[Any], ident: str, body: Any) -> Any:
    """The operation's model: the track's id from the path plus the fields the body set."""
    return adapter.validate_python({**body.model_dump(exclude_unset=True), "id": ident})


def _patch(model: Any, ident: str, effect: str, body: Any) -> Any:
    """The operation's model: the track's and the effect's ids from the path plus the fields the body set."""
    return model.model_validate({**body.model_dump(exclude_unset=True), "id": ident, "effect": effect})


@router.get("/effect-kinds", name="effect_kinds.list", response_model=list[EffectKindSpec])
async def list_effect_kinds() -> list[EffectKindSpec]:
    """Every kind of effect, with its parameters' units, ranges and defaults, its choices and fixed settings."""
    return ops.list_effect_kinds()


@router.get("/tracks/{id}/effects", name="effects.list", response_model=list[Effect], responses=problems(404))
async def list_effects(id: str, rt: RuntimeDep) -> list[Effect]:
    """A track's effects in chain order ('main' is the main track)."""
    return ops.list_effects(rt, TrackEffects(id=id))


@router.post(
    "/tracks/{id}/effects",
    name="effects.add",
    status_code=201,
    response_model=Effect,
    responses=problems(404, 409, 422, 503, 507),
)
async def add_effect(id: str, body: EffectAdd, rt: RuntimeDep) -> Effect:
    """Put an effect on a track at `index` in its chain (last by default); it glides in over 10 ms."""
    return ops.add_effect(rt, _with_track(_ADD, id, body))


@router.get("/tracks/{id}/effects/{effect}", name="effects.get", response_model=Effect, responses=problems(404))
async def get_effect(id: str, effect: str, rt: RuntimeDep) -> Effect:
    """One effect on a track: its place in the chain, bypass and current values."""
    return ops.get_effect(rt, EffectRef(id=id, effect=effect))


@router.patch(
    "/tracks/{id}/effects/{effect}", name="effects.set", response_model=Effect, responses=problems(404, 409, 422, 503)
)
async def set_effect(id: str, effect: str, body: EffectPatch, rt: RuntimeDep) -> Effect:
    """Change parameters (over a tween), choices, bypass and place in the chain, all or nothing."""
    return ops.set_effect(rt, _patch(EffectPatchRequest, id, effect, body))


@router.delete(
    "/tracks/{id}/effects/{effect}",
    name="effects.remove",
    status_code=204,
    response_class=Response,
    responses=problems(404, 409, 503),
)
async def remove_effect(id: str, effect: str, rt: RuntimeDep) -> Response:
    """Take an effect off its track; it glides out over 10 ms."""
    ops.remove_effect(rt, EffectRef(id=id, effect=effect))
    return Response(status_code=204)


@router.get("/sends/{id}/effects", name="send_effects.list", response_model=list[Effect], responses=problems(404))
async def list_send_effects(id: str, rt: RuntimeDep) -> list[Effect]:
    """A send track's effects in chain order."""
    return ops.list_send_effects(rt, SendEffects(id=id))


@router.post(
    "/sends/{id}/effects",
    name="send_effects.add",
    status_code=201,
    response_model=Effect,
    responses=problems(404, 409, 422, 503, 507),
)
async def add_send_effect(id: str, body: EffectAdd, rt: RuntimeDep) -> Effect:
    """Put an effect on a send track at `index` in its chain (last by default); it glides in over 10 ms."""
    return ops.add_send_effect(rt, _with_track(_SEND_ADD, id, body))


@router.get("/sends/{id}/effects/{effect}", name="send_effects.get", response_model=Effect, responses=problems(404))
async def get_send_effect(id: str, effect: str, rt: RuntimeDep) -> Effect:
    """One effect on a send track."""
    return ops.get_send_effect(rt, SendEffectRef(id=id, effect=effect))


@router.patch(
    "/sends/{id}/effects/{effect}",
    name="send_effects.set",
    response_model=Effect,
    responses=problems(404, 409, 422, 503),
)
async def set_send_effect(id: str, effect: str, body: EffectPatch, rt: RuntimeDep) -> Effect:
    """Change a send track's effect: parameters (over a tween), choices, bypass and place, all or nothing."""
    return ops.set_send_effect(rt, _patch(SendEffectPatchRequest, id, effect, body))


@router.delete(
    "/sends/{id}/effects/{effect}",
    name="send_effects.remove",
    status_code=204,
    response_class=Response,
    responses=problems(404, 409, 503),
)
async def remove_send_effect(id: str, effect: str, rt: RuntimeDep) -> Response:
    """Take an effect off its send track; it glides out over 10 ms."""
    ops.remove_send_effect(rt, SendEffectRef(id=id, effect=effect))
    return Response(status_code=204)
