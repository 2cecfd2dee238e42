"""Operations on clocks: add, list, get, set speed, start, pause, stop, remove."""

from __future__ import annotations

from typing import Any

from mixdeck import engine

from .. import ids
from ..models.clocks import Clock, ClockAdd, ClockId, ClockPatchRequest, ClockSpeed
from ..runtime import ClockEntry, Runtime
from . import convert


def _speed(model: ClockSpeed) -> tuple[Any, dict[str, float]]:
    if model.ticks_per_minute is not None:
        return engine.ClockSpeed.ticks_per_minute(model.ticks_per_minute), {"ticks_per_minute": model.ticks_per_minute}
    if model.ticks_per_second is not None:
        return engine.ClockSpeed.ticks_per_second(model.ticks_per_second), {"ticks_per_second": model.ticks_per_second}
    assert model.seconds_per_tick is not None
    return engine.ClockSpeed.seconds_per_tick(model.seconds_per_tick), {"seconds_per_tick": model.seconds_per_tick}


def clock_out(entry: ClockEntry) -> Clock:
    h = entry.handle
    t = h.time()
    return Clock(
        id=entry.id,
        ticking=bool(h.ticking),
        ticks=int(t.ticks),
        fraction=float(t.fraction),
        speed=dict(entry.speed),
    )


def add_clock(rt: Runtime, body: ClockAdd) -> Clock:
    speed, shown = _speed(body.speed)
    # One command adds the clock already ticking: a full queue leaves no clock behind.
    handle = rt.manager.add_clock(speed, start=body.start)
    entry = ClockEntry(ids.keyed_id("clock", handle.key), handle, shown)
    rt.clocks.add(entry)
    return clock_out(entry)


def list_clocks(rt: Runtime) -> list[Clock]:
    return [clock_out(e) for e in rt.clocks.values()]


def get_clock(rt: Runtime, body: ClockId) -> Clock:
    return clock_out(rt.clocks.find(body.id))


def set_clock(rt: Runtime, body: ClockPatchRequest) -> Clock:
    entry = rt.clocks.find(body.id)
    speed, shown = _speed(body.speed)
    entry.handle.set_speed(speed, convert.tween(rt, body.tween))
    entry.speed = shown
    return clock_out(entry)


def start_clock(rt: Runtime, body: ClockId) -> Clock:
    entry = rt.clocks.find(body.id)
    entry.handle.start()
    return clock_out(entry)


def pause_clock(rt: Runtime, body: ClockId) -> Clock:
    entry = rt.clocks.find(body.id)
    entry.handle.pause()
    return clock_out(entry)


def stop_clock(rt: Runtime, body: ClockId) -> Clock:
    entry = rt.clocks.find(body.id)
    entry.handle.stop()
    return clock_out(entry)


def remove_clock(rt: Runtime, body: ClockId) -> None:
    entry = rt.clocks.find(body.id)
    entry.handle.remove()
    del rt.clocks[body.id]
