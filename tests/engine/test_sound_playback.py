"""Static sounds on the offline output, frame by frame."""

import numpy as np

from mixdeck.engine import PlaybackState, Region, StartTime, StaticSoundData, StaticSoundSettings, Tween

from tests.engine.support import BLOCK, RATE, constant_source, counting_source, first_sound, offline


def test_start_position_plays_from_that_source_frame():
    src, data = counting_source()
    manager = offline()
    manager.play(data, StaticSoundSettings(start_position=0.5))
    out = manager.render(3 * BLOCK)
    assert out[0, 0] == src[24000] and out[0, 1] == src[24000]
    np.testing.assert_array_equal(out[:, 0], src[24000 : 24000 + 3 * BLOCK])


def test_delayed_start_is_sample_accurate_not_rounded_to_a_block():
    src, data = counting_source()
    manager = offline()
    manager.play(data, StaticSoundSettings(start_time=StartTime.delayed(0.1)))
    out = manager.render(6000)
    assert not out[:4800].any()
    assert out[4800, 0] == src[0]
    np.testing.assert_array_equal(out[4800:6000, 1], src[: 6000 - 4800])


def test_a_delayed_sound_is_playing_while_it_waits():
    _, data = counting_source()
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(start_time=StartTime.delayed(1.0)))
    manager.render(BLOCK)
    assert handle.state.value == "playing"
    assert handle.position == 0.0


def test_reverse_plays_the_source_backwards():
    src, data = counting_source(frames=4000)
    manager = offline()
    manager.play(data, StaticSoundSettings(reverse=True))
    out = manager.render(5000)
    np.testing.assert_array_equal(out[:4000, 0], src[::-1])
    assert not out[4000:].any()


def test_slice_plays_only_its_frames_and_positions_count_from_its_start():
    src, data = counting_source()
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(slice=(0.25, 0.5)))
    out = manager.render(RATE // 2)
    np.testing.assert_array_equal(out[:12000, 0], src[12000:24000])
    assert not out[12000:].any()
    assert handle.state.value == "stopped"


def test_loop_region_wraps_at_its_end_with_no_step_beyond_the_source():
    src, data = counting_source(frames=RATE)
    manager = offline()
    manager.play(data, StaticSoundSettings(loop_region=Region(0.25, 0.5)))
    out = manager.render(RATE)
    left = out[:, 0]
    assert left[23999] == src[23999]
    assert left[24000] == src[12000]
    assert left[36000] == src[12000]
    expected = np.concatenate([src[:24000], np.tile(src[12000:24000], 2)])
    np.testing.assert_array_equal(left[:48000], expected)


def test_a_looping_sound_that_starts_before_its_loop_plays_into_it():
    src, data = counting_source(frames=RATE)
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(start_position=0.1, loop_region=Region(0.5, None)))
    out = manager.render(RATE)
    assert out[0, 0] == src[4800]
    assert out[48000 - 4800 - 1, 0] == src[-1]
    assert out[48000 - 4800, 0] == src[24000]
    assert handle.state.value == "playing"


