"""Routes: send tracks."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.tracks import SendAdd, SendId, SendPatch, SendPatchRequest, SendRemove, SendTrack
from ..operations import sends as ops
from .deps import RuntimeDep, problems, with_id
from .tracks import Fade

router = APIRouter(prefix="/sends", tags=["sends"])


@router.get("", name="sends.list", response_model=list[SendTrack])
async def list_sends(rt: RuntimeDep) -> list[SendTrack]:
    """Every send track, oldest first."""
    return ops.list_sends(rt)


@router.post("", name="sends.add", status_code=201, response_model=SendTrack, responses=problems(404, 409, 422, 503))
async def add_send(rt: RuntimeDep, body: SendAdd | None = None) -> SendTrack:
    """Add a send track; sub tracks route to it with `sends`, and it feeds the main track."""
    return ops.add_send(rt, body or SendAdd())


@router.get("/{id}", name="sends.get", response_model=SendTrack, responses=problems(404))
async def get_send(id: str, rt: RuntimeDep) -> SendTrack:
    """One send track."""
    return ops.get_send(rt, SendId(id=id))


@router.patch("/{id}", name="sends.set", response_model=SendTrack, responses=problems(404, 409, 422, 503))
async def set_send(id: str, body: SendPatch, rt: RuntimeDep) -> SendTrack:
    """Change volume, panning, mute and solo, all or nothing, at once or over a tween."""
    return ops.set_send(rt, with_id(SendPatchRequest, id, body))


@router.delete(
    "/{id}", name="sends.remove", status_code=204, response_class=Response, responses=problems(404, 409, 422, 503)
)
async def remove_send(id: str, rt: RuntimeDep, fade: Fade = None) -> Response:
    """Fade a send track out and remove it; the routes to it go with it."""
    ops.remove_send(rt, SendRemove(id=id, fade=fade))
    return Response(status_code=204)
