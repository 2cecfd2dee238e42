"""The delay's timing: echoes land exactly a delay after the sound they repeat, with or without effects in the loop."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal as sig

from mixdeck.engine.effect import DelayBuilder, FilterBuilder, VolumeControlBuilder
from tests.engine.effects.harness import RATE, build, noise, run, sine


@pytest.mark.parametrize("chunk", [128, 512])
@pytest.mark.parametrize("frames", [48, 100, 127, 128, 129, 511, 512, 513, 12_000])
def test_delay_output_is_the_input_shifted_by_exactly_the_delay_time(frames, chunk):
    builder = DelayBuilder(delay_time=frames / RATE, feedback=-60.0, mix=1.0, max_delay_time=0.5).check()
    signal = noise(0.4, peak=1.0)
    out = run(build(builder, chunk=chunk), signal, builder=builder, chunk=chunk)
    assert not np.any(out[:, :frames])
    assert np.array_equal(out[:, frames:], signal[:, :-frames])


def test_a_delay_time_in_seconds_that_is_not_exact_in_binary_still_shifts_by_whole_frames():
    builder = DelayBuilder(delay_time=0.0125, feedback=-100.0, mix=1.0, max_delay_time=1.0)  # 600 frames
    signal = noise(0.1)
    assert np.array_equal(run(build(builder), signal, builder=builder)[:, 600:], signal[:, :-600])


def _echoes(signal: np.ndarray, frames: int, feedback_db: float, loop=lambda x: x) -> np.ndarray:
    """The reference: out[n] = loop(line[n - frames]), line[n] = input[n] + feedback * out[n], line in float32."""
    gain = 10.0 ** (feedback_db / 20.0)
    n = signal.shape[1]
    line = np.zeros((2, n), dtype=np.float32)
    out = np.zeros((2, n))
    for at in range(0, n, frames):
        block = slice(at, min(at + frames, n))
        if at >= frames:
            out[:, block] = loop(line[:, at - frames:block.stop - frames].astype(np.float64))
        line[:, block] = (signal[:, block] + gain * out[:, block]).astype(np.float32)
    return out


def test_each_echo_is_the_one_before_turned_down_by_the_feedback():
    frames = 700
    builder = DelayBuilder(delay_time=frames / RATE, feedback=-6.0, mix=1.0, max_delay_time=0.1)
    signal = noise(0.5)
    out = run(build(builder), signal, builder=builder)
    assert np.allclose(out, _echoes(signal, frames, -6.0), atol=1e-6)


@pytest.mark.parametrize("frames", [48, 100, 300, 1000])
def test_effects_in_the_loop_process_every_echo_exactly_one_delay_apart(frames):
    """With a delay shorter than the chunk, the loop runs in sub-blocks: the timing stays exact."""
    builder = DelayBuilder(delay_time=frames / RATE, feedback=-3.0, mix=1.0, max_delay_time=0.1,
                           feedback_effects=[VolumeControlBuilder(volume=-6.0)]).check()
    signal = noise(0.3)
    out = run(build(builder), signal, builder=builder)
    half = 10.0 ** (-6.0 / 20.0)
    assert np.allclose(out, _echoes(signal, frames, -3.0, loop=lambda x: x * half), atol=1e-6)


def test_a_filter_in_the_loop_darkens_each_echo_as_its_design_says():
    frames = 150
    builder = DelayBuilder(delay_time=frames / RATE, feedback=-2.0, mix=1.0, max_delay_time=0.1,
                           feedback_effects=[FilterBuilder(cutoff=2000.0, resonance=0.3)]).check()
    signal = noise(0.1)
    out = run(build(builder), signal, builder=builder)
    w = 2 * RATE * np.tan(np.pi * 2000.0 / RATE)
    k = 2.0 - 1.9 * 0.3
    b, a = sig.bilinear([w * w], [1.0, k * w, w * w], fs=RATE)
    state = [np.zeros(2), np.zeros(2)]

    def loop(block):  # the low-pass, carried on from one block of echoes to the next
        result = np.empty_like(block)
        for ch in range(2):
            result[ch], state[ch] = sig.lfilter(b, a, block[ch], zi=state[ch])
        return result

    assert np.allclose(out, _echoes(signal, frames, -2.0, loop), atol=1e-5)


def test_moving_the_delay_time_bends_the_pitch_without_a_click():
    builder = DelayBuilder(delay_time=0.05, feedback=-60.0, mix=1.0, max_delay_time=0.2)
    frames = int(1.0 * RATE)
    rows = np.empty((3, frames))
    rows[0] = np.linspace(0.05, 0.10, frames)  # the read head slows to 0.95 of the tape's speed
    rows[1] = -60.0
    rows[2] = 1.0
    out = run(build(builder), sine(1000.0, 1.0, 0.5), rows)
    steady = out[0, int(0.2 * RATE):]
    crossings = np.count_nonzero(np.diff(np.signbit(steady)))
    assert crossings / 2 / (steady.size / RATE) == pytest.approx(950.0, rel=0.005)
    assert np.max(np.abs(np.diff(steady))) <= 2 * np.pi * 1000.0 / RATE * 0.5 * 1.001
