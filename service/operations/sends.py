"""Operations on send tracks: add, list, get, set, remove. Sub tracks route to them (`sends`); they feed the main track."""

from __future__ import annotations

from mixdeck import engine

from .. import ids
from ..errors import Conflict
from ..models.effects import Effect
from ..models.tracks import SendAdd, SendId, SendPatchRequest, SendRemove, SendTrack
from ..runtime import Runtime, SendEntry
from . import convert
from .effects import drop_effects_of, effects_by_track
from .mixer import changes, meters


def send_out(entry: SendEntry, effects: dict[str, list[Effect]]) -> SendTrack:
    h = entry.handle
    return SendTrack(
        id=entry.id,
        volume=float(h.volume),
        panning=float(h.panning),
        muted=bool(h.muted),
        soloed=bool(h.soloed),
        audible=bool(h.audible),
        meters=meters(h),
        effects=effects.get(entry.id, []),
    )


def list_sends(rt: Runtime, effects: dict[str, list[Effect]] | None = None) -> list[SendTrack]:
    """Every send track, oldest first."""
    rt.sends.prune()
    effects = effects_by_track(rt) if effects is None else effects
    return [send_out(e, effects) for e in rt.sends.values()]


def get_send(rt: Runtime, body: SendId) -> SendTrack:
    """One send track."""
    return send_out(rt.sends.find(body.id), effects_by_track(rt))


def add_send(rt: Runtime, body: SendAdd) -> SendTrack:
    """Add a send track; sub tracks route to it with `sends`."""
    builder = engine.SendTrackBuilder(
        volume=convert.value(rt, body.volume, "volume"),
        panning=convert.value(rt, body.panning, "panning"),
        muted=body.muted,
        soloed=body.soloed,
    )
    try:
        handle = rt.manager.add_send_track(builder)
    except engine.ResourceLimitReached as exc:
        limit = rt.settings.max_sends
        raise Conflict(
            f"the mixer has room for {limit} send tracks (MIXDECK_MAX_SENDS) and all are in use; "
            "a removed one's room comes back when its fade ends"
        ) from exc
    entry = rt.sends.add(SendEntry(ids.keyed_id("send", handle.key), handle))
    return send_out(entry, {})


def set_send(rt: Runtime, body: SendPatchRequest) -> SendTrack:
    """Change volume, panning, mute and solo, all or nothing, at once or over a tween."""
    entry = rt.sends.find(body.id)
    entry.handle.set(**changes(rt, body))
    return send_out(entry, effects_by_track(rt))


def remove_send(rt: Runtime, body: SendRemove) -> None:
    """Fade a send track out and remove it; the routes to it go with it.

    Its id is unknown from now on, and it leaves every track's `sends` at once.
    """
    entry = rt.sends.find(body.id)
    entry.handle.remove(None if body.fade is None else engine.Tween(body.fade))
    del rt.sends[entry.id]
    drop_effects_of(rt, {entry.id})
    for track in rt.tracks.values():
        track.sends.pop(entry.id, None)
