"""Where mixdeck once behaved differently from Kira, each held to Kira's behaviour on the offline output."""

from __future__ import annotations

import numpy as np
import pytest

from mixdeck.engine import (ClockSpeed, ClockTime, InvalidValue, LfoBuilder, Mapping, PlaybackRate, PlaybackState,
                            Region, StartTime, StaticSoundSettings, TweenerBuilder, Tween, Value, Waveform)

from tests.engine.support import BLOCK, RATE, constant_source, counting_source, offline


def test_clock_time_arithmetic_carries_fractions():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(1.0))
    time = ClockTime(clock.key, 2, 0.25)
    assert (time + 0.5).ticks == 2 and (time + 0.5).fraction == pytest.approx(0.75)
    assert (time + 3.7).ticks == 5 and (time + 3.7).fraction == pytest.approx(0.95)
    assert (time + 0.75).ticks == 3 and (time + 0.75).fraction == 0.0
    assert (time - 0.5).ticks == 1 and (time - 0.5).fraction == pytest.approx(0.75)
    assert ClockTime.from_ticks_f64(clock, 4.5) == ClockTime(clock.key, 4, 0.5)


def test_clock_times_compare_within_a_clock_and_refuse_across_clocks():
    manager = offline()
    a = manager.add_clock(ClockSpeed.ticks_per_second(1.0))
    b = manager.add_clock(ClockSpeed.ticks_per_second(1.0))
    assert ClockTime(a.key, 1, 0.5) < ClockTime(a.key, 2, 0.0) <= ClockTime(a.key, 2, 0.0)
    assert ClockTime(a.key, 3, 0.0) == ClockTime(a.key, 3, 0.0) and ClockTime(a.key, 3) > ClockTime(a.key, 2, 0.9)
    assert ClockTime(a.key, 1) != ClockTime(b.key, 1)
    with pytest.raises(InvalidValue, match="different clocks"):
        _ = ClockTime(a.key, 1) < ClockTime(b.key, 2)


def test_a_sound_starts_on_a_fractional_clock_time():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(10.0), start=True)
    manager.play(constant_source(0.5), StaticSoundSettings(start_time=StartTime.at(ClockTime(clock.key, 0) + 1.5)))
    out = manager.render(RATE // 2)[:, 0]
    assert np.flatnonzero(out)[0] == 7200  # 0.15 s at 10 ticks a second


def test_playback_rate_in_semitones_fixed_tweened_and_following_a_modulator():
    assert PlaybackRate.semitones(12).as_factor == 2.0 and PlaybackRate.semitones(-12).as_factor == 0.5
    src, data = counting_source(frames=4 * RATE)
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(playback_rate=PlaybackRate.semitones(12)))
    out = manager.render(BLOCK)[:, 0]
    np.testing.assert_array_equal(out, src[: 2 * BLOCK : 2])
    assert handle.playback_rate == 2.0
    # A tween in semitones moves evenly in pitch: half way through 0 -> 12 st, the rate is sqrt(2).
    handle.set_playback_rate(PlaybackRate.semitones(0), Tween(0.0))
    manager.render(BLOCK)
    handle.set_playback_rate(PlaybackRate.semitones(12), Tween(2 * BLOCK / RATE))
    manager.render(BLOCK)
    assert handle.playback_rate == pytest.approx(2 ** ((BLOCK - 1) / (2 * BLOCK)), rel=1e-6)
    tweener = manager.add_modulator(TweenerBuilder(7.0))
    handle.set_playback_rate(PlaybackRate.semitones(Value.modulator(tweener, Mapping(input_range=(0, 12),
                                                                                     output_range=(0, 12)))),
                             Tween(0.0))
    manager.render(2 * BLOCK)
    assert handle.playback_rate == pytest.approx(2 ** (7 / 12), rel=1e-6)


def test_three_voices_at_point_eight_do_not_pass_full_scale_at_the_output():
    manager = offline()
    for _ in range(3):
        manager.play(constant_source(0.8))
    out = manager.render(BLOCK)
    assert (out == 1.0).all()


