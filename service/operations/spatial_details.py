"""What a spatial track reports beyond a sub track's: its `spatial` details in the tracks tree, and its place.

Kept apart from `operations.spatial` so that the tracks tree can show the
details without importing the operations that build on the tracks.
"""

from __future__ import annotations

import math

from ..models.spatial import SpatialPlace
from ..models.spatial_details import Attenuation, Distances, Spatial
from ..runtime import SpatialEntry, TrackEntry


def listener_of(spatial: SpatialEntry) -> str | None:
    """The id of the track's listener, or None once that listener is gone."""
    return spatial.listener.id if spatial.listener.handle.exists else None


def distance(entry: TrackEntry) -> float | None:
    """Metres from the track to its listener, both where the audio thread last put them; None without one."""
    assert entry.spatial is not None
    if listener_of(entry.spatial) is None:
        return None
    here, there = entry.handle.position, entry.spatial.listener.handle.position
    return math.dist(here, there)


def spatial_out(entry: TrackEntry) -> Spatial | None:
    """A track's `spatial` details; None for a track that is not spatial."""
    s = entry.spatial
    if s is None:
        return None
    return Spatial(
        listener=listener_of(s),
        position=[float(v) for v in entry.handle.position],
        distance=distance(entry),
        distances=Distances(min=s.distances[0], max=s.distances[1]),
        attenuation=None if s.attenuation is None else Attenuation(easing=s.attenuation[0], power=s.attenuation[1]),
        spatialization_strength=s.strength,
        doppler=s.doppler,
        speed_of_sound=s.speed_of_sound,
    )


def place_out(entry: TrackEntry) -> SpatialPlace:
    """Where a spatial track is, for the `spatial` topic."""
    assert entry.spatial is not None
    return SpatialPlace(
        id=entry.id,
        listener=listener_of(entry.spatial),
        position=[float(v) for v in entry.handle.position],
        distance=distance(entry),
        distances=Distances(min=entry.spatial.distances[0], max=entry.spatial.distances[1]),
    )
