"""Handles: pause, resume, stop, seek, tweened volume and panning, on the offline output."""

import math

import numpy as np
import pytest

from mixdeck.engine import Capacities, Easing, PlaybackState, Region, StartTime, StaticSoundSettings, Tween

from mixdeck.engine.sound.kernel import SEEK_CROSSFADE_FRAMES
from tests.engine.support import BLOCK, RATE, constant_source, counting_source, offline

SILENCE_DB = -60.0


def test_pause_fades_to_silence_within_the_tween_and_resume_continues_from_there():
    src, data = counting_source(frames=4 * RATE)
    manager = offline()
    handle = manager.play(data)
    manager.render(9 * BLOCK)  # 4608 frames
    handle.pause(Tween(0.1))
    fading = manager.render(BLOCK)
    assert handle.state is PlaybackState.PAUSING
    rest = manager.render(10 * BLOCK)
    out = np.concatenate([fading, rest])[:, 0]
    # Linear in decibels, from 0 dB to silence over 4800 frames.
    k = np.arange(4800)
    expected = src[4608 : 4608 + 4800] * np.where(k * (SILENCE_DB / 4800) <= SILENCE_DB, 0.0,
                                                   10.0 ** (k * (SILENCE_DB / 4800) / 20.0))
    np.testing.assert_allclose(out[:4800], expected, rtol=1e-5, atol=1e-9)
    assert not out[4800:].any()
    assert handle.state is PlaybackState.PAUSED
    assert handle.position == (4608 + 4800) / RATE
    handle.resume(Tween(0.0))
    resumed = manager.render(BLOCK)[:, 0]
    np.testing.assert_array_equal(resumed, src[9408 : 9408 + BLOCK])
    assert handle.state is PlaybackState.PLAYING


def test_resume_with_a_tween_goes_through_resuming_to_playing():
    _, data = counting_source()
    manager = offline()
    handle = manager.play(data)
    manager.render(BLOCK)
    handle.pause()
    manager.render(BLOCK)
    assert handle.state is PlaybackState.PAUSED
    handle.resume(Tween(0.05))
    manager.render(BLOCK)
    assert handle.state is PlaybackState.RESUMING
    manager.render(5 * BLOCK)
    assert handle.state is PlaybackState.PLAYING


def test_stop_fades_then_stops_and_frees_the_slot_for_a_new_generation():
    _, data = counting_source()
    manager = offline(capacities=Capacities(sounds=1))
    first = manager.play(data)
    manager.render(BLOCK)
    first.stop(Tween(0.02))
    out = manager.render(BLOCK)
    assert first.state is PlaybackState.STOPPING
    assert out[0].any()
    out = manager.render(3 * BLOCK)
    assert first.state is PlaybackState.STOPPED
    assert not out[-BLOCK:].any()
    second = manager.play(constant_source(0.5))
    assert second.key.index == first.key.index and second.key.generation != first.key.generation
    # The old handle's commands do not reach the Thing that took its slot.
    first.set_volume(SILENCE_DB)
    first.pause()
    out = manager.render(BLOCK)
    assert (out == 0.5).all()
    assert second.state is PlaybackState.PLAYING


def test_volume_tween_ramps_per_frame_in_decibels_without_steps():
    manager = offline()
    handle = manager.play(constant_source(0.5))
    manager.render(BLOCK)
    handle.set_volume(-6.0, Tween(0.05, Easing.LINEAR))
    out = manager.render(6 * BLOCK)[:, 0].astype(np.float64)
    k = np.arange(6 * BLOCK)
    decibels = -6.0 * np.minimum(k / 2400.0, 1.0)
    np.testing.assert_allclose(out, 0.5 * 10.0 ** (decibels / 20.0), rtol=1e-6)
    # No step between frames, also across block boundaries, larger than the ramp's own.
    assert np.abs(np.diff(out[:2400])).max() < 1e-3
    assert handle.volume == -6.0


def test_an_eased_tween_follows_its_curve():
    manager = offline()
    handle = manager.play(constant_source(1.0))
    handle.set_volume(-12.0, Tween(0.1, Easing.in_powi(2)))
    out = manager.render(4800)[:, 0].astype(np.float64)
    k = np.arange(4800)
    np.testing.assert_allclose(out, 10.0 ** (-12.0 * (k / 4800.0) ** 2 / 20.0), rtol=1e-6)


def test_a_delayed_tween_starts_on_its_frame():
    manager = offline()
    handle = manager.play(constant_source(1.0))
    handle.set_volume(SILENCE_DB, Tween(0.0, start_time=StartTime.delayed(0.01)))
    out = manager.render(BLOCK)[:, 0]
    assert (out[:480] == 1.0).all() and not out[480:].any()


