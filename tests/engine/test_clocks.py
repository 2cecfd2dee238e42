"""Clocks and things scheduled on them, to the frame."""

import numpy as np

from mixdeck.engine import ClockSpeed, ClockTime, Easing, StartTime, StaticSoundSettings, Tween

from tests.engine.support import BLOCK, RATE, counting_source, first_sound, offline


def tick_frames(manager, clock) -> dict[int, int]:
    return {e.data["ticks"]: e.data["frame"] for e in manager.pop_events() if e.kind == "clock_tick" and e.key == clock.key}


def test_a_sound_on_tick_four_of_a_120_per_minute_clock_starts_on_frame_96000():
    src, data = counting_source()
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_minute(120))
    clock.start()
    manager.play(data, StaticSoundSettings(start_time=StartTime.at(ClockTime(clock.key, 4))))
    out = manager.render(100_000)
    assert first_sound(out) == 96000
    assert out[96000, 0] == src[0]
    np.testing.assert_array_equal(out[96000:100000, 0], src[:4000])
    assert tick_frames(manager, clock)[4] == 96000


def test_clock_time_reads_ticks_and_fraction():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.seconds_per_tick(0.5))
    clock.start()
    manager.render(60 * BLOCK)  # 30720 frames = 1.28 ticks
    now = clock.time()
    assert now.ticks == 1 and abs(now.fraction - 0.28) < 1e-9
    assert (now + 4).ticks == 5
    assert clock.ticking


def test_a_sound_on_a_paused_clock_waits_until_the_clock_reaches_its_tick():
    _, data = counting_source()
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(2))
    clock.start()
    manager.render(60 * BLOCK)  # clock at 1.28 ticks
    clock.pause()
    manager.play(data, StaticSoundSettings(start_time=StartTime.at(ClockTime(clock.key, 2))))
    held = manager.render(200 * BLOCK)
    assert not held.any()
    assert not clock.ticking
    clock.start()
    out = manager.render(40 * BLOCK)
    # 0.72 ticks left at 2 ticks a second: 17280 frames after the restart.
    assert abs(first_sound(out) - 17280) <= 1


def test_a_stopped_clock_rewinds_to_zero():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(10))
    clock.start()
    manager.render(RATE)
    clock.stop()
    manager.render(BLOCK)
    assert clock.time().ticks == 0 and not clock.ticking


def test_a_speed_tween_moves_later_ticks_where_the_integral_of_speed_puts_them():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_minute(60))
    clock.start()
    # Speed goes linearly from 1 to 2 ticks a second over one second: ticks(t) = t + t^2 / 2, then 1.5 + 2 (t - 1).
    clock.set_speed(ClockSpeed.ticks_per_minute(120), Tween(1.0, Easing.LINEAR))
    manager.render(3 * RATE)
    ticks = tick_frames(manager, clock)
    expected = {1: (np.sqrt(3) - 1) * RATE, 2: 1.25 * RATE, 3: 1.75 * RATE, 4: 2.25 * RATE, 5: 2.75 * RATE}
    for tick, frame in expected.items():
        assert abs(ticks[tick] - frame) <= 1, (tick, ticks[tick], frame)


def test_a_tween_can_start_on_a_clock_tick():
    from tests.engine.support import constant_source

    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(10))
    clock.start()
    handle = manager.play(constant_source(1.0))
    handle.set_volume(-60.0, Tween(0.0, start_time=StartTime.at(ClockTime(clock.key, 1))))
    out = manager.render(2 * 4800)[:, 0]
    assert (out[:4800] == 1.0).all() and not out[4800:].any()


def test_resume_on_a_clock_time_waits_for_it():
    src, data = counting_source()
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(10))
    handle = manager.play(data)
    handle.pause()
    manager.render(BLOCK)
    clock.start()
    handle.resume(Tween(0.0, start_time=StartTime.at(ClockTime(clock.key, 2))))
    out = manager.render(12000)
    assert handle.state.value == "playing"
    assert first_sound(out) == 9600
    assert out[9600, 0] == src[0]


def test_a_speed_change_on_a_clock_time_starts_on_that_tick():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(1))
    other = manager.add_clock(ClockSpeed.ticks_per_second(1))
    clock.start()
    other.start()
    at_tick_two = Tween(0.0, start_time=StartTime.at(ClockTime(clock.key, 2)))
    clock.set_speed(ClockSpeed.ticks_per_second(2), at_tick_two)
    other.set_speed(ClockSpeed.ticks_per_second(4), at_tick_two)
    manager.render(3 * RATE)
    events = [e for e in manager.pop_events() if e.kind == "clock_tick"]
    mine = {e.data["ticks"]: e.data["frame"] for e in events if e.key == clock.key}
    theirs = {e.data["ticks"]: e.data["frame"] for e in events if e.key == other.key}
    assert mine[2] == 96000 and abs(mine[3] - 120000) <= 1
    assert abs(theirs[3] - 108000) <= 1


def test_a_clock_added_started_ticks_from_the_first_block():
    manager = offline()
    clock = manager.add_clock(ClockSpeed.ticks_per_second(10), start=True)
    manager.render(4800)
    assert clock.ticking and clock.time().ticks == 1
