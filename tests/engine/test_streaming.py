"""Streaming sounds: decoded while they play, the same samples as static, failures contained."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile

from mixdeck.engine import (AudioManager, AudioManagerSettings, PlaybackState, Region, StaticSoundData,
                            StaticSoundSettings, StreamingSoundData, StreamingSoundSettings, Tween)

from tests.engine.support import BLOCK, RATE, constant_source, offline
from tests.service.support import wait_until

SECONDS = 6


@pytest.fixture(params=["wav", "flac"])
def sound_file(request, tmp_path):
    rng = np.random.default_rng(8)
    t = np.arange(SECONDS * 44_100) / 44_100
    samples = np.stack([0.4 * np.sin(2 * np.pi * 330 * t), rng.uniform(-0.3, 0.3, t.size)], axis=1)
    path = tmp_path / f"music.{request.param}"
    soundfile.write(path, samples, 44_100, subtype="PCM_16")
    return path


def render_both(path, settings: dict, actions=(), blocks: int = 200, small_ring: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The same playback, static then streamed, with ``actions`` (block index, callable(handle)) on the way."""
    outs = []
    for streaming in (False, True):
        extra = {"stream_buffer_frames": 1 << 14} if small_ring else {}
        manager = offline(**extra)
        if streaming:
            data = StreamingSoundData.from_file(path)
            handle = manager.play(data, StreamingSoundSettings(**settings))
        else:
            handle = manager.play(StaticSoundData.from_file(path), StaticSoundSettings(**settings))
        out = []
        for block in range(blocks):
            for at, action in actions:
                if at == block:
                    action(handle)
            out.append(manager.render(BLOCK))
        outs.append(np.concatenate(out).astype(np.float64))
        manager.close()
    return outs[0], outs[1]


@pytest.mark.parametrize("settings", [
    {},
    {"start_position": 1.25},
    {"loop_region": Region(0.5, 2.0), "playback_rate": 1.3},
    {"loop_region": Region(1.0, None), "start_position": 3.0, "volume": -6.0, "panning": 0.5},
])
def test_a_streamed_file_renders_the_same_samples_as_the_same_file_played_static(sound_file, settings):
    static, streamed = render_both(sound_file, settings)
    assert np.abs(static).max() > 0.1
    np.testing.assert_allclose(streamed, static, rtol=0, atol=1e-6)


def test_seeks_and_pauses_stream_the_same_samples_as_static(sound_file):
    actions = [(20, lambda h: h.seek_to(4.0)), (40, lambda h: h.seek_by(-2.5)), (60, lambda h: h.pause(Tween(0.05))),
               (70, lambda h: h.resume(Tween(0.05))), (90, lambda h: h.set_loop_region(Region(0.2, 0.6))),
               (120, lambda h: h.seek_to(0.1))]
    static, streamed = render_both(sound_file, {}, actions)
    np.testing.assert_allclose(streamed, static, rtol=0, atol=1e-6)


def test_a_small_ring_still_streams_a_long_loop_exactly(sound_file):
    # A loop longer than the ring: the decoder must not overwrite frames still to be played.
    static, streamed = render_both(sound_file, {"loop_region": Region(0.3, 5.9)}, blocks=1300, small_ring=True)
    np.testing.assert_allclose(streamed, static, rtol=0, atol=1e-6)


def test_a_stream_refuses_reverse_and_slice_naming_them(sound_file):
    from mixdeck.engine import InvalidValue

    manager = offline()
    data = StreamingSoundData.from_file(sound_file)
    for field, settings in (("reverse", StreamingSoundSettings(reverse=True)),
                            ("slice", StreamingSoundSettings(slice=(0.0, 1.0)))):
        with pytest.raises(InvalidValue) as caught:
            manager.play(data, settings)
        assert caught.value.field == field
    assert manager.counts()["slots_used"]["sound"] == 0


