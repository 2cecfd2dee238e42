"""Operations on spatial tracks: add, list, get, set (a sub track's changes, position, strength), remove.

A spatial track is a sub track: it has a sub track's id (`track-…`), it is
in the tracks tree with its `spatial` details, sounds play on it with
`"track": id`, and the tracks routes change and remove it too. These
operations add what only a spatial track has: a listener, a position and
how distance and direction shape it.
"""

from __future__ import annotations

from mixdeck import engine
from mixdeck.engine.spatial.geometry import check_position
from mixdeck.engine.spatial.settings import STRENGTH
from mixdeck.engine.value import check_value

from .. import ids
from ..errors import Conflict, NotFound
from ..models.spatial import Scene, SpatialTrackAdd, SpatialTrackId, SpatialTrackPatchRequest, SpatialTrackRemove
from ..models.tracks import Track, TrackId, TrackPatchRequest, TrackRemove
from ..runtime import Runtime, SpatialEntry, TrackEntry
from . import convert
from .listeners import list_listeners
from .mixer import ensure_room
from .spatial_details import place_out
from .tracks import _routes, get_track, mixer, remove_track, set_track


def spatial_entries(rt: Runtime) -> list[TrackEntry]:
    """The spatial tracks, oldest first, after dropping those the audio thread is done with."""
    rt.tracks.prune()
    return [e for e in rt.tracks.values() if e.spatial is not None]


def find_spatial(rt: Runtime, ident: str, field: str = "id") -> TrackEntry:
    entry = rt.tracks.find(ident, field)
    if entry.spatial is None:
        raise NotFound(f"track {entry.id!r} is not a spatial track; it is at /api/tracks/{entry.id}", field=field)
    return entry


def _tree(track: Track, into: dict[str, Track]) -> dict[str, Track]:
    into[track.id] = track
    for child in track.tracks:
        _tree(child, into)
    return into


def list_spatial_tracks(rt: Runtime) -> list[Track]:
    """Every spatial track, oldest first, each as the tracks tree shows it (with its own sub tracks)."""
    spatial = spatial_entries(rt)
    shown = _tree(mixer(rt).main, {})
    return [shown[e.id] for e in spatial if e.id in shown]


def get_spatial_track(rt: Runtime, body: SpatialTrackId) -> Track:
    """One spatial track, as the tracks tree shows it."""
    return get_track(rt, TrackId(id=find_spatial(rt, body.id).id))


def add_spatial_track(rt: Runtime, body: SpatialTrackAdd) -> Track:
    """Add a spatial track at `position`, heard through `listener`, under `parent` (the main track by default)."""
    parent = rt.tracks.refer(body.parent, "parent")
    listener = rt.listeners.refer(body.listener, "listener")
    routes = _routes(rt, body.sends)
    attenuation = body.attenuation
    builder = engine.SpatialTrackBuilder(
        distances=(body.distances.min, body.distances.max),
        attenuation=None if attenuation is None else convert.easing(attenuation.easing, attenuation.power),
        spatialization_strength=convert.value(rt, body.spatialization_strength, "spatialization_strength"),
        doppler=body.doppler,
        speed_of_sound=body.speed_of_sound,
        volume=convert.value(rt, body.volume, "volume"),
        panning=convert.value(rt, body.panning, "panning"),
        sends={handle: value for handle, value, _id, _given in routes},
        sound_capacity=body.sound_capacity,
        muted=body.muted,
        soloed=body.soloed,
    )
    try:
        handle = rt.manager.add_spatial_sub_track(listener.handle, tuple(body.position), builder, parent=parent.handle)
    except engine.ResourceLimitReached as exc:
        limit = rt.settings.max_tracks
        raise Conflict(
            f"the mixer has room for {limit} sub tracks (MIXDECK_MAX_TRACKS), spatial ones included, and all are "
            "in use; a removed one's room comes back when its fade ends"
        ) from exc
    spatial = SpatialEntry(
        listener,
        (body.distances.min, body.distances.max),
        None if attenuation is None else (attenuation.easing, attenuation.power),
        body.spatialization_strength,
        body.doppler,
        body.speed_of_sound,
    )
    entry = TrackEntry(
        ids.keyed_id("track", handle.key),
        handle,
        parent.id,
        body.sound_capacity,
        {send_id: given for _h, _v, send_id, given in routes},
        spatial,
    )
    rt.tracks.add(entry)
    return get_track(rt, TrackId(id=entry.id))


def set_spatial_track(rt: Runtime, body: SpatialTrackPatchRequest) -> Track:
    """Change a sub track's fields, the position and the strength, all or nothing, at once or over a tween."""
    entry = find_spatial(rt, body.id)
    assert entry.spatial is not None
    tween = convert.tween(rt, body.tween)
    # Everything is checked before anything is sent, and the queue must have room for all of it.
    position = None if body.position is None else check_position("position", body.position)
    strength = None
    if body.spatialization_strength is not None:
        strength = check_value(
            "spatialization_strength",
            convert.value(rt, body.spatialization_strength, "spatialization_strength"),
            STRENGTH.low,
            STRENGTH.high,
        )
    track_fields = {name: getattr(body, name) for name in TrackPatchRequest.model_fields}
    mixer_changes = sum(track_fields[name] is not None for name in ("volume", "panning", "muted", "soloed"))
    mixer_changes += len(body.sends or {})
    ensure_room(rt, mixer_changes + (position is not None) + (strength is not None))
    if mixer_changes:
        set_track(rt, TrackPatchRequest(**track_fields))
    if position is not None:
        entry.handle.set_position(position, tween)
    if strength is not None:
        entry.handle.set_spatialization_strength(strength, tween)
        entry.spatial.strength = body.spatialization_strength
    return get_track(rt, TrackId(id=entry.id))


def remove_spatial_track(rt: Runtime, body: SpatialTrackRemove) -> None:
    """Fade a spatial track out and remove it, with its sub tracks and the voices playing on them."""
    entry = find_spatial(rt, body.id)
    remove_track(rt, TrackRemove(id=entry.id, fade=body.fade))


def scene(rt: Runtime) -> Scene:
    """Every listener, and where every spatial track is: the `spatial` topic."""
    return Scene(listeners=list_listeners(rt), tracks=[place_out(e) for e in spatial_entries(rt)])
