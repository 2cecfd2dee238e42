"""Operations on listeners: add, list, get, move and turn (tweened), remove.

A listener is where spatial tracks are heard from. Removing one leaves the
spatial tracks that heard through it silent, as in Kira; they stay, with
`listener` null, until they are removed.
"""

from __future__ import annotations

import math
from typing import Any

from mixdeck import engine
from mixdeck.engine.spatial.geometry import IDENTITY, check_orientation, check_position, from_yaw_pitch_roll

from .. import ids
from ..errors import Conflict
from ..models.spatial import (
    Listener,
    ListenerAdd,
    ListenerId,
    ListenerPatchRequest,
    Orientation,
    OrientationIn,
)
from ..runtime import ListenerEntry, Runtime
from . import convert
from .mixer import ensure_room


def quaternion_of(model: OrientationIn, field: str = "orientation") -> tuple[float, float, float, float]:
    """The unit quaternion (x, y, z, w) an orientation stands for, checked as the engine checks it."""
    if model.quaternion is not None:
        return check_orientation(f"{field}.quaternion", model.quaternion)
    return from_yaw_pitch_roll(model.yaw or 0.0, model.pitch or 0.0, model.roll or 0.0)


def orientation_out(q: tuple[float, ...]) -> Orientation:
    """A quaternion both ways: itself, and the yaw, pitch and roll (degrees) that `from_yaw_pitch_roll` takes.

    The turn is yaw about +Y, then pitch about +X, then roll about -Z; looking
    straight up or down (pitch ±90) leaves yaw and roll one turn between
    them, which is reported as yaw with no roll.
    """
    x, y, z, w = q
    norm = math.sqrt(x * x + y * y + z * z + w * w) or 1.0
    x, y, z, w = x / norm, y / norm, z / norm, w / norm
    r02, r22 = 2 * (x * z + y * w), 1 - 2 * (x * x + y * y)
    r10, r11, r12 = 2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)
    pitch = math.asin(max(-1.0, min(1.0, -r12)))
    if math.cos(pitch) > 1e-6:
        yaw, roll = math.atan2(r02, r22), -math.atan2(r10, r11)
    else:
        r00, r20 = 1 - 2 * (y * y + z * z), 2 * (x * z - y * w)
        yaw, roll = math.atan2(-r20, r00), 0.0
    return Orientation(
        quaternion=[x, y, z, w],
        yaw=_degrees(yaw),
        pitch=_degrees(pitch),
        roll=_degrees(roll),
    )


def _degrees(radians: float) -> float:
    # Rounded so that a listener turned by 90 reads 90, not 89.99999999999999; +0.0 makes -0.0 plain 0.
    value = round(math.degrees(radians), 9) + 0.0
    return 180.0 if value == -180.0 else value


def listener_out(rt: Runtime, entry: ListenerEntry) -> Listener:
    h = entry.handle
    rt.tracks.prune()
    heard = [t.id for t in rt.tracks.values() if t.spatial is not None and t.spatial.listener is entry]
    return Listener(
        id=entry.id,
        position=[float(v) for v in h.position],
        orientation=orientation_out(tuple(h.orientation)),
        tracks=heard,
    )


def list_listeners(rt: Runtime) -> list[Listener]:
    """Every listener, oldest first."""
    rt.listeners.prune()
    return [listener_out(rt, e) for e in rt.listeners.values()]


def get_listener(rt: Runtime, body: ListenerId) -> Listener:
    """One listener."""
    return listener_out(rt, rt.listeners.find(body.id))


def add_listener(rt: Runtime, body: ListenerAdd) -> Listener:
    """Add a listener at `position`, facing `orientation` (towards -Z when none is given)."""
    orientation = IDENTITY if body.orientation is None else quaternion_of(body.orientation)
    try:
        handle = rt.manager.add_listener(tuple(body.position), orientation)
    except engine.ResourceLimitReached as exc:
        limit = rt.settings.max_listeners
        raise Conflict(
            f"there is room for {limit} listeners (MIXDECK_MAX_LISTENERS) and all are in use; remove one to make room"
        ) from exc
    entry = rt.listeners.add(ListenerEntry(ids.keyed_id("listener", handle.key), handle))
    return listener_out(rt, entry)


def set_listener(rt: Runtime, body: ListenerPatchRequest) -> Listener:
    """Move and turn a listener, all or nothing, at once or over a tween."""
    entry = rt.listeners.find(body.id)
    tween = convert.tween(rt, body.tween)
    # Checked before anything is sent, and with room for both, so a bad value or a full queue changes nothing.
    position = None if body.position is None else check_position("position", body.position)
    orientation = None if body.orientation is None else quaternion_of(body.orientation)
    sends: list[Any] = []
    if position is not None:
        sends.append(lambda: entry.handle.set_position(position, tween))
    if orientation is not None:
        sends.append(lambda: entry.handle.set_orientation(orientation, tween))
    ensure_room(rt, len(sends))
    for send in sends:
        send()
    return listener_out(rt, entry)


def remove_listener(rt: Runtime, body: ListenerId) -> None:
    """Remove a listener; the spatial tracks that heard through it fall silent (they stay until removed)."""
    entry = rt.listeners.find(body.id)
    entry.handle.remove()
    del rt.listeners[entry.id]
