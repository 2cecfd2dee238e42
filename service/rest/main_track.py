"""Routes: the main track."""

from __future__ import annotations

from fastapi import APIRouter

from ..models.main_track import MainTrack, MainTrackPatch
from ..operations import main_track as ops
from .deps import RuntimeDep, problems

router = APIRouter(prefix="/main-track", tags=["main track"])


@router.get("", name="main_track.get", response_model=MainTrack)
async def get_main_track(rt: RuntimeDep) -> MainTrack:
    """The main mix's volume and meters."""
    return ops.get_main_track(rt)


@router.patch("", name="main_track.set", response_model=MainTrack, responses=problems(404, 409, 422, 503))
async def set_main_track(body: MainTrackPatch, rt: RuntimeDep) -> MainTrack:
    """Change the main mix's volume, at once or over a tween."""
    return ops.set_main_track(rt, body)
