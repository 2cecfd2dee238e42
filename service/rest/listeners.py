"""Routes: listeners, where spatial tracks are heard from."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.spatial import Listener, ListenerAdd, ListenerId, ListenerPatch, ListenerPatchRequest
from ..operations import listeners as ops
from .deps import RuntimeDep, problems, with_id

router = APIRouter(prefix="/listeners", tags=["listeners"])


@router.get("", name="listeners.list", response_model=list[Listener])
async def list_listeners(rt: RuntimeDep) -> list[Listener]:
    """Every listener, oldest first."""
    return ops.list_listeners(rt)


@router.post("", name="listeners.add", status_code=201, response_model=Listener, responses=problems(409, 422, 503))
async def add_listener(rt: RuntimeDep, body: ListenerAdd | None = None) -> Listener:
    """Add a listener at `position` (metres), facing `orientation` (a quaternion, or yaw/pitch/roll in degrees)."""
    return ops.add_listener(rt, body or ListenerAdd())


@router.get("/{id}", name="listeners.get", response_model=Listener, responses=problems(404))
async def get_listener(id: str, rt: RuntimeDep) -> Listener:
    """One listener, with its orientation both as a quaternion and as yaw/pitch/roll."""
    return ops.get_listener(rt, ListenerId(id=id))


@router.patch("/{id}", name="listeners.set", response_model=Listener, responses=problems(404, 422, 503))
async def set_listener(id: str, body: ListenerPatch, rt: RuntimeDep) -> Listener:
    """Move and turn a listener, all or nothing, at once or over a tween."""
    return ops.set_listener(rt, with_id(ListenerPatchRequest, id, body))


@router.delete("/{id}", name="listeners.remove", status_code=204, response_class=Response, responses=problems(404, 503))
async def remove_listener(id: str, rt: RuntimeDep) -> Response:
    """Remove a listener; the spatial tracks that heard through it fall silent, and stay until removed."""
    ops.remove_listener(rt, ListenerId(id=id))
    return Response(status_code=204)
