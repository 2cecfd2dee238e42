"""What the main track, sub tracks and send tracks share: meters, levels, flags, and changes sent all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mixdeck import engine

from ..models.main_track import Meters
from ..runtime import Runtime
from . import convert

Call = Callable[[], None]


def meters(handle: Any) -> Meters:
    """A track's meters (amplitudes, per channel) from its handle."""
    m = handle.meters
    return Meters(peak=[float(v) for v in m["peak"]], rms=[float(v) for v in m["rms"]])


def level_calls(rt: Runtime, handle: Any, body: Any, tween: Any) -> list[Call]:
    """The engine calls for a body's `volume` and `panning`, each converted (and checked) now."""
    calls: list[Call] = []
    if body.volume is not None:
        volume = convert.value(rt, body.volume, "volume")
        calls.append(lambda: handle.set_volume(volume, tween))
    if body.panning is not None:
        panning = convert.value(rt, body.panning, "panning")
        calls.append(lambda: handle.set_panning(panning, tween))
    return calls


def flag_calls(handle: Any, body: Any) -> list[Call]:
    """The engine calls for a body's `muted` and `soloed`."""
    calls: list[Call] = []
    if body.muted is not None:
        muted = bool(body.muted)
        calls.append(lambda: handle.set_muted(muted))
    if body.soloed is not None:
        soloed = bool(body.soloed)
        calls.append(lambda: handle.set_soloed(soloed))
    return calls


def send_together(rt: Runtime, calls: list[Call]) -> None:
    """Make several engine calls all or nothing.

    A track's handle sends each change as a command of its own. Every value
    is converted before this, so only a full command queue could stop a call
    halfway; the room is checked first, and since only the event loop sends
    commands while the audio thread only makes room, none of them then fails.
    """
    m = rt.manager
    if m.command_capacity - m.command_queue_depth < len(calls):
        raise engine.CommandQueueFull(m.command_capacity)
    for call in calls:
        call()
