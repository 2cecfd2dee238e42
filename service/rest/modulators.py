"""Routes: modulators (LFOs and tweeners)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.modulators import Modulator, ModulatorAdd, ModulatorId, ModulatorPatch, ModulatorPatchRequest
from ..operations import modulators as ops
from .deps import RuntimeDep, with_id

router = APIRouter(prefix="/modulators", tags=["modulators"])


@router.post("", status_code=201, response_model=Modulator)
async def add_modulator(body: ModulatorAdd, rt: RuntimeDep) -> Modulator:
    return ops.add_modulator(rt, body)


@router.get("", response_model=list[Modulator])
async def list_modulators(rt: RuntimeDep) -> list[Modulator]:
    return ops.list_modulators(rt)


@router.get("/{modulator_id}", response_model=Modulator)
async def get_modulator(modulator_id: str, rt: RuntimeDep) -> Modulator:
    return ops.get_modulator(rt, ModulatorId(id=modulator_id))


@router.patch("/{modulator_id}", response_model=Modulator)
async def set_modulator(modulator_id: str, body: ModulatorPatch, rt: RuntimeDep) -> Modulator:
    return ops.set_modulator(rt, with_id(ModulatorPatchRequest, modulator_id, body))


@router.delete("/{modulator_id}", status_code=204, response_class=Response)
async def remove_modulator(modulator_id: str, rt: RuntimeDep) -> Response:
    ops.remove_modulator(rt, ModulatorId(id=modulator_id))
    return Response(status_code=204)
