"""Clipping ceilings, and effects applied in a known order giving a known result."""

from __future__ import annotations

import numpy as np
import pytest

from mixdeck.engine.effect import DistortionBuilder, FilterBuilder, PanningControlBuilder, VolumeControlBuilder
from tests.engine.effects.harness import RATE, build, noise, run, run_chain, sine


@pytest.mark.parametrize("kind", ["hard_clip", "soft_clip"])
@pytest.mark.parametrize("drive", [-24.0, 0.0, 6.0, 12.0, 24.0, 48.0])
def test_clipping_never_exceeds_its_ceiling(kind, drive):
    """The ceiling is 1 / drive: full scale at 0 dB of drive, 12 dB under it at 12 dB."""
    builder = DistortionBuilder(kind=kind, drive=drive).check()
    out = run(build(builder), noise(1.0, peak=16.0), builder=builder)
    assert np.max(np.abs(out)) <= np.float32(10.0 ** (-drive / 20.0))


def test_hard_clip_reaches_its_ceiling_and_passes_what_is_under_it_bit_for_bit():
    builder = DistortionBuilder(kind="hard_clip", drive=12.0)
    ceiling = np.float32(10.0 ** (-12.0 / 20.0))
    signal = noise(0.5, peak=1.0)
    out = run(build(builder), signal, builder=builder)
    under = np.abs(signal) < ceiling
    assert np.array_equal(out[under], signal[under])
    assert np.all(np.abs(out[~under]) == ceiling)


def test_soft_clip_follows_its_curve():
    builder = DistortionBuilder(kind="soft_clip", drive=6.0)
    drive = 10.0 ** (6.0 / 20.0)
    signal = noise(0.2, peak=2.0)
    out = run(build(builder), signal, builder=builder)
    x = signal.astype(np.float64)
    assert np.allclose(out, x / (1.0 + np.abs(x * drive)), rtol=1e-6, atol=0)


def test_two_effects_in_a_known_order_give_a_known_result():
    """As Kira's test: a clipper then a volume, and the same two the other way round."""
    signal = sine(441.0, 0.5, 1.5)
    clip, quieter = DistortionBuilder(kind="hard_clip"), VolumeControlBuilder(volume=-6.0)
    half = 10.0 ** (-6.0 / 20.0)
    x = signal.astype(np.float64)
    clip_first = run_chain([build(clip), build(quieter)], [clip, quieter], signal)
    volume_first = run_chain([build(quieter), build(clip)], [quieter, clip], signal)
    assert np.allclose(clip_first, np.clip(x, -1.0, 1.0) * half, atol=1e-7)
    assert np.allclose(volume_first, np.clip(x * half, -1.0, 1.0), atol=1e-7)
    assert np.max(np.abs(clip_first)) == pytest.approx(half, abs=1e-6)
    assert np.max(np.abs(volume_first)) == pytest.approx(1.5 * half, abs=1e-4)


def test_reordering_effects_changes_the_result():
    signal = noise(0.3)
    low, right = FilterBuilder(cutoff=500.0), PanningControlBuilder(panning=1.0)
    gain_then_filter = run_chain([build(right), build(low)], [right, low], signal)
    filter_then_gain = run_chain([build(low), build(right)], [low, right], signal)
    # Linear effects commute up to rounding; a clipper between them does not.
    assert np.allclose(gain_then_filter, filter_then_gain, atol=1e-6)
    clip = DistortionBuilder(kind="hard_clip")
    louder = VolumeControlBuilder(volume=12.0)
    a = run_chain([build(louder), build(clip), build(low)], [louder, clip, low], signal)
    b = run_chain([build(low), build(louder), build(clip)], [low, louder, clip], signal)
    assert np.max(np.abs(a - b)) > 0.1


def test_panning_follows_kiras_constant_power_law():
    signal = noise(0.1)
    for panning in (-1.0, -0.5, 0.25, 1.0):
        builder = PanningControlBuilder(panning=panning)
        out = run(build(builder), signal, builder=builder).astype(np.float64)
        m = (panning + 1.0) / 2.0
        assert np.allclose(out[0], signal[0] * np.sqrt(1 - m) * np.sqrt(2), rtol=1e-6, atol=1e-9)
        assert np.allclose(out[1], signal[1] * np.sqrt(m) * np.sqrt(2), rtol=1e-6, atol=1e-9)


def test_volume_at_or_below_minus_sixty_db_is_silence():
    for volume in (-60.0, -100.0):
        builder = VolumeControlBuilder(volume=volume)
        assert not np.any(run(build(builder), noise(0.1), builder=builder))
    builder = VolumeControlBuilder(volume=-59.0)
    out = run(build(builder), np.ones((2, RATE // 10), dtype=np.float32), builder=builder)
    assert out[0, 0] == pytest.approx(10 ** (-59 / 20), rel=1e-6)
