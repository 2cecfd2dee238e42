"""What the main track, sub tracks and send tracks share: meters, and changes to levels and flags."""

from __future__ import annotations

from typing import Any

from ..errors import RETRY_AFTER_SECONDS, Busy
from ..models.main_track import Meters
from ..runtime import Runtime
from . import convert


def meters(handle: Any) -> Meters:
    """A track's meters (amplitudes, per channel) from its handle."""
    m = handle.meters
    return Meters(peak=[float(v) for v in m["peak"]], rms=[float(v) for v in m["rms"]])


def changes(rt: Runtime, body: Any) -> dict[str, Any]:
    """A body's volume, panning, mute and solo, converted (and checked), for a track handle's ``set``."""
    out: dict[str, Any] = {"tween": convert.tween(rt, body.tween)}
    if body.volume is not None:
        out["volume"] = convert.value(rt, body.volume, "volume")
    if body.panning is not None:
        out["panning"] = convert.value(rt, body.panning, "panning")
    if body.muted is not None:
        out["muted"] = bool(body.muted)
    if body.soloed is not None:
        out["soloed"] = bool(body.soloed)
    return out


def ensure_room(rt: Runtime, commands: int) -> None:
    """Refuse (503) a change of `commands` separate sends that the command queue has no room for all of.

    The handles send each of some changes on its own (an effect's bypass and
    its place, a spatial track's position); checking the room first keeps a
    PATCH of several all or nothing. The queue only drains meanwhile: the
    event loop is the only sender.
    """
    manager = rt.manager
    if commands > 1 and manager.command_capacity - manager.command_queue_depth < commands:
        raise Busy(
            "the engine's command queue is full; retry shortly", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
