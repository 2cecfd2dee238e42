"""What every effect promises, whatever its kind: the contract the mixer builds on."""

from __future__ import annotations

import dataclasses
import math
import tracemalloc

import numpy as np
import pytest

from mixdeck.engine import InvalidValue, Key, Mapping, Value
from mixdeck.engine.effect import KINDS, DelayBuilder, FilterBuilder, build_dsp
from mixdeck.engine.effect.memory import allocate
from tests.engine.effects.cases import CASES
from tests.engine.effects.harness import (
    CHUNK,
    RATE,
    build,
    constant_rows,
    max_step,
    noise,
    ramp_rows,
    run,
    silence,
    sine,
)

CASE_IDS = list(CASES)
WITH_MIX = [name for name, b in CASES.items() if "mix" in [s.name for s in type(b).SPECS]]

# Each parameter's tween in the no-zipper test: from, to. A delay-time tween bends the pitch by its
# slope, as a tape delay does; this one's slope is 2 %.
TWEENS = {
    "filter": {"cutoff": (300.0, 3000.0), "resonance": (0.0, 0.9), "mix": (0.0, 1.0)},
    "eq_filter": {"frequency": (200.0, 4000.0), "gain": (-12.0, 12.0), "q": (0.5, 4.0), "mix": (0.0, 1.0)},
    "delay": {"delay_time": (None, 0.002), "feedback": (-12.0, -3.0), "mix": (0.0, 1.0)},
    "reverb": {"feedback": (0.5, 0.95), "damping": (0.0, 0.9), "stereo_width": (0.0, 1.0), "mix": (0.0, 1.0)},
    "distortion": {"drive": (0.0, 24.0), "mix": (0.0, 1.0)},
    "compressor": {"threshold": (-10.0, -30.0), "ratio": (1.0, 8.0), "attack": (0.001, 0.05),
                   "release": (0.02, 0.5), "makeup_gain": (0.0, 12.0), "mix": (0.0, 1.0)},
    "panning_control": {"panning": (-1.0, 1.0)},
    "volume_control": {"volume": (-24.0, 6.0)},
    "limiter": {"ceiling": (-1.0, -12.0), "release": (0.01, 0.5)},
}
TWEEN_CASES = [(name, param) for name, b in CASES.items() for param in TWEENS[type(b).KIND]]


def _kind(name: str) -> str:
    return type(CASES[name]).KIND


def test_every_kind_has_a_builder_and_an_audio_thread_class_with_matching_parameters():
    assert set(KINDS) == {"filter", "eq_filter", "delay", "reverb", "distortion", "compressor",
                          "panning_control", "volume_control", "limiter"}
    for kind, (builder_class, dsp_class) in KINDS.items():
        assert builder_class.KIND == kind
        assert dsp_class.PARAMS == tuple(spec.name for spec in builder_class.SPECS)
        assert builder_class.__doc__ and dsp_class.process.__doc__


@pytest.mark.parametrize("name", CASE_IDS)
def test_silence_in_gives_silence_out_after_the_tail(name):
    builder = CASES[name]
    tail = type(build(builder)).tail_seconds(builder, RATE)
    assert math.isfinite(tail)
    dsp = build(builder)
    assert not np.any(run(dsp, silence(0.2), builder=builder)), "silence from the start stays silent"
    signal = np.concatenate([noise(0.3), silence(tail + 0.25)], axis=1)
    out = run(dsp, signal, builder=builder)
    quiet_from = int(0.3 * RATE) + math.ceil(tail * RATE)
    assert np.any(out[:, :quiet_from])
    assert not np.any(out[:, quiet_from:]), f"still sounding {np.max(np.abs(out[:, quiet_from:])):.3g}"


def _at_ends(builder, end: str):
    specs = type(builder).SPECS
    changes = {s.name: (s.low if end == "low" else s.high) for s in specs}
    if isinstance(builder, DelayBuilder):
        changes["max_delay_time"] = changes["delay_time"]
    return dataclasses.replace(builder, **changes)


@pytest.mark.parametrize("end", ["as_given", "low", "high"])
@pytest.mark.parametrize("name", CASE_IDS)
def test_output_is_finite_for_full_scale_noise(name, end):
    builder = CASES[name] if end == "as_given" else _at_ends(CASES[name], end)
    signal = np.concatenate([noise(1.0, peak=1.0), noise(0.2, peak=100.0, seed=2)], axis=1)
    out = run(build(builder), signal, builder=builder)
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("name", WITH_MIX)
def test_mix_zero_is_bit_exact_dry(name):
    builder = dataclasses.replace(CASES[name], mix=0.0)
    signal = noise(0.5, peak=1.0)
    held = run(build(builder), signal, builder=builder)
    moving = run(build(builder), signal, builder=builder, flag_all=True)
    assert np.array_equal(held.view(np.uint32), signal.view(np.uint32))
    assert np.array_equal(moving.view(np.uint32), signal.view(np.uint32))


