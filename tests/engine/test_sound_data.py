"""Loading sounds from real files the test writes, in the formats libsndfile reads."""

import numpy as np
import pytest
import soundfile

from mixdeck.engine import StaticSoundData, StaticSoundSettings, UnsupportedAudio

from tests.engine.support import RATE, offline


def tone(frames: int, rate: int, channels: int) -> np.ndarray:
    t = np.arange(frames) / rate
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    return left if channels == 1 else np.stack([left, -left], axis=1)


@pytest.mark.parametrize("suffix,subtype", [("wav", "PCM_16"), ("wav", "FLOAT"), ("flac", "PCM_24"), ("ogg", "VORBIS")])
def test_files_of_each_format_load_with_their_rate_length_and_channels(tmp_path, suffix, subtype):
    path = tmp_path / f"tone.{suffix}"
    soundfile.write(path, tone(22050, 22050, 2), 22050, subtype=subtype)
    data = StaticSoundData.from_file(path)
    assert data.sample_rate == 22050
    assert data.num_frames == 22050 and data.duration == 1.0  # a sound's length in seconds, not a wall-clock time
    assert data.channels == 2
    assert data.frames.shape == (22050, 2) and data.frames.dtype == np.float32
    tolerance = 0.05 if subtype == "VORBIS" else 1e-4
    np.testing.assert_allclose(data.frames[:, 1], -data.frames[:, 0], atol=tolerance)
    assert data.name == f"tone.{suffix}"


def test_a_wav_plays_back_exactly_what_it_holds(tmp_path):
    path = tmp_path / "float.wav"
    samples = tone(4800, RATE, 1).astype(np.float32)
    soundfile.write(path, samples, RATE, subtype="FLOAT")
    manager = offline()
    manager.play(StaticSoundData.from_file(path))
    out = manager.render(4800)
    np.testing.assert_array_equal(out[:, 0], samples)
    np.testing.assert_array_equal(out[:, 1], samples)


def test_a_file_at_another_rate_plays_at_its_own_pitch(tmp_path):
    path = tmp_path / "slow.wav"
    soundfile.write(path, tone(24000, 24000, 1), 24000, subtype="FLOAT")
    data = StaticSoundData.from_file(path)
    manager = offline()
    handle = manager.play(data)
    manager.render(RATE // 2)
    # Half a second of output is half a second of the sound, not a quarter.
    assert abs(handle.position - 0.5) < 1e-9


@pytest.mark.parametrize("content", [b"", b"RIFF", bytes(range(256)) * 40, b"not audio at all\n" * 100])
def test_what_is_not_audio_is_refused_with_unsupported_audio(tmp_path, content):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(UnsupportedAudio):
        StaticSoundData.from_file(path)


def test_a_sound_longer_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "long.wav"
    soundfile.write(path, np.zeros(10_000), 8000)
    with pytest.raises(UnsupportedAudio):
        StaticSoundData.from_file(path, max_frames=5_000)


def test_settings_travel_with_the_data_and_frames_are_shared():
    data = StaticSoundData.from_array(np.zeros(100, dtype=np.float32), RATE)
    louder = data.with_changes(volume=6.0)
    assert louder.settings == StaticSoundSettings(volume=6.0)
    assert louder.frames.base is data.frames.base or np.shares_memory(louder.frames, data.frames)
