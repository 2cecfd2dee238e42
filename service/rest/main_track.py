"""Routes: the main track."""

from __future__ import annotations

from fastapi import APIRouter

from ..models.main_track import MainTrack, MainTrackPatch
from ..operations import main_track as ops
from .deps import RuntimeDep

router = APIRouter(prefix="/main-track", tags=["main track"])


@router.get("", response_model=MainTrack)
async def get_main_track(rt: RuntimeDep) -> MainTrack:
    return ops.get_main_track(rt)


@router.patch("", response_model=MainTrack)
async def set_main_track(body: MainTrackPatch, rt: RuntimeDep) -> MainTrack:
    return ops.set_main_track(rt, body)