def test_a_sound_at_another_rate_is_resampled_with_cubic_interpolation():
    # Cubic Hermite reproduces a straight line exactly, so half-way frames are midpoints.
    ramp = np.linspace(-0.5, 0.5, 1000, dtype=np.float32)
    manager = offline()
    manager.play(StaticSoundData.from_array(ramp, RATE // 2))
    out = manager.render(1000)
    np.testing.assert_array_equal(out[0:1000:2, 0], ramp[:500])
    # The first half-way frame has no frame before it to curve with; from the second on it is exact.
    np.testing.assert_allclose(out[3:999:2, 0], (ramp[1:499] + ramp[2:500]) / 2, atol=1e-7)


def test_playback_rate_two_skips_every_other_frame():
    src, data = counting_source()
    manager = offline()
    manager.play(data, StaticSoundSettings(playback_rate=2.0))
    out = manager.render(BLOCK)
    np.testing.assert_array_equal(out[:, 0], src[0 : 2 * BLOCK : 2])


def test_a_sound_that_ends_stops_and_reports_it():
    src, data = counting_source(frames=1000)
    manager = offline()
    handle = manager.play(data)
    out = manager.render(2 * BLOCK)
    np.testing.assert_array_equal(out[:1000, 0], src)
    assert not out[1000:].any()
    assert handle.state.value == "stopped"
    kinds = [(event.kind, event.key) for event in manager.pop_events()]
    assert ("sound_finished", handle.key) in kinds


def test_mono_plays_on_both_sides_and_stereo_keeps_its_sides():
    stereo = np.stack([np.full(100, 0.25), np.full(100, -0.5)], axis=1).astype(np.float32)
    manager = offline()
    manager.play(StaticSoundData.from_array(stereo, RATE))
    out = manager.render(100)
    assert (out[:, 0] == 0.25).all() and (out[:, 1] == -0.5).all()


def test_offline_rendering_is_deterministic():
    def run():
        _, data = counting_source()
        manager = offline()
        handle = manager.play(data, StaticSoundSettings(playback_rate=1.37, panning=0.3))
        first = manager.render(1000)
        handle.set_volume(-3.0)
        return np.concatenate([first, manager.render(3000)])

    assert run().tobytes() == run().tobytes()


def test_first_sound_helper_finds_the_start():
    _, data = counting_source()
    manager = offline()
    manager.play(data, StaticSoundSettings(start_time=StartTime.delayed(0.01)))
    assert first_sound(manager.render(BLOCK * 2)) == 480


def hermite_reference(source: np.ndarray, positions: np.ndarray, loop: tuple[int, int]) -> np.ndarray:
    """Kira's interpolation, one frame at a time, every tap wrapped into the loop."""
    start, end = loop
    out = np.empty(len(positions))
    for k, position in enumerate(positions):
        whole = int(np.floor(position))
        x = position - whole
        taps = []
        for offset in (-1, 0, 1, 2):
            index = whole + offset
            if index >= end:
                index -= end - start
            taps.append(float(source[min(max(index, 0), len(source) - 1)]))
        before, y0, y1, y2 = taps
        c1 = 0.5 * (y1 - before)
        c2 = before - 2.5 * y0 + 2.0 * y1 - 0.5 * y2
        c3 = 0.5 * (y2 - before) + 1.5 * (y0 - y1)
        out[k] = ((c3 * x + c2) * x + c1) * x + y0
    return out


def test_a_loop_seam_at_a_fractional_rate_interpolates_across_the_wrap():
    noise = np.random.default_rng(3).uniform(-0.5, 0.5, RATE).astype(np.float32)
    loop = (12000, 24000)
    manager = offline()
    manager.play(StaticSoundData.from_array(noise, RATE),
                 StaticSoundSettings(loop_region=Region(0.25, 0.5), playback_rate=0.75))
    out = manager.render(40_000)[:, 0]
    positions = np.arange(40_000) * 0.75
    positions = np.where(positions >= loop[1], loop[0] + np.mod(positions - loop[0], loop[1] - loop[0]), positions)
    seam = slice(31_900, 32_100)  # the first wrap falls at output frame 32000
    np.testing.assert_allclose(out[seam], hermite_reference(noise, positions[seam], loop), atol=1e-6)


def test_a_reverse_sound_below_its_loop_plays_out_to_the_start_unwrapped():
    src, data = counting_source(frames=RATE)
    manager = offline()
    handle = manager.play(data, StaticSoundSettings(reverse=True, loop_region=Region(0.5, None), start_position=0.6))
    out = manager.render(20_000)[:, 0]
    first = RATE - 1 - int(0.6 * RATE)
    np.testing.assert_array_equal(out[: first + 1], src[first::-1])
    assert not out[first + 1 :].any()
    assert handle.state.value == "stopped"


def test_a_sound_says_it_waits_until_its_start_time():
    manager = offline()
    handle = manager.play(constant_source(0.5), StaticSoundSettings(start_time=StartTime.delayed(0.05)))
    manager.render(BLOCK)
    assert handle.waiting and handle.state is PlaybackState.PLAYING
    manager.render(5 * BLOCK)
    assert not handle.waiting
