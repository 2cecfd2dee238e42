"""The reverb's tail: it decays, it lasts longer with more feedback, it darkens with damping."""

from __future__ import annotations

import numpy as np
import pytest

from mixdeck.engine.effect import ReverbBuilder
from tests.engine.effects.harness import RATE, build, noise, run, silence


def _tail(builder: ReverbBuilder, seconds: float) -> np.ndarray:
    signal = np.concatenate([noise(0.2, peak=0.5), silence(seconds)], axis=1)
    return run(build(builder), signal, builder=builder)[:, int(0.2 * RATE):].astype(np.float64)


def _levels(tail: np.ndarray, window: float = 0.05) -> np.ndarray:
    """RMS in dB of successive windows, both channels."""
    size = int(window * RATE)
    frames = tail.shape[1] // size * size
    blocks = tail[:, :frames].reshape(2, -1, size)
    return 10 * np.log10(np.mean(blocks ** 2, axis=(0, 2)) + 1e-300)


def _decay_time(builder: ReverbBuilder, drop: float = 40.0) -> float:
    """Seconds for the tail to fall ``drop`` dB below its first 50 ms."""
    levels = _levels(_tail(builder, 6.0))
    below = np.nonzero(levels < levels[0] - drop)[0]
    return float(below[0]) * 0.05


def test_reverb_tail_decays():
    levels = _levels(_tail(ReverbBuilder(feedback=0.8, mix=1.0), 2.0), window=0.2)
    assert np.all(np.diff(levels[1:]) < 0)
    assert levels[-1] < levels[1] - 40


def test_reverb_tail_lasts_longer_with_more_feedback():
    times = [_decay_time(ReverbBuilder(feedback=f, mix=1.0)) for f in (0.5, 0.7, 0.85, 0.95)]
    assert times == sorted(times) and len(set(times)) == len(times)


def test_undamped_tail_falls_by_the_feedback_each_trip_round_the_longest_comb():
    """40 dB is an amplitude 100 times smaller: 2 / -log10(feedback) trips of about 37 ms."""
    trip = 1617 / 44_100
    assert _decay_time(ReverbBuilder(feedback=0.95, damping=0.0, mix=1.0)) == pytest.approx(
        2 / -np.log10(0.95) * trip, rel=0.15)


def test_damping_darkens_the_tail():
    def brightness(damping: float) -> float:
        tail = _tail(ReverbBuilder(feedback=0.85, damping=damping, mix=1.0), 1.0)[0, int(0.3 * RATE):]
        spectrum = np.abs(np.fft.rfft(tail)) ** 2
        frequencies = np.fft.rfftfreq(tail.size, 1 / RATE)
        return spectrum[frequencies > 4000].sum() / spectrum[frequencies < 1000].sum()
    assert brightness(0.8) < 0.1 * brightness(0.0)


def test_zero_stereo_width_gives_a_mono_tail():
    tail = _tail(ReverbBuilder(stereo_width=0.0, mix=1.0), 0.5)
    assert np.array_equal(tail[0], tail[1])
    wide = _tail(ReverbBuilder(stereo_width=1.0, mix=1.0), 0.5)
    assert np.corrcoef(wide[0], wide[1])[0, 1] < 0.5


def test_full_feedback_rings_for_ever_and_says_so():
    builder = ReverbBuilder(feedback=1.0, damping=0.0, mix=1.0)
    assert type(build(builder)).tail_seconds(builder, RATE) == float("inf")
    levels = _levels(_tail(builder, 3.0), window=0.5)
    assert levels[-1] > levels[1] - 3.0
