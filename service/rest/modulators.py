"""Routes: modulators (LFOs and tweeners)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.modulators import Modulator, ModulatorAdd, ModulatorId, ModulatorPatch, ModulatorPatchRequest
from ..operations import modulators as ops
from .deps import RuntimeDep, problems, with_id

router = APIRouter(prefix="/modulators", tags=["modulators"])


@router.post("", name="modulators.add", status_code=201, response_model=Modulator, responses=problems(409, 422, 503))
async def add_modulator(body: ModulatorAdd, rt: RuntimeDep) -> Modulator:
    """Add an LFO or a tweener."""
    return ops.add_modulator(rt, body)


@router.get("", name="modulators.list", response_model=list[Modulator])
async def list_modulators(rt: RuntimeDep) -> list[Modulator]:
    """Every modulator."""
    return ops.list_modulators(rt)


@router.get("/{id}", name="modulators.get", response_model=Modulator, responses=problems(404))
async def get_modulator(id: str, rt: RuntimeDep) -> Modulator:
    """One modulator, with its current value."""
    return ops.get_modulator(rt, ModulatorId(id=id))


@router.patch("/{id}", name="modulators.set", response_model=Modulator, responses=problems(404, 409, 422, 503))
async def set_modulator(id: str, body: ModulatorPatch, rt: RuntimeDep) -> Modulator:
    """Change a modulator's settings, all or nothing."""
    return ops.set_modulator(rt, with_id(ModulatorPatchRequest, id, body))


@router.delete(
    "/{id}", name="modulators.remove", status_code=204, response_class=Response, responses=problems(404, 409, 503)
)
async def remove_modulator(id: str, rt: RuntimeDep) -> Response:
    """Remove a modulator; parameters following it keep their last value."""
    ops.remove_modulator(rt, ModulatorId(id=id))
    return Response(status_code=204)