@pytest.mark.parametrize("name", ["volume_control", "panning_control"])
def test_a_gain_of_unity_is_bit_exact(name):
    builder = dataclasses.replace(CASES[name], **{type(CASES[name]).SPECS[0].name: 0.0})
    signal = noise(0.2)
    assert np.array_equal(run(build(builder), signal, builder=builder), signal)


@pytest.mark.parametrize("name, param", TWEEN_CASES)
def test_a_parameter_tween_makes_no_step_larger_than_the_signals_own(name, param):
    builder = CASES[name]
    begin, end = TWEENS[_kind(name)][param]
    if param == "delay_time":
        begin, end = builder.delay_time, builder.delay_time + end
    frames = int(1.6 * RATE)
    first = int(1.2 * RATE)
    last = first + 8 * CHUNK  # the tween spans eight chunks
    left = sine(220.0, 1.6, 0.25)[0] + sine(1375.0, 1.6, 0.2)[0]
    right = np.roll(left, 37)
    signal = np.vstack([left, right]).astype(np.float32)
    region = slice(first - 1, last + CHUNK)
    tweened = run(build(builder), signal, ramp_rows(builder, frames, param, begin, end, first, last))
    # The signal's own steps: the output with the parameter held at points along the tween's way,
    # close enough in frequency not to miss a resonant peak passing one of the sines.
    spec = next(s for s in type(builder).SPECS if s.name == param)
    along = np.geomspace(begin, end, 97) if spec.unit == "Hz" else np.linspace(begin, end, 17)
    own = max(
        max_step(run(build(builder), signal, ramp_rows(builder, frames, param, v, v, first, last))[:, region])
        for v in along)
    assert max_step(tweened[:, region]) <= 1.1 * own + 1e-6


def test_the_step_measure_tells_a_zipper_from_a_tween():
    """The measure above has teeth: a volume moved in one step per chunk fails it."""
    builder = CASES["volume_control"]
    frames, first = int(0.5 * RATE), int(0.2 * RATE)
    last = first + 8 * CHUNK
    signal = sine(220.0, 0.5, 0.4)
    smooth = ramp_rows(builder, frames, "volume", -24.0, 6.0, first, last)
    stepped = smooth.copy()
    for at in range(0, frames, CHUNK):
        stepped[:, at:at + CHUNK] = smooth[:, at:at + 1]
    region = slice(first - 1, last + CHUNK)
    own = max_step(run(build(builder), signal, ramp_rows(builder, frames, "volume", 6.0, 6.0, first, last))[:, region])
    assert max_step(run(build(builder), signal, smooth)[:, region]) <= 1.1 * own
    assert max_step(run(build(builder), signal, stepped)[:, region]) > 1.5 * own


@pytest.mark.parametrize("name", CASE_IDS)
def test_a_constant_row_flagged_as_changing_gives_the_same_output(name):
    builder = CASES[name]
    signal = noise(0.3, peak=0.5)
    assert np.array_equal(run(build(builder), signal, builder=builder),
                          run(build(builder), signal, builder=builder, flag_all=True))


@pytest.mark.parametrize("name", CASE_IDS)
def test_process_reads_and_writes_only_the_frames_it_is_given(name):
    builder = CASES[name]
    dsp, fresh = build(builder), build(builder)
    signal = noise(CHUNK / RATE, peak=0.5)
    buffer = signal.copy()
    values = constant_rows(builder, CHUNK)
    values[:, :100] = np.nan
    values[:, 300:] = np.nan
    dsp.process(buffer, 100, 300, values, np.zeros(values.shape[0], dtype=np.uint8))
    assert np.array_equal(buffer[:, :100], signal[:, :100])
    assert np.array_equal(buffer[:, 300:], signal[:, 300:])
    expected = signal.copy()
    fresh.process(expected, 100, 300, constant_rows(builder, CHUNK), np.zeros(values.shape[0], dtype=np.uint8))
    assert np.array_equal(buffer, expected)


@pytest.mark.parametrize("name", CASE_IDS)
def test_splitting_chunks_anywhere_gives_the_same_output(name):
    builder = CASES[name]
    signal = noise(4 * CHUNK / RATE, peak=0.5)
    whole = run(build(builder), signal, builder=builder)
    dsp = build(builder)
    out = signal.copy()
    rows = constant_rows(builder, CHUNK)
    flags = np.zeros(rows.shape[0], dtype=np.uint8)
    buffer = np.zeros((2, CHUNK), dtype=np.float32)
    for at in range(0, signal.shape[1], CHUNK):
        buffer[:] = signal[:, at:at + CHUNK]
        for start, stop in ((0, 1), (1, 97), (97, 400), (400, CHUNK)):
            dsp.process(buffer, start, stop, rows, flags)
        out[:, at:at + CHUNK] = buffer
    assert np.array_equal(out, whole)


@pytest.mark.parametrize("name", CASE_IDS)
def test_reset_forgets_the_signal(name):
    builder = CASES[name]
    dsp = build(builder)
    run(dsp, noise(0.5), builder=builder)
    dsp.reset()
    signal = noise(0.2, seed=5)
    assert np.array_equal(run(dsp, signal, builder=builder), run(build(builder), signal, builder=builder))