@pytest.mark.parametrize("looping", [False, True])
def test_a_file_cut_while_it_plays_raises_an_error_plays_what_decoded_and_ends_there(tmp_path, looping):
    path = tmp_path / "long.wav"
    soundfile.write(path, np.full((20 * RATE, 2), 0.25), RATE, subtype="PCM_16")
    manager = offline(stream_buffer_frames=1 << 14)
    settings = StreamingSoundSettings(loop_region=Region(0.0, None) if looping else None)
    streamed = manager.play(StreamingSoundData.from_file(path, settings))
    other = manager.play(constant_source(0.5, frames=30 * RATE))
    out = [manager.render(10 * BLOCK)]
    os.truncate(path, os.path.getsize(path) // 4)  # cut at about 5 s
    errors: list = []
    for _ in range(15 * RATE // BLOCK):
        out.append(manager.render(BLOCK))
        if not errors:
            errors = [e for e in manager.pop_events() if e.kind == "error" and e.key == streamed.key]
            if errors:
                # Told of the cut before it is heard, a user asks for a loop over the whole file:
                # frames past the cut do not exist, so there is nothing to loop.
                streamed.set_loop_region(Region(0.0, None))
    mix = np.concatenate(out)
    assert streamed.state is PlaybackState.STOPPED and other.state is PlaybackState.PLAYING
    assert streamed.loop_region is None
    assert errors and "long.wav" in errors[0].data["message"] and "frame" in errors[0].data["message"]
    cut = errors[0].data["frame"]
    assert abs(cut - (os.path.getsize(path) - 44) // 4) <= 64  # the whole frames left after the header
    # Every frame that decoded is heard, exactly, and nothing after it: no frame that was not in the file.
    np.testing.assert_array_equal(mix[:cut], np.float32(0.75))
    np.testing.assert_array_equal(mix[cut:], np.float32(0.5))
    assert streamed.underflows == 0


def test_a_slow_decoder_makes_underflows_that_are_counted_not_a_crash(tmp_path):
    path = tmp_path / "music.wav"
    soundfile.write(path, np.full((30 * RATE, 2), 0.25), RATE, subtype="PCM_16")
    manager = AudioManager(AudioManagerSettings(output="null", stream_buffer_frames=1 << 14))
    try:
        decoder = manager.stream_decoder()
        decoder.budget = 512
        decoder.throttle = 0.05  # ~10,000 frames a second: far behind real time
        streamed = manager.play(StreamingSoundData.from_file(path), StreamingSoundSettings(loop_region=Region(0.0, None)))
        steady = manager.play(constant_source(0.5, frames=60 * RATE))
        wait_until(lambda: streamed.underflows > 10, timeout=20)
        assert streamed.state is PlaybackState.PLAYING and steady.state is PlaybackState.PLAYING
        assert manager.output_info["audio_process"]["restarts"] == 0
        decoder.throttle = 0.0
        decoder.budget = 1 << 16
        seen = streamed.underflows
        position = streamed.position
        wait_until(lambda: streamed.position > position + 0.5, timeout=20)
        assert streamed.underflows >= seen
    finally:
        manager.close()


def test_the_decoders_record_of_the_ring_matches_the_tags_through_random_writes():
    from mixdeck.engine.sound.decoder import Present

    rng = np.random.default_rng(5)
    for ring in (7, 64, 1000):
        tags = np.full(ring, -1, dtype=np.int64)
        present = Present()
        for _ in range(300):
            start = int(rng.integers(0, 20 * ring))
            stop = start + int(rng.integers(1, ring))
            frames = np.arange(start, stop)
            tags[frames % ring] = frames
            present.wrote(start, stop, ring)
            a = int(rng.integers(0, 20 * ring))
            b = a + int(rng.integers(1, 3 * ring))
            truth = np.arange(a, b)[tags[np.arange(a, b) % ring] != np.arange(a, b)]
            gaps = present.missing(a, b)
            said = np.concatenate([np.arange(c, d) for c, d in gaps]) if gaps else np.empty(0, dtype=np.int64)
            assert np.array_equal(said, truth)