def test_an_lfo_has_a_pulse_wave_with_a_width():
    manager = offline()
    lfo = manager.add_modulator(LfoBuilder(waveform=Waveform.PULSE, frequency=RATE / BLOCK, pulse_width=0.25))
    handle = manager.play(constant_source(1.0), StaticSoundSettings(
        volume=Value.modulator(lfo, Mapping(input_range=(-1, 1), output_range=(-60.0, 0.0)))))
    out = manager.render(BLOCK)[:, 0]
    # One cycle a block: high (0 dB) for the first quarter, then low (silence).
    assert (out[: BLOCK // 4] == 1.0).all() and not out[BLOCK // 4 + 1 :].any()
    assert handle.state is PlaybackState.PLAYING


def test_an_lfo_parameter_can_follow_another_modulator():
    manager = offline()
    slow = manager.add_modulator(TweenerBuilder(0.0))
    lfo = manager.add_modulator(LfoBuilder(frequency=1.0, amplitude=Value.modulator(slow, Mapping(
        input_range=(0, 1), output_range=(0, 1)))))
    values = []
    for _ in range(20):
        manager.render(BLOCK)
        values.append(abs(lfo.value))
    assert max(values) == 0.0  # its amplitude follows the tweener, at 0
    slow.set(1.0, Tween(0.0))
    for _ in range(100):
        manager.render(BLOCK)
        values.append(abs(lfo.value))
    assert max(values) > 0.9


def test_start_position_is_rounded_to_a_whole_source_frame():
    src, data = counting_source()
    manager = offline()
    manager.play(data, StaticSoundSettings(start_position=100.4 / RATE))
    np.testing.assert_array_equal(manager.render(BLOCK)[:, 0], src[100 : 100 + BLOCK])


def test_seek_by_backwards_past_a_loops_start_folds_back_into_the_loop():
    src, data = counting_source()
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(loop_region=Region(1.0, 1.5), start_position=1.1))
    manager.render(BLOCK)
    handle.seek_by(-0.2)  # from 1.1 + a block to 0.9 + a block, which folds to 1.4 + a block
    out = manager.render(2 * BLOCK)[:, 0]
    expected = int(round(1.1 * RATE)) + BLOCK - int(round(0.2 * RATE)) + int(round(0.5 * RATE))
    np.testing.assert_array_equal(out[BLOCK:], src[expected + BLOCK : expected + 2 * BLOCK])


def test_a_stop_freezes_the_position_where_its_fade_reached_silence():
    src, data = counting_source(frames=4 * RATE)
    manager = offline()
    handle = manager.play(data)
    manager.render(4 * BLOCK)
    handle.stop(Tween(0.01))
    manager.render(4 * BLOCK)
    assert handle.state is PlaybackState.STOPPED
    assert handle.position == (4 * BLOCK + 480) / RATE


def test_a_resume_on_a_start_time_before_the_first_frame_waits_and_fades_in():
    manager = offline()
    handle = manager.play(constant_source(0.5), StaticSoundSettings(start_time=StartTime.delayed(1.0)))
    handle.pause()
    handle.resume(Tween(0.01, start_time=StartTime.delayed(0.05)))
    manager.render(BLOCK)
    assert handle.state is PlaybackState.WAITING_TO_RESUME
    out = manager.render(10 * BLOCK)[:, 0]
    start = np.flatnonzero(out)[0] + BLOCK
    assert start == 2400 + 1  # the fade starts at silence on frame 2400
    assert np.all(np.diff(out[start - BLOCK : start - BLOCK + 480]) > 0)
    assert out[-1] == 0.5 and handle.state is PlaybackState.PLAYING


def test_a_sound_waiting_for_a_removed_clock_stops_and_says_why():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(1.0))
    handle = manager.play(constant_source(0.5), StaticSoundSettings(start_time=StartTime.at(ClockTime(clock.key, 4))))
    manager.render(BLOCK)
    clock.remove()
    out = manager.render(2 * BLOCK)
    assert not out.any() and handle.state is PlaybackState.STOPPED
    ended = [e for e in manager.pop_events() if e.kind == "sound_finished" and e.key == handle.key]
    assert ended and ended[0].data["reason"] == "clock removed"


def test_a_tween_waiting_for_a_removed_clock_is_dropped_and_reported():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(1.0))
    handle = manager.play(constant_source(0.5))
    handle.set_volume(-60.0, Tween(0.0, start_time=StartTime.at(ClockTime(clock.key, 4))))
    manager.render(BLOCK)
    clock.remove()
    manager.render(2 * BLOCK)
    assert (manager.render(BLOCK)[:, 0] == 0.5).all()
    errors = [e for e in manager.pop_events() if e.kind == "error" and e.key == handle.key]
    assert errors and "clock" in errors[0].data["message"]