@pytest.mark.parametrize("name", CASE_IDS)
def test_process_allocates_nothing(name):
    builder = CASES[name]
    dsp = build(builder)
    buffer = noise(CHUNK / RATE, peak=0.5)
    rows = constant_rows(builder, CHUNK)
    flags = np.ones(rows.shape[0], dtype=np.uint8)
    dsp.process(buffer, 0, CHUNK, rows, flags)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        for _ in range(50):
            dsp.process(buffer, 0, CHUNK, rows, flags)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 1024, f"{peak} bytes"


@pytest.mark.parametrize("name", CASE_IDS)
def test_state_lives_in_the_memory_the_caller_gives(name):
    builder = CASES[name]
    cls = type(build(builder))
    size = cls.memory_bytes(builder, RATE, CHUNK)
    if size == 0:
        return
    memory = allocate(size)
    args = ([build(e) for e in builder.feedback_effects],) if isinstance(builder, DelayBuilder) else ()
    dsp = cls(builder, memory, RATE, CHUNK, *args)
    run(dsp, noise(0.1, peak=4.0), builder=builder)
    assert np.any(memory), "the signal left a trace in the caller's memory"
    with pytest.raises(ValueError):
        cls(builder, allocate(size - 1), RATE, CHUNK, *args)


# --- builders: edges accepted, beyond them refused naming the field

EDGE_CASES = [(kind, spec) for kind, (builder_class, _) in KINDS.items() for spec in builder_class.SPECS]


def _builder(kind: str, /, **fields):
    builder_class = KINDS[kind][0]
    if builder_class is DelayBuilder and "delay_time" in fields and "max_delay_time" not in fields:
        fields["max_delay_time"] = 60.0
    return builder_class(**fields)


@pytest.mark.parametrize("kind, spec", EDGE_CASES, ids=[f"{k}.{s.name}" for k, s in EDGE_CASES])
def test_each_parameter_at_its_edges_is_accepted(kind, spec):
    for edge in (spec.low, spec.high):
        _builder(kind, **{spec.name: edge}).check()
        _builder(kind, **{spec.name: Value.fixed(edge)}).check()
        modulated = Value.modulator(Key("modulator", 0, 1), Mapping(output_range=(spec.low, spec.high)))
        _builder(kind, **{spec.name: modulated}).check()


@pytest.mark.parametrize("kind, spec", EDGE_CASES, ids=[f"{k}.{s.name}" for k, s in EDGE_CASES])
def test_each_parameter_beyond_its_edges_is_refused_naming_it(kind, spec):
    beyond = [math.nextafter(spec.low, -math.inf), math.nextafter(spec.high, math.inf),
              math.nan, math.inf, "1", True, None]
    for value in beyond:
        with pytest.raises(InvalidValue) as error:
            _builder(kind, **{spec.name: value}).check()
        assert error.value.field == spec.name
    modulated = Value.modulator(Key("modulator", 0, 1), Mapping(output_range=(spec.low, spec.high + 1.0)))
    with pytest.raises(InvalidValue) as error:
        _builder(kind, **{spec.name: modulated}).check()
    assert error.value.field.startswith(f"{spec.name}.")


@pytest.mark.parametrize("kind, field", [("filter", "mode"), ("eq_filter", "kind"), ("distortion", "kind")])
def test_an_unknown_choice_is_refused_naming_it(kind, field):
    with pytest.raises(InvalidValue) as error:
        _builder(kind, **{field: "sideways"}).check()
    assert error.value.field == field
    assert "sideways" in str(error.value)


@pytest.mark.parametrize("kind, field, low, high", [
    ("delay", "max_delay_time", 0.001, 60.0),
    ("limiter", "lookahead", 0.0, 0.05),
])
def test_fixed_settings_have_edges_too(kind, field, low, high):
    fields = {"delay_time": 0.001} if kind == "delay" else {}
    for edge in (low, high):
        _builder(kind, **fields, **{field: edge}).check()
    for value in (math.nextafter(low, -math.inf), math.nextafter(high, math.inf)):
        with pytest.raises(InvalidValue) as error:
            _builder(kind, **fields, **{field: value}).check()
        assert error.value.field == field


def test_a_delay_time_beyond_the_line_is_refused():
    with pytest.raises(InvalidValue) as error:
        DelayBuilder(delay_time=2.5, max_delay_time=2.0).check()
    assert error.value.field == "delay_time"


def test_a_feedback_effects_error_names_its_place_in_the_loop():
    with pytest.raises(InvalidValue) as error:
        DelayBuilder(feedback_effects=[FilterBuilder(), FilterBuilder(cutoff=5.0)]).check()
    assert error.value.field == "feedback_effects[1].cutoff"
    with pytest.raises(InvalidValue) as error:
        DelayBuilder(feedback_effects=[DelayBuilder()]).check()
    assert error.value.field == "feedback_effects[0]"


def test_build_checks_the_builder_first():
    with pytest.raises(InvalidValue):
        build_dsp(FilterBuilder(resonance=2.0), RATE, CHUNK)
