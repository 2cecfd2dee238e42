"""Operations on the main track (the final mix)."""

from __future__ import annotations

from ..models.main_track import MainTrack, MainTrackPatch, Meters
from ..runtime import Runtime
from . import convert, mixer


def meters(rt: Runtime) -> Meters:
    return mixer.meters(rt.manager.main_track)


def get_main_track(rt: Runtime) -> MainTrack:
    return MainTrack(volume=float(rt.manager.main_track.volume), meters=meters(rt))


def set_main_track(rt: Runtime, body: MainTrackPatch) -> MainTrack:
    rt.manager.main_track.set_volume(body.volume, convert.tween(rt, body.tween))
    return get_main_track(rt)
