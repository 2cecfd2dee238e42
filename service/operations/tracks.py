"""Operations on the mixer's tracks: the tree, and add, get, set, remove for the main track and sub tracks.

The main track is the tree's root (`main`): it can be read and take volume
and panning like any track, and be muted (silencing the output), but it cannot be soloed, routed or removed.
"""

from __future__ import annotations

from typing import Any

from mixdeck import engine

from .. import ids
from ..errors import Conflict, Invalid
from ..models.tracks import Mixer, Track, TrackAdd, TrackId, TrackPatchRequest, TrackRemove
from ..runtime import Runtime, TrackEntry
from . import convert
from .effects import drop_effects_of, effects_by_track
from .mixer import changes, meters
from .sends import list_sends
from .spatial_details import spatial_out


def _children(rt: Runtime) -> dict[str | None, list[TrackEntry]]:
    """Each track's sub tracks, oldest first, after dropping those the audio thread is done with."""
    rt.tracks.prune()
    rt.sends.prune()
    for entry in rt.tracks.values():
        for gone in [send for send in entry.sends if send not in rt.sends]:
            del entry.sends[gone]
    below: dict[str | None, list[TrackEntry]] = {}
    for entry in rt.tracks.values():
        below.setdefault(entry.parent, []).append(entry)
    return below


def track_out(entry: TrackEntry, below: dict[str | None, list[TrackEntry]], effects: dict[str, list[Any]]) -> Track:
    h = entry.handle
    main = entry.parent is None
    return Track(
        id=entry.id,
        kind="main" if main else "sub",
        parent=entry.parent,
        volume=float(h.volume),
        panning=float(h.panning),
        muted=bool(h.muted),
        soloed=bool(h.soloed),
        audible=bool(h.audible),
        spatial=spatial_out(entry),
        sends=dict(entry.sends),
        sound_capacity=entry.sound_capacity,
        meters=meters(h),
        effects=effects.get(entry.id, []),
        tracks=[track_out(child, below, effects) for child in below.get(entry.id, [])],
    )


def mixer(rt: Runtime) -> Mixer:
    """Every track: the tree from the main track down, and the send tracks."""
    below = _children(rt)
    effects = effects_by_track(rt)
    return Mixer(main=track_out(rt.tracks[ids.MAIN_TRACK], below, effects), sends=list_sends(rt, effects))


def list_tracks(rt: Runtime) -> Mixer:
    """The mixer: the main track with its tree of sub tracks, and the send tracks."""
    return mixer(rt)


def get_track(rt: Runtime, body: TrackId) -> Track:
    """One track (the main track is 'main'), with the sub tracks that feed it."""
    entry = rt.tracks.find(body.id)
    return track_out(entry, _children(rt), effects_by_track(rt))


def _routes(rt: Runtime, sends: dict[str, Any]) -> list[tuple[Any, Any, str, Any]]:
    """(send handle, engine value, send id, value as given) for each route, each send looked up by its field."""
    out = []
    for send_id, level in sends.items():
        field = f"sends.{send_id}"
        send = rt.sends.refer(send_id, field)
        out.append((send.handle, convert.value(rt, level, field), send.id, level))
    return out


def add_track(rt: Runtime, body: TrackAdd) -> Track:
    """Add a sub track under `parent` (the main track by default)."""
    parent = rt.tracks.refer(body.parent, "parent")
    routes = _routes(rt, body.sends)
    builder = engine.TrackBuilder(
        volume=convert.value(rt, body.volume, "volume"),
        panning=convert.value(rt, body.panning, "panning"),
        sends={handle: value for handle, value, _id, _given in routes},
        sound_capacity=body.sound_capacity,
        muted=body.muted,
        soloed=body.soloed,
    )
    try:
        handle = rt.manager.add_sub_track(builder, parent=parent.handle)
    except engine.ResourceLimitReached as exc:
        limit = rt.settings.max_tracks
        raise Conflict(
            f"the mixer has room for {limit} sub tracks (MIXDECK_MAX_TRACKS) and all are in use; "
            "a removed one's room comes back when its fade ends"
        ) from exc
    entry = TrackEntry(
        ids.keyed_id("track", handle.key),
        handle,
        parent.id,
        body.sound_capacity,
        {send_id: given for _h, _v, send_id, given in routes},
    )
    rt.tracks.add(entry)
    return track_out(entry, _children(rt), effects_by_track(rt))


def set_track(rt: Runtime, body: TrackPatchRequest) -> Track:
    """Change volume, panning, mute, solo and routes, all or nothing, at once or over a tween."""
    entry = rt.tracks.find(body.id)
    if entry.parent is None:
        if body.soloed is not None:
            raise Invalid.about("soloed", "the main track cannot be soloed; solo the tracks that feed it")
        if body.sends is not None:
            raise Invalid.about("sends", "the main track has no routes to send tracks; it is the output")
    routes = _routes(rt, body.sends or {})
    more = {"sends": {send: value for send, value, _id, _given in routes}} if routes else {}
    # All or nothing: the handle checks every value and sends the commands together or not at all.
    entry.handle.set(**changes(rt, body), **more)
    entry.sends.update({send_id: given for _h, _v, send_id, given in routes})
    return track_out(entry, _children(rt), effects_by_track(rt))


def _subtree(rt: Runtime, root: str) -> list[str]:
    """`root` and every track below it."""
    found, stack = [], [root]
    while stack:
        ident = stack.pop()
        found.append(ident)
        stack.extend(e.id for e in rt.tracks.values() if e.parent == ident)
    return found


def remove_track(rt: Runtime, body: TrackRemove) -> None:
    """Fade a sub track out and remove it, with its sub tracks and the voices playing on them.

    Its id (and theirs) is unknown from now on; the voices play on through
    the fade, then end with the reason 'track removed'.
    """
    entry = rt.tracks.find(body.id)
    if entry.parent is None:
        raise Conflict.about("id", "the main track cannot be removed")
    fade = None if body.fade is None else engine.Tween(body.fade)
    entry.handle.remove(fade)
    gone = _subtree(rt, entry.id)
    for ident in gone:
        rt.tracks.pop(ident, None)
    drop_effects_of(rt, set(gone))
