"""The compressor's static curve and the limiter's ceiling."""

from __future__ import annotations

import numpy as np
import pytest

from mixdeck.engine.effect import CompressorBuilder, LimiterBuilder
from tests.engine.effects.harness import CHUNK, RATE, build, noise, ramp_rows, run, sine


def _static_curve(level: float, threshold: float, ratio: float, makeup: float) -> float:
    """Output level in dB for a steady input level in dB: the hard-knee curve."""
    over = max(level - threshold, 0.0)
    return level - over + over / ratio + makeup


@pytest.mark.parametrize("threshold, ratio, makeup", [(-20.0, 4.0, 3.0), (-30.0, 2.0, 0.0), (-10.0, 20.0, 6.0)])
@pytest.mark.parametrize("level", [-40.0, -25.0, -18.0, -12.0, -6.0, 0.0, 6.0])
def test_compressor_steady_state_gain_follows_its_static_curve(level, threshold, ratio, makeup):
    """A sine's peak level, with a detector quick to catch peaks (1 ms) and slow to let go (0.5 s)."""
    builder = CompressorBuilder(threshold=threshold, ratio=ratio, attack=0.001, release=0.5,
                                makeup_gain=makeup).check()
    signal = sine(997.0, 1.5, 10.0 ** (level / 20.0))
    out = run(build(builder), signal, builder=builder)
    settled = slice(int(1.2 * RATE), None)
    gain = 20 * np.log10(np.abs(out[:, settled]).max() / np.abs(signal[:, settled]).max())
    expected = _static_curve(level, threshold, ratio, makeup) - level
    assert gain == pytest.approx(expected, abs=0.5)


@pytest.mark.parametrize("level", [-30.0, -12.0, -3.0])
def test_compressor_gain_on_a_steady_level_is_its_static_curve_exactly(level):
    """With Kira's default attack and release, a constant level settles on the curve itself."""
    builder = CompressorBuilder(threshold=-20.0, ratio=3.0, makeup_gain=2.0)
    signal = np.full((2, RATE), 10.0 ** (level / 20.0), dtype=np.float32)
    out = run(build(builder), signal, builder=builder)
    gain = 20 * np.log10(out[0, -1] / signal[0, -1])
    assert gain == pytest.approx(_static_curve(level, -20.0, 3.0, 2.0) - level, abs=1e-3)


def test_compressor_attack_and_release_take_their_time_constants():
    builder = CompressorBuilder(threshold=-20.0, ratio=100.0, attack=0.01, release=0.1)
    depth = -20.0 * (1 - 1 / 100.0)  # 20 dB over: the full gain reduction
    step = np.concatenate([np.full(RATE, 1.0), np.full(RATE, 10 ** (-20 / 20))])
    out = run(build(builder), np.vstack([step, step]).astype(np.float32), builder=builder)[0]
    reduction = 20 * np.log10(out / step)
    tau = int(0.01 * RATE)
    assert reduction[tau] == pytest.approx(depth * (1 - np.exp(-1)), abs=0.05)
    tau = int(0.1 * RATE)
    assert reduction[RATE + tau] == pytest.approx(depth * np.exp(-1), abs=0.05)


def test_compressor_with_ratio_one_leaves_the_sound_unchanged():
    builder = CompressorBuilder(threshold=-40.0, ratio=1.0)
    signal = noise(0.3)
    assert np.allclose(run(build(builder), signal, builder=builder), signal, rtol=1e-6, atol=0)


def _ceiling(builder: LimiterBuilder) -> float:
    return 10.0 ** (builder.ceiling / 20.0)


@pytest.mark.parametrize("lookahead", [0.0, 0.001, 0.005, 0.05])
@pytest.mark.parametrize("ceiling", [-30.0, -6.0, -1.0, 0.0])
def test_limiter_output_never_exceeds_its_ceiling_on_loud_noise(ceiling, lookahead):
    builder = LimiterBuilder(ceiling=ceiling, release=0.05, lookahead=lookahead).check()
    rng = np.random.default_rng(11)
    gaussian = rng.normal(0.0, 2.0, size=(2, RATE)).astype(np.float32)
    bursts = noise(1.0, peak=8.0, seed=3) * (np.arange(RATE) % 7000 < 300)
    out = run(build(builder), np.concatenate([gaussian, bursts.astype(np.float32)], axis=1), builder=builder)
    assert np.max(np.abs(out.astype(np.float64))) <= _ceiling(builder)


def test_limiter_holds_the_ceiling_while_it_moves():
    builder = LimiterBuilder(ceiling=-1.0)
    frames = 2 * RATE
    rows = ramp_rows(builder, frames, "ceiling", -1.0, -18.0, RATE // 2, RATE)
    out = run(build(builder), noise(2.0, peak=4.0), rows)
    delay = round(builder.lookahead * RATE)
    allowed = 10.0 ** (rows[0, : frames - delay] / 20.0)  # each frame plays a lookahead after it entered
    assert np.all(np.abs(out[:, delay:].astype(np.float64)) <= allowed)


@pytest.mark.parametrize("lookahead", [0.0, 0.002, 0.005])
def test_limiter_passes_quiet_signals_unchanged_after_its_lookahead(lookahead):
    builder = LimiterBuilder(ceiling=-1.0, lookahead=lookahead)
    delay = round(lookahead * RATE)
    signal = noise(1.0, peak=10.0 ** (-1.5 / 20.0))
    out = run(build(builder), signal, builder=builder)
    assert not np.any(out[:, :delay])
    assert np.array_equal(out[:, delay:], signal[:, :signal.shape[1] - delay])


def test_limiter_lets_go_after_a_peak_and_passes_quiet_audio_bit_for_bit_again():
    builder = LimiterBuilder(ceiling=-6.0, release=0.02)
    delay = round(builder.lookahead * RATE)
    quiet = noise(1.0, peak=0.25, seed=4)
    signal = np.concatenate([noise(0.2, peak=4.0), quiet], axis=1)
    out = run(build(builder), signal, builder=builder)
    recovered = int(0.2 * RATE) + int(0.5 * RATE)  # well past the hold and 25 release time constants
    assert np.array_equal(out[:, recovered + delay:], signal[:, recovered:signal.shape[1] - delay])


def test_limiter_turns_a_peak_down_in_a_ramp_not_a_step():
    builder = LimiterBuilder(ceiling=-6.0, release=0.1, lookahead=0.005)
    level = np.full((2, RATE // 2), 0.25, dtype=np.float32)
    level[:, RATE // 4] = 2.0  # one loud frame in a steady level
    out = run(build(builder), level, builder=builder).astype(np.float64)
    gain = out[0, round(0.005 * RATE):] / level[0, : out.shape[1] - round(0.005 * RATE)]
    steps = np.abs(np.diff(gain))
    assert steps.max() < 2.0 / (round(0.005 * RATE) + 1)
    assert gain.min() == pytest.approx(10 ** (-6 / 20) / 2.0, rel=1e-5)


def test_limiter_reports_its_lookahead_as_latency_and_tail():
    builder = LimiterBuilder(lookahead=0.01)
    dsp = build(builder, chunk=CHUNK)
    assert dsp.latency_frames == 480
    assert type(dsp).tail_seconds(builder, RATE) == pytest.approx(0.01)
