"""Modulators and the values that follow them."""

import math

import numpy as np

from mixdeck.engine import (
    Easing, LfoBuilder, Mapping, StaticSoundSettings, Tween, TweenerBuilder, Value, Waveform,
)

from tests.engine.support import BLOCK, RATE, constant_source, offline


def test_a_one_hertz_lfo_on_panning_gives_the_constant_power_gains_at_quarter_periods():
    manager = offline()
    lfo = manager.add_modulator(LfoBuilder(Waveform.SINE, frequency=1.0))
    panning = Value.modulator(lfo, Mapping(input_range=(-1, 1), output_range=(-1, 1)))
    manager.play(constant_source(0.5), StaticSoundSettings(panning=panning))
    out = manager.render(RATE).astype(np.float64)
    root2 = math.sqrt(2)
    for frame, pan in ((0, 0.0), (12000, 1.0), (24000, 0.0), (36000, -1.0)):
        m = (pan + 1) / 2
        assert abs(out[frame, 0] - 0.5 * math.sqrt(1 - m) * root2) < 1e-6, frame
        assert abs(out[frame, 1] - 0.5 * math.sqrt(m) * root2) < 1e-6, frame
    assert abs(lfo.value - math.sin(2 * math.pi * (RATE - 1) / RATE)) < 1e-9


def test_lfo_waveforms_at_quarter_periods():
    expected = {
        Waveform.SINE: (0.0, 1.0, 0.0, -1.0),
        Waveform.TRIANGLE: (0.0, 1.0, 0.0, -1.0),
        Waveform.SAW: (0.0, 0.5, -1.0, -0.5),
        Waveform.SQUARE: (1.0, 1.0, -1.0, -1.0),
    }
    for waveform, values in expected.items():
        manager = offline()
        lfo = manager.add_modulator(LfoBuilder(waveform, frequency=1.0))
        volume = Value.modulator(lfo, Mapping(input_range=(-1, 1), output_range=(-20, 0)))
        manager.play(constant_source(1.0), StaticSoundSettings(volume=volume))
        out = manager.render(RATE)[:, 0].astype(np.float64)
        for frame, value in zip((0, 12000, 24000, 36000), values):
            decibels = -20 + (value + 1) * 10
            assert abs(out[frame] - 10 ** (decibels / 20)) < 1e-5, (waveform, frame)


def test_a_mapping_clamps_at_both_ends():
    manager = offline()
    tweener = manager.add_modulator(TweenerBuilder(5.0))
    mapping = Mapping(input_range=(0, 1), output_range=(-6, 0), clamp_bottom=True, clamp_top=True)
    manager.play(constant_source(0.5), StaticSoundSettings(volume=Value.modulator(tweener, mapping)))
    assert (manager.render(BLOCK)[:, 0] == 0.5).all()
    tweener.set(-5.0, Tween(0.0))
    np.testing.assert_allclose(manager.render(BLOCK)[:, 0], 0.5 * 10 ** (-6 / 20), rtol=1e-6)


def test_a_mapping_clamps_to_its_output_range_by_default_as_kiras():
    manager = offline()
    tweener = manager.add_modulator(TweenerBuilder(2.0))
    mapping = Mapping(input_range=(0, 1), output_range=(0, 0.5))
    manager.play(constant_source(0.5), StaticSoundSettings(panning=Value.modulator(tweener, mapping)))
    out = manager.render(BLOCK).astype(np.float64)
    # 2.0 maps to 1.0, clamped to 0.5: three quarters to the right.
    np.testing.assert_allclose(out[:, 0], 0.5 * math.sqrt(1 - 0.75) * math.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], 0.5 * math.sqrt(0.75) * math.sqrt(2), rtol=1e-6)


def test_an_unclamped_mapping_extrapolates():
    manager = offline()
    tweener = manager.add_modulator(TweenerBuilder(2.0))
    mapping = Mapping(input_range=(0, 1), output_range=(0, 0.5), clamp_bottom=False, clamp_top=False)
    manager.play(constant_source(0.5), StaticSoundSettings(panning=Value.modulator(tweener, mapping)))
    out = manager.render(BLOCK)
    # 2.0 maps to 1.0: hard right.
    assert abs(out[0, 0]) < 1e-7 and abs(out[0, 1] - 0.5 * math.sqrt(2)) < 1e-6


def test_a_tweener_moves_a_volume_with_its_tween():
    manager = offline()
    tweener = manager.add_modulator(TweenerBuilder(0.0))
    mapping = Mapping(input_range=(0, 1), output_range=(0, -60))
    handle = manager.play(constant_source(1.0), StaticSoundSettings(volume=Value.modulator(tweener, mapping)))
    tweener.set(0.5, Tween(0.01, Easing.LINEAR))
    out = manager.render(960)[:, 0].astype(np.float64)
    k = np.arange(960)
    np.testing.assert_allclose(out, 10 ** (-30 * np.minimum(k / 480, 1) / 20), rtol=1e-6)
    assert handle.volume == -30.0


def test_a_parameter_can_go_back_to_a_fixed_value():
    manager = offline()
    lfo = manager.add_modulator(LfoBuilder(frequency=5.0))
    handle = manager.play(constant_source(0.5), StaticSoundSettings(panning=Value.modulator(lfo)))
    manager.render(BLOCK)
    handle.set_panning(0.0, Tween(0.0))
    assert (manager.render(BLOCK) == 0.5).all()


def test_a_tween_from_a_fixed_value_to_a_modulator_eases_between_them():
    manager = offline()
    tweener = manager.add_modulator(TweenerBuilder(1.0))
    handle = manager.play(constant_source(1.0))
    manager.render(BLOCK)
    # From 0 dB to the tweener's -12 dB (1.0 mapped onto -12..0 reversed), over 2400 frames, linearly in dB.
    mapping = Mapping(input_range=(0, 1), output_range=(0, -12))
    handle.set_volume(Value.modulator(tweener, mapping), Tween(0.05))
    out = manager.render(6 * BLOCK)[:, 0].astype(np.float64)
    k = np.arange(6 * BLOCK)
    np.testing.assert_allclose(out, 10 ** (-12 * np.minimum(k / 2400, 1.0) / 20), rtol=1e-5)
    # Then it follows the tweener.
    tweener.set(0.5, Tween(0.0))
    np.testing.assert_allclose(manager.render(BLOCK)[:, 0], 10 ** (-6 / 20), rtol=1e-6)


def test_a_removed_modulator_leaves_its_followers_at_their_last_value():
    manager = offline()
    tweener = manager.add_modulator(TweenerBuilder(0.5))
    mapping = Mapping(input_range=(0, 1), output_range=(-12, 0))
    manager.play(constant_source(1.0), StaticSoundSettings(volume=Value.modulator(tweener, mapping)))
    manager.render(BLOCK)
    tweener.remove()
    out = manager.render(BLOCK)
    np.testing.assert_allclose(out[:, 0], 10 ** (-6 / 20), rtol=1e-6)
