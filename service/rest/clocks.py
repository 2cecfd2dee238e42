"""Routes: clocks."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.clocks import Clock, ClockAdd, ClockId, ClockPatch, ClockPatchRequest
from ..operations import clocks as ops
from .deps import RuntimeDep, problems, with_id

router = APIRouter(prefix="/clocks", tags=["clocks"])


@router.post("", name="clocks.add", status_code=201, response_model=Clock, responses=problems(409, 422, 503))
async def add_clock(body: ClockAdd, rt: RuntimeDep) -> Clock:
    """Add a clock, stopped or (`start: true`) already ticking."""
    return ops.add_clock(rt, body)


@router.get("", name="clocks.list", response_model=list[Clock])
async def list_clocks(rt: RuntimeDep) -> list[Clock]:
    """Every clock."""
    return ops.list_clocks(rt)


@router.get("/{id}", name="clocks.get", response_model=Clock, responses=problems(404))
async def get_clock(id: str, rt: RuntimeDep) -> Clock:
    """One clock: whether it ticks, its tick and fraction, its speed."""
    return ops.get_clock(rt, ClockId(id=id))


@router.patch("/{id}", name="clocks.set", response_model=Clock, responses=problems(404, 409, 422, 503))
async def set_clock(id: str, body: ClockPatch, rt: RuntimeDep) -> Clock:
    """Change a clock's speed, at once or over a tween."""
    return ops.set_clock(rt, with_id(ClockPatchRequest, id, body))


@router.delete(
    "/{id}", name="clocks.remove", status_code=204, response_class=Response, responses=problems(404, 409, 503)
)
async def remove_clock(id: str, rt: RuntimeDep) -> Response:
    """Remove a clock; sounds waiting for it never start."""
    ops.remove_clock(rt, ClockId(id=id))
    return Response(status_code=204)


@router.post("/{id}/start", name="clocks.start", response_model=Clock, responses=problems(404, 409, 503))
async def start(id: str, rt: RuntimeDep) -> Clock:
    """Start (or go on) ticking."""
    return ops.start_clock(rt, ClockId(id=id))


@router.post("/{id}/pause", name="clocks.pause", response_model=Clock, responses=problems(404, 409, 503))
async def pause(id: str, rt: RuntimeDep) -> Clock:
    """Stop ticking, keeping the tick count."""
    return ops.pause_clock(rt, ClockId(id=id))


@router.post("/{id}/stop", name="clocks.stop", response_model=Clock, responses=problems(404, 409, 503))
async def stop(id: str, rt: RuntimeDep) -> Clock:
    """Stop ticking and go back to tick 0."""
    return ops.stop_clock(rt, ClockId(id=id))
