"""From API models to engine objects (tweens, start times, values, regions).

Each converter is told where its value sits in the request (`field`), so an
unknown clock or modulator inside a body is reported at that place
(`start_time.clock`, `volume.modulator`), not as the request's id.
"""

from __future__ import annotations

from typing import Any

from mixdeck import engine

from ..errors import Invalid
from ..models import common
from ..runtime import Runtime


def easing(name: str, power: float) -> Any:
    if name == "linear":
        return engine.Easing.LINEAR
    make = getattr(engine.Easing, name)
    return make(int(power)) if name.endswith("powi") else make(float(power))


def clock_time(rt: Runtime, clock_id: str, ticks: int, fraction: float, field: str = "clock") -> Any:
    clock = rt.clocks.refer(clock_id, field)
    return engine.ClockTime(clock.handle.key, ticks, fraction)


def start_time(rt: Runtime, model: common.StartTime | None, field: str = "start_time") -> Any:
    if model is None:
        return engine.StartTime.IMMEDIATE
    if model.clock is not None:
        return engine.StartTime.clock(clock_time(rt, model.clock, model.ticks or 0, model.fraction, f"{field}.clock"))
    if model.delay:
        return engine.StartTime.delayed(model.delay)
    return engine.StartTime.IMMEDIATE


def tween(rt: Runtime, model: common.Tween | None, start: Any = None, field: str = "tween") -> Any:
    """The engine Tween for `model` (None when absent and no `start` is given)."""
    if model is None:
        return None if start is None else engine.Tween(0.0, engine.Easing.LINEAR, start)
    if start is None:
        if model.start_clock is not None:
            c = model.start_clock
            start = engine.StartTime.clock(clock_time(rt, c.clock, c.ticks, c.fraction, f"{field}.start_clock.clock"))
        elif model.start_delay:
            start = engine.StartTime.delayed(model.start_delay)
        else:
            start = engine.StartTime.IMMEDIATE
    return engine.Tween(duration=model.duration, easing=easing(model.easing, model.power), start_time=start)


def value(rt: Runtime, model: float | common.ModulatedValue, field: str = "value", distance: bool = False) -> Any:
    """A plain number passes through; a modulated value becomes Value.modulator (or, where ``distance`` says
    the parameter belongs to a spatial track's effect, Value.from_listener_distance) with its mapping."""
    if not isinstance(model, common.ModulatedValue):
        return float(model)
    assert model.input_range is not None  # the model fills in the default
    mapping = engine.Mapping(
        input_range=tuple(model.input_range),
        output_range=tuple(model.output_range),
        easing=easing(model.easing, model.power),
        clamp_bottom=model.clamp_bottom,
        clamp_top=model.clamp_top,
    )
    if model.listener_distance:
        if not distance:
            raise Invalid.about(
                f"{field}.listener_distance",
                "only the parameters of an effect on a spatial track follow the "
                "listener distance (there is no distance here)",
            )
        return engine.Value.from_listener_distance(mapping)
    modulator = rt.modulators.refer(str(model.modulator), f"{field}.modulator")
    return engine.Value.modulator(modulator.handle, mapping)


def playback_rate(rt: Runtime, model: float | common.ModulatedValue | common.Semitones, field: str) -> Any:
    """A factor (a number or a modulated value) as it is; `{"semitones": …}` as the engine's PlaybackRate."""
    if isinstance(model, common.Semitones):
        return engine.PlaybackRate.semitones(value(rt, model.semitones, f"{field}.semitones"))
    return value(rt, model, field)


def region(model: common.Region | None) -> Any:
    return None if model is None else engine.Region(model.start, model.end)


def region_out(region_obj: Any) -> dict[str, Any] | None:
    """The engine's loop region (a Region or a (start, end) pair of seconds) in API form."""
    if region_obj is None:
        return None
    start, end = (region_obj.start, region_obj.end) if hasattr(region_obj, "start") else region_obj
    return {"start": float(start), "end": None if end is None else float(end)}