def test_panning_follows_kiras_constant_power_law():
    for pan in (-1.0, -0.5, 0.0, 0.25, 1.0):
        manager = offline()
        manager.play(constant_source(0.5), StaticSoundSettings(panning=pan))
        out = manager.render(BLOCK).astype(np.float64)
        m = (pan + 1.0) / 2.0
        np.testing.assert_allclose(out[:, 0], 0.5 * math.sqrt(1 - m) * math.sqrt(2), rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(out[:, 1], 0.5 * math.sqrt(m) * math.sqrt(2), rtol=1e-6, atol=1e-9)


def test_seek_to_and_seek_by_jump_to_source_frames_through_a_short_crossfade():
    src, data = counting_source()
    manager = offline()
    handle = manager.play(data)
    manager.render(BLOCK)
    handle.seek_to(0.5)
    out = manager.render(BLOCK)[:, 0]
    k = np.arange(SEEK_CROSSFADE_FRAMES)
    fade_in = (k + 1.0) / (SEEK_CROSSFADE_FRAMES + 1.0)
    expected = src[BLOCK + k] * (1 - fade_in) + src[24000 + k] * fade_in
    np.testing.assert_allclose(out[:SEEK_CROSSFADE_FRAMES], expected, rtol=1e-6)
    np.testing.assert_array_equal(out[SEEK_CROSSFADE_FRAMES:], src[24000 + SEEK_CROSSFADE_FRAMES : 24000 + BLOCK])
    handle.seek_by(-0.25)
    out = manager.render(BLOCK)[:, 0]
    np.testing.assert_array_equal(out[SEEK_CROSSFADE_FRAMES:], src[12000 + BLOCK + SEEK_CROSSFADE_FRAMES : 12000 + 2 * BLOCK])


def test_a_seek_before_the_start_jumps_without_a_crossfade():
    src, data = counting_source()
    manager = offline()
    handle = manager.play(data)
    handle.seek_to(0.5)
    assert manager.render(BLOCK)[0, 0] == src[24000]


def test_set_loop_region_takes_effect_and_is_shared():
    src, data = counting_source(frames=RATE)
    manager = offline()
    handle = manager.play(data)
    handle.set_loop_region(Region(0.0, 0.01))
    out = manager.render(1000)[:, 0]
    np.testing.assert_array_equal(out[:480], src[:480])
    assert out[480] == src[0]
    assert handle.loop_region == (0.0, 0.01)


def test_main_track_volume_scales_the_whole_mix():
    manager = offline()
    manager.play(constant_source(0.5))
    manager.main_track.set_volume(-6.0, Tween(0.0))
    out = manager.render(BLOCK)
    np.testing.assert_allclose(out, 0.5 * 10 ** (-6 / 20), rtol=1e-6)
    meters = manager.main_track.meters
    assert meters["peak"][0] > 0.2 and meters["rms"][1] > 0.0


def test_voices_mix_by_adding():
    manager = offline()
    manager.play(constant_source(0.25))
    manager.play(constant_source(0.125))
    assert (manager.render(BLOCK) == 0.375).all()


def test_pausing_a_sound_that_waits_for_its_start_holds_it_at_its_start():
    src, data = counting_source()
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(start_time=StartTime.delayed(0.1), fade_in_tween=Tween(0.05)))
    handle.pause()
    assert not manager.render(RATE // 2).any()
    assert handle.state is PlaybackState.PAUSED and handle.position == 0.0
    handle.resume()
    manager.render(BLOCK)
    assert handle.state is PlaybackState.PLAYING


def test_a_resume_on_a_start_time_during_a_pause_fade_lets_the_fade_finish_first():
    manager = offline()
    handle = manager.play(constant_source(1.0))
    manager.render(BLOCK)
    handle.pause(Tween(0.1))
    manager.render(BLOCK)
    handle.resume(Tween(0.0, start_time=StartTime.delayed(0.5)))
    out = manager.render(RATE)[:, 0].astype(np.float64)
    # The fade runs on to silence without a jump, stays silent, and comes back at its start time.
    assert np.abs(np.diff(out[: 4800 - BLOCK])).max() < 0.01
    assert not out[4800 - BLOCK : 24000].any()
    assert (out[24000:] == 1.0).all()
    assert handle.state is PlaybackState.PLAYING


def test_pausing_while_waiting_to_resume_keeps_the_paused_position():
    _, data = counting_source(frames=4 * RATE)
    manager = offline()
    handle = manager.play(data)
    manager.render(RATE // BLOCK * BLOCK)
    handle.pause()
    manager.render(BLOCK)
    held = handle.position
    handle.resume(Tween(0.0, start_time=StartTime.delayed(5.0)))
    manager.render(BLOCK)
    assert handle.state is PlaybackState.WAITING_TO_RESUME
    handle.pause(Tween(0.5))
    manager.render(RATE)
    assert handle.state is PlaybackState.PAUSED and handle.position == held


def test_a_sound_ending_exactly_on_a_block_boundary_stops_in_that_block():
    _, data = counting_source(frames=2 * BLOCK)
    manager = offline()
    handle = manager.play(data)
    manager.render(2 * BLOCK)
    assert handle.state is PlaybackState.STOPPED
    assert handle.position == 2 * BLOCK / RATE


def test_set_changes_several_things_at_once_or_nothing():
    from mixdeck.engine import CommandQueueFull, InvalidValue

    manager = offline(command_capacity=3)
    handle = manager.play(constant_source(0.5))
    manager.render(BLOCK)
    with pytest.raises(InvalidValue):
        handle.set(volume=-6.0, panning=3.0)
    assert manager.command_queue_depth == 0
    manager.main_track.set_volume(0.0)
    with pytest.raises(CommandQueueFull):
        handle.set(volume=-6.0, panning=1.0, playback_rate=2.0)
    assert manager.command_queue_depth == 1
    handle.set(volume=-6.0, panning=1.0, tween=Tween(0.0))
    out = manager.render(BLOCK)
    assert abs(out[0, 1] - 0.5 * 10 ** (-6 / 20) * math.sqrt(2)) < 1e-6 and out[0, 0] == 0.0


def test_a_change_without_a_tween_glides_over_ten_milliseconds_as_in_kira():
    manager = offline()
    handle = manager.play(constant_source(1.0))
    manager.render(BLOCK)
    handle.set_volume(-12.0)
    out = manager.render(BLOCK)[:, 0].astype(np.float64)
    k = np.arange(BLOCK)
    np.testing.assert_allclose(out, 10 ** (-12 * np.minimum(k / 480, 1.0) / 20), rtol=1e-6)
    # The largest step between frames is the ramp's own, far from the 0.75 a jump would make.
    assert np.abs(np.diff(out)).max() < 0.004
