"""Effects on tracks, on the offline output: chain order, live add/remove/bypass/reorder without a click."""

from __future__ import annotations

import numpy as np
import pytest

from mixdeck.engine import (Capacities, LfoBuilder, Mapping, ResourceLimitReached, StaticSoundData, TrackBuilder,
                            Tween, Value)
from mixdeck.engine.effect import (DistortionBuilder, FilterBuilder, LimiterBuilder, ReverbBuilder,
                                   VolumeControlBuilder)

from tests.engine.support import BLOCK, RATE, constant_source, offline


def sine(frequency: float = 220.0, seconds: float = 4.0, amplitude: float = 0.5) -> StaticSoundData:
    t = np.arange(int(seconds * RATE)) / RATE
    return StaticSoundData.from_array((amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32), RATE)


def noise(seconds: float = 4.0, amplitude: float = 0.5) -> StaticSoundData:
    samples = np.random.default_rng(5).uniform(-amplitude, amplitude, int(seconds * RATE)).astype(np.float32)
    return StaticSoundData.from_array(samples, RATE)


def largest_step(out: np.ndarray) -> float:
    return float(np.abs(np.diff(out[:, 0].astype(np.float64))).max())


def test_effects_apply_in_chain_order_and_moving_one_changes_the_result():
    # A hard clip at +6 dB drive clips 0.5 to 1/2 (its ceiling is 1/drive); -6 dB before it leaves 0.25 alone.
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    clip = track.add_effect(DistortionBuilder(kind="hard_clip", drive=6.0))
    quieter = track.add_effect(VolumeControlBuilder(volume=-6.0))
    track.play(constant_source(0.5))
    manager.render(2 * BLOCK)  # the effects glide in
    out = manager.render(BLOCK)
    # clip first: min(0.5 * 2, 1) / 2 = 0.5, then -6 dB
    np.testing.assert_allclose(out, 0.5 * 10 ** (-6 / 20), rtol=1e-6)
    assert clip.position == 0 and quieter.position == 1
    quieter.move_to(0)
    manager.render(4 * BLOCK)
    out = manager.render(BLOCK)
    # -6 dB first: 0.2506 * 2 = 0.501 is not clipped, divided back by the drive: the same 0.2506.
    np.testing.assert_allclose(out, 0.5 * 10 ** (-6 / 20), rtol=1e-5)
    assert quieter.position == 0 and clip.position == 1


def test_the_order_matters_for_a_clip_and_a_gain():
    def chain(first, second) -> float:
        manager = offline()
        # -12 dB after the effects keeps the output under the main track's clamp.
        track = manager.add_sub_track(TrackBuilder(volume=-12.0))
        track.add_effect(first)
        track.add_effect(second)
        track.play(constant_source(0.8))
        manager.render(2 * BLOCK)
        return float(manager.render(BLOCK)[-1, 0])

    clip, louder = DistortionBuilder(kind="hard_clip", drive=0.0), VolumeControlBuilder(volume=6.0)
    quarter = 10 ** (-12 / 20)
    assert chain(clip, louder) == pytest.approx(0.8 * 10 ** (6 / 20) * quarter, rel=1e-5)  # 0.8 is under the ceiling
    assert chain(louder, clip) == pytest.approx(1.0 * quarter, rel=1e-5)  # 1.6 is clipped to 1


def test_adding_removing_and_bypassing_on_a_playing_track_glide_without_a_click():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    track.play(sine())
    dry = manager.render(4 * BLOCK)
    own = largest_step(dry)
    effect = track.add_effect(FilterBuilder(mode="low_pass", cutoff=300.0, resonance=0.2))
    out = manager.render(4 * BLOCK)
    assert largest_step(out) <= own * 1.05
    effect.set_bypassed(True)
    out = manager.render(4 * BLOCK)
    assert largest_step(out) <= own * 1.05 and effect.bypassed
    reference = offline()
    reference_track = reference.add_sub_track(TrackBuilder())
    reference_track.play(sine())
    reference_out = reference.render(12 * BLOCK)
    np.testing.assert_array_equal(out[-BLOCK:], reference_out[11 * BLOCK :])  # bypassed is dry, exactly
    effect.set_bypassed(False)
    out = manager.render(4 * BLOCK)
    assert largest_step(out) <= own * 1.05
    used = manager._pool.used
    effect.remove()
    out = manager.render(4 * BLOCK)
    assert largest_step(out) <= own * 1.05 and not effect.exists
    manager.pop_events()
    assert manager._pool.used < used  # its memory went back


def test_a_parameter_sweep_makes_no_step_larger_than_the_signals_own():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    effect = track.add_effect(FilterBuilder(mode="low_pass", cutoff=8000.0))
    track.play(sine(440.0))
    own = largest_step(manager.render(4 * BLOCK))
    effect.set(cutoff=200.0, tween=Tween(0.2))
    assert largest_step(manager.render(24 * BLOCK)) <= own * 1.05


def test_a_low_pass_on_a_bus_lowers_its_meter_on_noise():
    manager = offline()
    bus = manager.add_sub_track(TrackBuilder())
    effect = bus.add_effect(FilterBuilder(mode="low_pass", cutoff=20_000.0))
    bus.play(noise())
    manager.render(24 * BLOCK)
    open_rms = bus.meters["rms"][0]
    effect.set(cutoff=200.0, tween=Tween(0.0))
    manager.render(200 * BLOCK)  # the RMS meter averages over about 300 ms
    assert bus.meters["rms"][0] < open_rms * 0.3


def test_an_effect_parameter_can_follow_a_modulator():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    lfo = manager.add_modulator(LfoBuilder(frequency=1.0))
    effect = track.add_effect(VolumeControlBuilder(volume=Value.modulator(lfo, Mapping(output_range=(-24.0, 0.0)))))
    track.play(constant_source(0.5))
    seen = set()
    for _ in range(40):
        manager.render(2 * BLOCK)
        seen.add(round(effect.values["volume"], 1))
    assert min(seen) < -20.0 and max(seen) > -4.0


def test_a_limiter_on_the_main_track_holds_the_output_under_its_ceiling():
    manager = offline()
    manager.main_track.add_effect(LimiterBuilder(ceiling=-6.0))
    for _ in range(4):
        manager.play(noise(amplitude=0.9))
    manager.render(4 * BLOCK)
    out = manager.render(20 * BLOCK)
    assert np.abs(out).max() <= 10 ** (-6 / 20) + 1e-6
    assert np.abs(out).max() > 0.3


def test_removing_a_track_takes_its_effects_with_it():
    manager = offline()
    track = manager.add_sub_track(TrackBuilder())
    effect = track.add_effect(ReverbBuilder())
    manager.render(BLOCK)
    track.remove(Tween(0.0))
    manager.render(BLOCK)
    assert not effect.exists
    assert manager.counts()["slots_used"]["effect"] == 0


def test_the_effect_arena_is_bounded_and_a_bad_builder_names_its_field():
    from mixdeck.engine import InvalidValue

    manager = offline(capacities=Capacities(effects=1))
    track = manager.add_sub_track(TrackBuilder())
    with pytest.raises(InvalidValue) as caught:
        track.add_effect(FilterBuilder(cutoff=5.0))
    assert caught.value.field == "cutoff"
    with pytest.raises(InvalidValue) as caught:
        track.add_effect("a filter, please")
    assert caught.value.field == "effect"
    track.add_effect(VolumeControlBuilder())
    with pytest.raises(ResourceLimitReached):
        track.add_effect(VolumeControlBuilder())
