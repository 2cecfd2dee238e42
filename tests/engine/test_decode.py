"""Decoding files the tests write and then cut short: only frames that decoded are ever returned."""

import numpy as np
import pytest
import soundfile

from mixdeck.engine.errors import InvalidValue, UnsupportedAudio
from mixdeck.engine.sound import decode
from mixdeck.engine.sound.decode import decode_array, decode_file

RATE = 44_100
# Longer than one decode block, so every test crosses a block boundary.
FRAMES = 2 * RATE

CAN_WRITE_MP3 = "MP3" in soundfile.available_formats() and "MPEG_LAYER_III" in soundfile.available_subtypes("MP3")
needs_mp3 = pytest.mark.skipif(not CAN_WRITE_MP3, reason="this libsndfile cannot write MP3")

FORMATS = [
    pytest.param("wav", "PCM_16", id="wav-pcm16"),
    pytest.param("wav", "PCM_24", id="wav-pcm24"),
    pytest.param("wav", "FLOAT", id="wav-float"),
    pytest.param("flac", "PCM_16", id="flac"),
    pytest.param("ogg", "VORBIS", id="ogg-vorbis"),
    pytest.param("mp3", "MPEG_LAYER_III", id="mp3", marks=needs_mp3),
]


def tone(frames: int = FRAMES, channels: int = 2, amplitude: float = 0.5, rate: int = RATE) -> np.ndarray:
    """A different sine on each channel, so a swapped or repeated channel shows."""
    t = np.arange(frames) / rate
    columns = [amplitude * np.sin(2 * np.pi * (330 + 110 * c) * t) for c in range(channels)]
    return columns[0] if channels == 1 else np.stack(columns, axis=1)


def write(path, samples, subtype, rate=RATE):
    soundfile.write(path, samples, rate, subtype=subtype)
    return path


