"""Routes: clocks."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.clocks import Clock, ClockAdd, ClockId, ClockPatch, ClockPatchRequest
from ..operations import clocks as ops
from .deps import RuntimeDep, with_id

router = APIRouter(prefix="/clocks", tags=["clocks"])


@router.post("", status_code=201, response_model=Clock)
async def add_clock(body: ClockAdd, rt: RuntimeDep) -> Clock:
    return ops.add_clock(rt, body)


@router.get("", response_model=list[Clock])
async def list_clocks(rt: RuntimeDep) -> list[Clock]:
    return ops.list_clocks(rt)


@router.get("/{clock_id}", response_model=Clock)
async def get_clock(clock_id: str, rt: RuntimeDep) -> Clock:
    return ops.get_clock(rt, ClockId(id=clock_id))


@router.patch("/{clock_id}", response_model=Clock)
async def set_clock(clock_id: str, body: ClockPatch, rt: RuntimeDep) -> Clock:
    return ops.set_clock(rt, with_id(ClockPatchRequest, clock_id, body))


@router.delete("/{clock_id}", status_code=204, response_class=Response)
async def remove_clock(clock_id: str, rt: RuntimeDep) -> Response:
    ops.remove_clock(rt, ClockId(id=clock_id))
    return Response(status_code=204)


@router.post("/{clock_id}/start", response_model=Clock)
async def start(clock_id: str, rt: RuntimeDep) -> Clock:
    return ops.start_clock(rt, ClockId(id=clock_id))


@router.post("/{clock_id}/pause", response_model=Clock)
async def pause(clock_id: str, rt: RuntimeDep) -> Clock:
    return ops.pause_clock(rt, ClockId(id=clock_id))


@router.post("/{clock_id}/stop", response_model=Clock)
async def stop(clock_id: str, rt: RuntimeDep) -> Clock:
    return ops.stop_clock(rt, ClockId(id=clock_id))
