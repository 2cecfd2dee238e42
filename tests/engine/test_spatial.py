"""Spatial audio on the offline output: distance, direction, orientation, listener distance as a source, Doppler."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mixdeck.engine import Easing, Mapping, SpatialTrackBuilder, StaticSoundData, StaticSoundSettings, Region, Tween, Value
from mixdeck.engine.effect import FilterBuilder
from mixdeck.engine.spatial.geometry import from_yaw_pitch_roll

from tests.engine.support import BLOCK, RATE, constant_source, offline


def db(x: float) -> float:
    return 10 ** (x / 20)


def scene(position, builder=None, orientation=(0.0, 0.0, 0.0, 1.0), source=None):
    manager = offline()
    listener = manager.add_listener((0.0, 0.0, 0.0), orientation)
    track = manager.add_spatial_sub_track(listener, position, builder or SpatialTrackBuilder(spatialization_strength=0.0))
    voice = track.play(source or constant_source(0.5), StaticSoundSettings(loop_region=Region(0.0, None)))
    return manager, listener, track, voice


def test_a_track_at_the_min_distance_is_at_full_level_and_beyond_the_max_silent():
    manager, _, track, _ = scene((0.0, 0.0, -1.0), SpatialTrackBuilder(distances=(1.0, 100.0), spatialization_strength=0.0))
    np.testing.assert_allclose(manager.render(BLOCK), 0.5, rtol=1e-6)
    assert track.distance == pytest.approx(1.0)
    manager, _, track, _ = scene((0.0, 0.0, -150.0), SpatialTrackBuilder(distances=(1.0, 100.0), spatialization_strength=0.0))
    assert not manager.render(BLOCK).any()


@pytest.mark.parametrize("easing, expected_db", [(Easing.LINEAR, -30.0), (Easing.in_powi(2), -45.0),
                                                 (Easing.out_powi(2), -15.0)])
def test_between_the_distances_the_level_follows_the_easing(easing, expected_db):
    builder = SpatialTrackBuilder(distances=(1.0, 101.0), attenuation=easing, spatialization_strength=0.0)
    manager, _, _, _ = scene((0.0, 0.0, -51.0), builder)
    np.testing.assert_allclose(manager.render(BLOCK), 0.5 * db(expected_db), rtol=1e-5)


def test_without_attenuation_distance_changes_nothing():
    manager, _, _, _ = scene((0.0, 0.0, -500.0), SpatialTrackBuilder(attenuation=None, spatialization_strength=0.0))
    np.testing.assert_allclose(manager.render(BLOCK), 0.5, rtol=1e-6)


def test_straight_to_the_right_at_full_strength_is_hard_right_and_at_none_centred():
    builder = SpatialTrackBuilder(distances=(1.0, 100.0), spatialization_strength=1.0)
    manager, _, _, _ = scene((1.0, 0.0, 0.0), builder)
    out = manager.render(BLOCK).astype(np.float64)
    np.testing.assert_allclose(out[:, 0], 0.0, atol=1e-7)
    np.testing.assert_allclose(out[:, 1], 0.5 * math.sqrt(2), rtol=1e-6)
    manager, _, _, _ = scene((1.0, 0.0, 0.0), SpatialTrackBuilder(spatialization_strength=0.0))
    np.testing.assert_allclose(manager.render(BLOCK), 0.5, rtol=1e-6)


def test_turning_the_listener_half_round_swaps_the_sides():
    builder = SpatialTrackBuilder(distances=(1.0, 100.0), spatialization_strength=1.0)
    manager, listener, _, _ = scene((1.0, 0.0, 0.0), builder, orientation=from_yaw_pitch_roll(180.0, 0.0, 0.0))
    out = manager.render(BLOCK).astype(np.float64)
    np.testing.assert_allclose(out[:, 0], 0.5 * math.sqrt(2), rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], 0.0, atol=1e-7)
    listener.set_orientation((0.0, 0.0, 0.0, 1.0), Tween(0.0))
    manager.render(BLOCK)
    out = manager.render(BLOCK).astype(np.float64)
    np.testing.assert_allclose(out[:, 1], 0.5 * math.sqrt(2), rtol=1e-6)


def test_a_low_pass_cutoff_can_follow_the_listener_distance():
    mapping = Mapping(input_range=(1.0, 101.0), output_range=(20_000.0, 200.0))
    manager, _, track, _ = scene((0.0, 0.0, -1.0), SpatialTrackBuilder(attenuation=None, spatialization_strength=0.0))
    effect = track.add_effect(FilterBuilder(cutoff=Value.from_listener_distance(mapping)))
    manager.render(2 * BLOCK)
    assert effect.values["cutoff"] == pytest.approx(20_000.0)
    track.set_position((0.0, 0.0, -51.0), Tween(0.0))
    manager.render(2 * BLOCK)
    assert effect.values["cutoff"] == pytest.approx(10_100.0, rel=1e-6)
    track.set_position((0.0, 0.0, -500.0), Tween(0.0))
    manager.render(2 * BLOCK)
    assert effect.values["cutoff"] == pytest.approx(200.0)  # the mapping clamps to its output range


def test_an_emitter_approaching_at_a_tenth_of_the_speed_of_sound_plays_at_a_ninth_faster():
    ramp = StaticSoundData.from_array(np.zeros(60 * RATE, dtype=np.float32), RATE)
    builder = SpatialTrackBuilder(distances=(1.0, 1000.0), attenuation=None, spatialization_strength=0.0,
                                  doppler=True, speed_of_sound=343.0)
    manager, _, track, voice = scene((0.0, 0.0, -400.0), builder, source=ramp)
    manager.render(4 * BLOCK)
    # From 400 m to 50 m at 34.3 m/s, in a straight line: about ten seconds.
    track.set_position((0.0, 0.0, -50.0), Tween(350.0 / 34.3))
    manager.render(RATE)  # the approach under way, the shift settled
    start = voice.position
    manager.render(4 * RATE)
    ratio = (voice.position - start) / 4.0
    assert ratio == pytest.approx(1 / (1 - 0.1), rel=0.005)
    # Standing still again, it plays at its own rate.
    manager.render(7 * RATE)
    start = voice.position
    manager.render(RATE)
    assert voice.position - start == pytest.approx(1.0, rel=1e-3)


def test_a_spatial_track_with_no_listener_is_silent():
    manager, listener, _, _ = scene((0.0, 0.0, -1.0))
    assert manager.render(BLOCK).any()
    listener.remove()
    manager.render(BLOCK)
    assert not manager.render(BLOCK).any()


def test_a_moving_emitter_glides_across_without_a_click():
    t = np.arange(4 * RATE) / RATE
    sine = StaticSoundData.from_array((0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), RATE)
    # No attenuation, so the level a channel reaches is at most what it has at the start (hard right).
    builder = SpatialTrackBuilder(attenuation=None, spatialization_strength=1.0)
    manager, _, track, _ = scene((50.0, 0.0, -1.0), builder, source=sine)
    own = np.abs(np.diff(manager.render(8 * BLOCK).astype(np.float64), axis=0)).max()
    track.set_position((-50.0, 0.0, -1.0), Tween(0.5))
    moving = manager.render(RATE).astype(np.float64)
    assert np.abs(np.diff(moving, axis=0)).max() <= own * 1.1
    assert moving[-BLOCK:, 0].std() > moving[-BLOCK:, 1].std()  # now on the left
