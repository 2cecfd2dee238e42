"""Routes: the mixer's tracks (the main track and sub tracks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from ..models.common import LONGEST_SECONDS
from ..models.tracks import Mixer, Track, TrackAdd, TrackId, TrackPatch, TrackPatchRequest, TrackRemove
from ..operations import tracks as ops
from .deps import RuntimeDep, problems, with_id

router = APIRouter(prefix="/tracks", tags=["tracks"])

Fade = Annotated[
    float | None,
    Query(ge=0, le=LONGEST_SECONDS, description="Seconds to fade out over before it goes; none = 10 ms."),
]


@router.get("", name="tracks.list", response_model=Mixer)
async def list_tracks(rt: RuntimeDep) -> Mixer:
    """The mixer: the main track with its tree of sub tracks, and the send tracks."""
    return ops.list_tracks(rt)


@router.post("", name="tracks.add", status_code=201, response_model=Track, responses=problems(404, 409, 422, 503))
async def add_track(rt: RuntimeDep, body: TrackAdd | None = None) -> Track:
    """Add a sub track under `parent` (the main track by default), with its routes to send tracks."""
    return ops.add_track(rt, body or TrackAdd())


@router.get("/{id}", name="tracks.get", response_model=Track, responses=problems(404))
async def get_track(id: str, rt: RuntimeDep) -> Track:
    """One track ('main' is the main track), with the sub tracks that feed it."""
    return ops.get_track(rt, TrackId(id=id))


@router.patch("/{id}", name="tracks.set", response_model=Track, responses=problems(404, 409, 422, 503))
async def set_track(id: str, body: TrackPatch, rt: RuntimeDep) -> Track:
    """Change volume, panning, mute, solo and routes, all or nothing, at once or over a tween."""
    return ops.set_track(rt, with_id(TrackPatchRequest, id, body))


@router.delete(
    "/{id}", name="tracks.remove", status_code=204, response_class=Response, responses=problems(404, 409, 422, 503)
)
async def remove_track(id: str, rt: RuntimeDep, fade: Fade = None) -> Response:
    """Fade a sub track out and remove it, with its sub tracks and the voices playing on them."""
    ops.remove_track(rt, TrackRemove(id=id, fade=fade))
    return Response(status_code=204)
