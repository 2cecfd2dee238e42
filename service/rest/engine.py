"""Routes: health, state snapshot, devices, metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import metrics
from ..models.engine import Device, Health
from ..operations import engine as ops
from .deps import RuntimeDep

router = APIRouter(tags=["engine"])


@router.get("/health", response_model=Health)
async def health(rt: RuntimeDep) -> Health:
    return ops.health(rt)


@router.get("/state")
async def state(rt: RuntimeDep) -> dict[str, Any]:
    return ops.state(rt)


@router.get("/devices", response_model=list[Device])
def devices() -> list[Device]:
    return ops.list_devices()


@router.get("/metrics", response_class=Response)
def prometheus(request: Request) -> Response:
    return Response(metrics.render(request.app.state.metrics), media_type=metrics.CONTENT_TYPE)