def cut_lengths(size: int) -> list[int]:
    """Inside the header, just past it, a few percent, half, one byte short, and every ~1 % between."""
    points = {1, 4, 8, 12, 16, 20, 24, 36, 40, 44, 48, 64, 100, 200, 500, 1000,
              size // 100, size // 10, size // 4, size // 2, 3 * size // 4, size - 100, size - 2, size - 1}
    points.update(range(0, size, max(1, size // 97)))
    return sorted(c for c in points if 0 < c < size)


def cut(tmp_path, source, length, suffix):
    path = tmp_path / f"cut-{length}.{suffix}"
    path.write_bytes(source[:length])
    return path


def assert_prefix(decoded, intact):
    """The decoded frames are exactly the first frames of the intact file, padded as promised."""
    count = decoded.num_frames
    assert 0 < count <= intact.num_frames
    np.testing.assert_array_equal(decoded.frames, intact.frames[:count])
    np.testing.assert_array_equal(decoded.padded[0], decoded.padded[1])
    np.testing.assert_array_equal(decoded.padded[-2], decoded.padded[-3])
    np.testing.assert_array_equal(decoded.padded[-1], decoded.padded[-3])


@pytest.mark.parametrize("suffix,subtype", FORMATS)
def test_decoding_in_blocks_gives_the_frames_of_one_whole_read(tmp_path, suffix, subtype):
    path = write(tmp_path / f"tone.{suffix}", tone(), subtype)
    whole, rate = soundfile.read(path, dtype="float32", always_2d=True)
    decoded = decode_file(path)
    assert decoded.sample_rate == rate == RATE
    assert decoded.channels == 2
    assert decoded.claimed_frames == decoded.num_frames == len(whole) == FRAMES
    assert not decoded.trimmed
    np.testing.assert_array_equal(decoded.frames, whole)


@pytest.mark.parametrize("suffix,subtype", FORMATS)
def test_a_file_cut_anywhere_is_refused_or_gives_exactly_a_prefix_of_the_intact_file(tmp_path, suffix, subtype):
    intact_path = write(tmp_path / f"intact.{suffix}", tone(), subtype)
    intact = decode_file(intact_path)
    source = intact_path.read_bytes()
    for length in cut_lengths(len(source)):
        path = cut(tmp_path, source, length, suffix)
        try:
            decoded = decode_file(path)
        except UnsupportedAudio as error:
            assert error.field == "file"
            assert path.name in str(error)
            continue
        assert_prefix(decoded, intact)
        assert decoded.claimed_frames >= decoded.num_frames
        assert decoded.trimmed == (decoded.num_frames < decoded.claimed_frames)


@pytest.mark.parametrize("subtype", ["PCM_16", "PCM_24", "FLOAT"])
def test_a_cut_wav_is_refused_naming_the_frames_it_holds_and_its_header_states(tmp_path, subtype):
    source = write(tmp_path / "intact.wav", tone(), subtype).read_bytes()
    frame_bytes = 2 * {"PCM_16": 2, "PCM_24": 3, "FLOAT": 4}[subtype]
    header = len(source) - FRAMES * frame_bytes
    for length in (header, header + 1, header + frame_bytes, len(source) // 2, len(source) - 1):
        held = (length - header) // frame_bytes
        with pytest.raises(UnsupportedAudio, match=rf"cut-{length}\.wav is truncated: it holds {held} of the "
                                                   rf"{FRAMES} frames"):
            decode_file(cut(tmp_path, source, length, "wav"))


def test_a_cut_rf64_is_refused_as_a_wav_is(tmp_path):
    path = tmp_path / "intact.rf64"
    soundfile.write(path, tone(), RATE, format="RF64", subtype="PCM_16")
    source = path.read_bytes()
    with pytest.raises(UnsupportedAudio, match=rf"is truncated: it holds \d+ of the {FRAMES} frames"):
        decode_file(cut(tmp_path, source, len(source) // 2, "rf64"))


def test_a_wav_whose_header_states_no_length_plays_what_it_holds(tmp_path):
    # Recorders that never finished their file leave 0xFFFFFFFF as the data size.
    source = bytearray(write(tmp_path / "intact.wav", tone(), "PCM_16").read_bytes())
    data = source.index(b"data")
    source[data + 4 : data + 8] = b"\xff\xff\xff\xff"
    path = tmp_path / "unfinished.wav"
    path.write_bytes(bytes(source[: len(source) // 2]))
    decoded = decode_file(path)
    assert_prefix(decoded, decode_file(tmp_path / "intact.wav"))
    assert not decoded.trimmed


def test_a_cut_flac_is_refused_as_truncated_with_the_frames_that_decoded(tmp_path):
    source = write(tmp_path / "intact.flac", tone(), "PCM_16").read_bytes()
    for length in (60, 200, len(source) // 100, len(source) // 2, len(source) - 1):
        with pytest.raises(UnsupportedAudio, match=rf"cut-{length}\.flac (is truncated|is not an audio file)"):
            decode_file(cut(tmp_path, source, length, "flac"))
    with pytest.raises(UnsupportedAudio, match=rf"\d+ of its {FRAMES} frames decoded"):
        decode_file(cut(tmp_path, source, len(source) // 2, "flac"))


@needs_mp3
def test_a_cut_mp3_keeps_the_whole_frames_before_the_cut_and_says_it_was_trimmed(tmp_path):
    intact_path = write(tmp_path / "intact.mp3", tone(), "MPEG_LAYER_III")
    intact = decode_file(intact_path)
    source = intact_path.read_bytes()
    lengths = [len(source) // 4, len(source) // 2, len(source) - 1]
    kept = [decode_file(cut(tmp_path, source, length, "mp3")) for length in lengths]
    for decoded in kept:
        assert_prefix(decoded, intact)
        assert decoded.trimmed and decoded.claimed_frames == FRAMES
    assert kept[0].num_frames < kept[1].num_frames < kept[2].num_frames < FRAMES


@needs_mp3
def test_an_mp3_cut_before_its_first_frames_is_refused_as_not_audio(tmp_path):
    source = write(tmp_path / "intact.mp3", tone(), "MPEG_LAYER_III").read_bytes()
    with pytest.raises(UnsupportedAudio, match=r"cut-200\.mp3 is not an audio file that can be read: no audio "):
        decode_file(cut(tmp_path, source, 200, "mp3"))


def test_a_cut_ogg_plays_the_pages_before_the_cut(tmp_path):
    intact_path = write(tmp_path / "intact.ogg", tone(), "VORBIS")
    intact = decode_file(intact_path)
    source = intact_path.read_bytes()
    decoded = decode_file(cut(tmp_path, source, len(source) - 1, "ogg"))
    assert_prefix(decoded, intact)
    # Ogg states no length: libsndfile counts to the last complete page, so the cut is not seen.
    assert decoded.num_frames < FRAMES and decoded.claimed_frames == decoded.num_frames
    assert not decoded.trimmed


@pytest.mark.parametrize("suffix,subtype", [pytest.param("ogg", "VORBIS", id="ogg"),
                                            pytest.param("mp3", "MPEG_LAYER_III", id="mp3", marks=needs_mp3)])
def test_a_cut_quiet_sound_holds_nothing_of_a_loud_sound_freed_before_it(tmp_path, suffix, subtype):
    quiet_path = write(tmp_path / f"quiet.{suffix}", tone(amplitude=0.05), subtype)
    quiet = decode_file(quiet_path)
    ceiling = np.abs(quiet.frames).max()
    assert ceiling < 0.1
    loud_path = write(tmp_path / f"loud.{suffix}", tone(amplitude=0.9), subtype)
    source = quiet_path.read_bytes()
    for length in cut_lengths(len(source)):
        # Freed just before (numpy returns it at once), the loud sound's memory is what a careless
        # buffer would be handed.
        loud = decode_file(loud_path)
        assert np.abs(loud.frames).max() > 0.5
        del loud
        try:
            decoded = decode_file(cut(tmp_path, source, length, suffix))
        except UnsupportedAudio:
            continue
        assert np.abs(decoded.padded).max() <= ceiling
        assert_prefix(decoded, quiet)


def test_mono_is_copied_to_both_columns(tmp_path):
    samples = tone(channels=1).astype(np.float32)
    decoded = decode_file(write(tmp_path / "mono.wav", samples, "FLOAT"))
    assert decoded.channels == 1
    np.testing.assert_array_equal(decoded.frames[:, 0], samples)
    np.testing.assert_array_equal(decoded.frames[:, 1], samples)


def test_stereo_keeps_each_side(tmp_path):
    samples = tone(channels=2).astype(np.float32)
    decoded = decode_file(write(tmp_path / "stereo.flac", samples, "PCM_24"))
    assert decoded.channels == 2
    np.testing.assert_allclose(decoded.frames, samples, atol=1e-6)


@pytest.mark.parametrize("suffix,subtype", [("wav", "FLOAT"), ("flac", "PCM_24")])
def test_more_than_two_channels_keep_the_first_two(tmp_path, suffix, subtype):
    samples = tone(channels=4).astype(np.float32)
    decoded = decode_file(write(tmp_path / f"quad.{suffix}", samples, subtype))
    assert decoded.channels == 4
    np.testing.assert_allclose(decoded.frames, samples[:, :2], atol=1e-6)


def test_padding_rows_repeat_the_first_and_last_frames(tmp_path):
    samples = np.array([[0.1, -0.1], [0.2, -0.2], [0.3, -0.3], [0.4, -0.4]], dtype=np.float32)
    decoded = decode_file(write(tmp_path / "four.wav", samples, "FLOAT"))
    assert decoded.padded.shape == (4 + 3, 2)
    assert decoded.padded.dtype == np.float32 and decoded.padded.flags.c_contiguous
    np.testing.assert_array_equal(decoded.padded, samples[[0, 0, 1, 2, 3, 3, 3]])


def test_a_single_frame_sound_is_padded_from_that_frame(tmp_path):
    decoded = decode_file(write(tmp_path / "one.wav", np.array([[0.25, -0.5]]), "FLOAT"))
    np.testing.assert_array_equal(decoded.padded, np.tile([0.25, -0.5], (4, 1)).astype(np.float32))


def test_a_file_longer_than_max_frames_is_refused_before_decoding(tmp_path):
    path = write(tmp_path / "long.wav", np.zeros(10_000), "PCM_16", rate=8000)
    with pytest.raises(UnsupportedAudio, match=r"long\.wav is longer than the limit of 5000 frames"):
        decode_file(path, max_frames=5_000)
    assert decode_file(path, max_frames=10_000).num_frames == 10_000


def test_a_file_of_unstated_length_is_held_to_max_frames_while_decoding(tmp_path, monkeypatch):
    path = write(tmp_path / "long.flac", tone(frames=10_000), "PCM_16")
    # As if libsndfile could not tell the length (a stream it cannot seek): every count reads as unknown.
    monkeypatch.setattr(decode, "_LENGTH_UNKNOWN", 0)
    monkeypatch.setattr(decode, "_FIRST_CAPACITY", 1_000)
    with pytest.raises(UnsupportedAudio, match=r"long\.flac is longer than the limit of 5000 frames"):
        decode_file(path, max_frames=5_000)
    decoded = decode_file(path, max_frames=10_000)
    assert decoded.num_frames == decoded.claimed_frames == 10_000
    np.testing.assert_allclose(decoded.frames, tone(frames=10_000), atol=1e-4)


def test_a_sound_longer_than_the_first_buffer_grows_to_exactly_its_frames(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "_FIRST_CAPACITY", 1_000)
    samples = tone().astype(np.float32)
    decoded = decode_file(write(tmp_path / "long.wav", samples, "FLOAT"))
    assert decoded.padded.shape == (FRAMES + 3, 2)
    np.testing.assert_array_equal(decoded.frames, samples)


@pytest.mark.parametrize("content", [b"RIFF", bytes(range(256)) * 40, b"not audio at all\n" * 100],
                         ids=["riff-magic-only", "bytes", "text"])
def test_bytes_that_are_not_audio_are_refused_naming_the_file(tmp_path, content):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(UnsupportedAudio, match=r"^bad\.wav is not an audio file that can be read") as raised:
        decode_file(path)
    assert raised.value.field == "file"


def test_an_empty_file_is_refused_as_empty(tmp_path):
    path = tmp_path / "empty.ogg"
    path.write_bytes(b"")
    with pytest.raises(UnsupportedAudio, match=r"^empty\.ogg is empty$"):
        decode_file(path)


def test_a_missing_file_is_refused_naming_it(tmp_path):
    with pytest.raises(UnsupportedAudio, match=r"^gone\.wav "):
        decode_file(tmp_path / "gone.wav")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_samples_that_are_not_finite_are_refused(tmp_path, bad):
    samples = tone(frames=100_000).astype(np.float32)
    samples[70_000, 1] = bad
    with pytest.raises(UnsupportedAudio, match=r"nan\.wav holds samples that are not finite numbers"):
        decode_file(write(tmp_path / "nan.wav", samples, "FLOAT"))


def test_a_sample_rate_beyond_384_khz_is_refused(tmp_path):
    path = write(tmp_path / "fast.wav", np.zeros(1000), "PCM_16", rate=400_000)
    with pytest.raises(UnsupportedAudio, match=r"fast\.wav has a sample rate of 400000 Hz"):
        decode_file(path)
    assert decode_file(write(tmp_path / "top.wav", np.zeros(1000), "PCM_16", rate=384_000)).sample_rate == 384_000


def test_an_array_is_padded_as_a_file_is():
    samples = np.array([[0.1, -0.1, 0.9], [0.2, -0.2, 0.9]])
    decoded = decode_array(samples, 48_000)
    assert decoded.channels == 3 and decoded.sample_rate == 48_000
    assert decoded.claimed_frames == 2 and not decoded.trimmed
    assert decoded.padded.dtype == np.float32 and decoded.padded.flags.c_contiguous
    np.testing.assert_array_equal(decoded.padded, samples[[0, 0, 1, 1, 1], :2].astype(np.float32))


def test_a_mono_array_is_copied_to_both_columns():
    decoded = decode_array(np.array([0.5, -0.5], dtype=np.float32), 8000)
    assert decoded.channels == 1
    np.testing.assert_array_equal(decoded.frames, [[0.5, 0.5], [-0.5, -0.5]])


@pytest.mark.parametrize("rate", [0, 384_001, -1, 44_100.0, True, "44100"])
def test_an_array_with_a_bad_sample_rate_is_refused_naming_sample_rate(rate):
    with pytest.raises(InvalidValue) as raised:
        decode_array(np.zeros(10), rate)
    assert raised.value.field == "sample_rate"


@pytest.mark.parametrize("frames", [np.zeros(0), np.zeros((0, 2)), np.zeros((4, 0)), np.zeros((2, 2, 2)), 0.5,
                                    np.array(["a", "b"]), np.zeros(3, dtype=complex), [0.1, np.nan], [np.inf]],
                         ids=["empty", "no-rows", "no-columns", "3-d", "scalar", "strings", "complex", "nan", "inf"])
def test_an_array_that_is_not_finite_sound_is_refused_naming_frames(frames):
    with pytest.raises(InvalidValue) as raised:
        decode_array(frames, 48_000)
    assert raised.value.field == "frames"
