"""Routes: health, state snapshot, devices, parameters, metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .. import metrics
from ..models.engine import Device, Health, Parameter, State
from ..operations import engine as ops
from .deps import RuntimeDep

router = APIRouter(tags=["engine"])


@router.get("/health", name="engine.health", response_model=Health)
async def health(rt: RuntimeDep) -> Health:
    """'ok' while the output plays; 'degraded', with the reason, while the output device is lost."""
    return ops.health(rt)


@router.get("/state", name="engine.state", response_model=State)
async def state(rt: RuntimeDep) -> State:
    """Everything at once: engine, main track, tracks, sounds, voices, clocks and modulators."""
    return ops.state(rt)


@router.get("/devices", name="devices.list", response_model=list[Device])
def devices() -> list[Device]:
    """The audio output devices PortAudio finds (empty when there is no audio system)."""
    return ops.list_devices()


@router.get("/parameters", name="parameters.list", response_model=list[Parameter])
async def parameters() -> list[Parameter]:
    """Every tweenable parameter with its unit, its range and the range a control shows."""
    return ops.list_parameters()


@router.get(
    "/metrics",
    name="metrics.get",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text."}},
)
def prometheus(request: Request) -> Response:
    """The engine's counters in Prometheus' text format."""
    return Response(metrics.render(request.app.state.metrics), media_type=metrics.CONTENT_TYPE)
