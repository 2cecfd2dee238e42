"""Routes: spatial tracks, the sub tracks placed around a listener."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..models.spatial import (
    SpatialTrackAdd,
    SpatialTrackId,
    SpatialTrackPatch,
    SpatialTrackPatchRequest,
    SpatialTrackRemove,
)
from ..models.tracks import Track
from ..operations import spatial as ops
from .deps import RuntimeDep, problems, with_id
from .tracks import Fade

router = APIRouter(prefix="/spatial-tracks", tags=["spatial tracks"])


@router.get("", name="spatial_tracks.list", response_model=list[Track])
async def list_spatial_tracks(rt: RuntimeDep) -> list[Track]:
    """Every spatial track, oldest first, as the tracks tree shows it."""
    return ops.list_spatial_tracks(rt)


@router.post(
    "", name="spatial_tracks.add", status_code=201, response_model=Track, responses=problems(404, 409, 422, 503)
)
async def add_spatial_track(body: SpatialTrackAdd, rt: RuntimeDep) -> Track:
    """Add a spatial track at `position` (metres), heard through `listener`; sounds play on it by its id."""
    return ops.add_spatial_track(rt, body)


@router.get("/{id}", name="spatial_tracks.get", response_model=Track, responses=problems(404))
async def get_spatial_track(id: str, rt: RuntimeDep) -> Track:
    """One spatial track, with its `spatial` details."""
    return ops.get_spatial_track(rt, SpatialTrackId(id=id))


@router.patch("/{id}", name="spatial_tracks.set", response_model=Track, responses=problems(404, 409, 422, 503))
async def set_spatial_track(id: str, body: SpatialTrackPatch, rt: RuntimeDep) -> Track:
    """Move it (tweened), change its strength and a sub track's fields, all or nothing."""
    return ops.set_spatial_track(rt, with_id(SpatialTrackPatchRequest, id, body))


@router.delete(
    "/{id}", name="spatial_tracks.remove", status_code=204, response_class=Response, responses=problems(404, 422, 503)
)
async def remove_spatial_track(id: str, rt: RuntimeDep, fade: Fade = None) -> Response:
    """Fade a spatial track out and remove it, with its sub tracks and the voices playing on them."""
    ops.remove_spatial_track(rt, SpatialTrackRemove(id=id, fade=fade))
    return Response(status_code=204)
