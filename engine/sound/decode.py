"""Decoding files and arrays into the padded stereo layout voices read.

Only frames that actually decoded are ever returned: the result is sized to
what libsndfile delivered, never to what a header promised, so no sample that
was not in the source (a block left over from an earlier read, another
sound's freed memory) can be played. (soundfile's ``blocks()`` hands back its
whole reused buffer after a short read, which is how a cut MP3 came to play
leftovers; this module calls libsndfile itself and keeps only the count it
returns.)

What happens to a file cut short depends on what its format lets a reader
know. Checked with libsndfile 1.2.2 on files cut at every few bytes, from
inside the header to one byte short:

- **WAV, RF64** state their data length in the header. libsndfile quietly
  shortens a cut file to the whole frames still present, so the header is
  read here as well: a file holding fewer frames than its header states is
  **refused** (``UnsupportedAudio``, "... is truncated: it holds 66144 of the
  132300 frames its header states").
- **FLAC** states its frame count in STREAMINFO; libFLAC loses sync where the
  file ends. **Refused**, saying how many frames decoded first.
- **MP3** is a run of self-contained frames. Its length is an optional
  Xing/Info tag's count or libsndfile's estimate from the file size, and tags
  are often stale after editing, so a short count does not prove damage. A cut
  file decodes the whole frames before the cut, exactly as the intact file
  does; it is **trimmed** to them (``Decoded.trimmed`` is true). libsndfile
  never decodes past its count, so an MP3 with no tag whose estimate falls
  short (variable bitrate) plays only as long as the estimate.
- **Ogg** (Vorbis, Opus) has no length in its header: libsndfile takes it from
  the last complete page, so a cut file opens as the pages before the cut and
  decodes exactly those. Such a cut cannot be told from a shorter stream and
  plays as one (``trimmed`` stays false). Cut inside its headers or first
  audio page, nothing decodes and the file is refused.
- Other formats libsndfile reads follow the same rule as FLAC when fewer
  frames decode than libsndfile counts. For the uncompressed ones (AIFF, AU,
  W64, ...) libsndfile counts only the frames present, as for WAV, and their
  headers are not read here, so a cut file plays the frames it holds.

Everything decodes block by block straight into the result (a stereo file
needs no other buffer; mono and multichannel files pass through one block of
scratch), 8 bytes a frame.
"""

from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from ..errors import InvalidValue, UnsupportedAudio

MAX_SAMPLE_RATE = 384_000
DECODE_BLOCK_FRAMES = 65_536

# Room for this many frames is taken before decoding, at most; a longer sound
# grows the buffer as it decodes, so a header claiming billions of frames
# costs nothing until they actually decode.
_FIRST_CAPACITY = 1 << 22

# Formats whose cut files keep what decoded (see the module docstring).
_STREAM_FORMATS = frozenset({"MP3", "OGG"})
_RIFF_FORMATS = frozenset({"WAV", "WAVEX", "RF64"})
# libsndfile's count when a stream does not say its length (SF_COUNT_MAX).
_LENGTH_UNKNOWN = (1 << 63) - 1
_UNBOUNDED = sys.maxsize


@dataclass(frozen=True, slots=True)
class Decoded:
    """A sound's frames as float32 stereo, padded for interpolation.

    ``padded`` has shape (frames + 3, 2), C-contiguous: frame i of the sound
    is row i + 1; row 0 repeats frame 0 and the last two rows repeat the last
    frame, so the four interpolation taps never need a bounds check.
    ``channels`` is the source's count (mono is copied to both columns; beyond
    two, the first two are kept). ``claimed_frames`` is the length the file's
    header stated (the decoded count when it stated none). ``trimmed`` is true
    when fewer frames decoded than claimed and the format's policy kept what
    decoded (MP3, Ogg).
    """

    padded: np.ndarray
    sample_rate: int
    channels: int
    claimed_frames: int
    trimmed: bool

    @property
    def frames(self) -> np.ndarray:
        """The sound's own frames, shape (frames, 2), a view of ``padded``."""
        return self.padded[1:-2]

    @property
    def num_frames(self) -> int:
        return int(self.padded.shape[0]) - 3


def decode_file(path: str | os.PathLike[str], max_frames: int | None = None) -> Decoded:
    """Decode a whole file that libsndfile reads (wav, flac, ogg, mp3, aiff, ...).

    ``max_frames`` bounds the sound's length in frames: it is checked against
    the header's count before decoding, and against the frames as they
    decode for a stream that states no count. A file cut short is refused
    when its format states its length (WAV, RF64, FLAC) and trimmed to the
    frames that decoded when it is a stream of frames or pages (MP3, Ogg);
    see the module docstring.

    Raises ``UnsupportedAudio`` (field ``file``) with a sentence naming the
    file when it is not audio, holds no frames, is truncated, is longer than
    ``max_frames``, has a sample rate outside 1..384000 Hz, or holds samples
    that are not finite.
    """
    import soundfile

    name = os.path.basename(os.fspath(path))
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        raise UnsupportedAudio(f"{name} is empty", "file")
    try:
        sound_file = soundfile.SoundFile(os.fspath(path))
    except (RuntimeError, TypeError, ValueError, OSError) as error:
        raise UnsupportedAudio(f"{name} is not an audio file that can be read: {_reason(error, path)}",
                               "file") from None
    with sound_file:
        return _decode_open(sound_file, os.fspath(path), name, max_frames)


def decode_array(frames: Any, sample_rate: int) -> Decoded:
    """Pad in-memory samples: shape (n,) for mono or (n, channels); float, -1..1.

    ``sample_rate`` is in Hz, a whole number from 1 to 384000. Raises
    ``InvalidValue`` naming ``sample_rate`` or ``frames`` (empty, of another
    shape, not real numbers, not finite).
    """
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, np.integer)) \
            or not 1 <= sample_rate <= MAX_SAMPLE_RATE:
        raise InvalidValue("sample_rate", f"must be a whole number from 1 to {MAX_SAMPLE_RATE}")
    array = np.asarray(frames)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise InvalidValue("frames", "must be a non-empty array of shape (n,) or (n, channels)")
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
        raise InvalidValue("frames", "must hold real numbers")
    count, channels = array.shape
    padded = np.empty((count + 3, 2), dtype=np.float32)
    padded[1:-2] = array[:, :2] if channels > 1 else array
    if not np.isfinite(padded[1:-2]).all():
        raise InvalidValue("frames", "must be finite numbers")
    _pad_edges(padded)
    return Decoded(padded, int(sample_rate), channels, count, False)


def _decode_open(sound_file: Any, path: str, name: str, max_frames: int | None) -> Decoded:
    channels, sample_rate, listed = sound_file.channels, sound_file.samplerate, sound_file.frames
    if not 1 <= sample_rate <= MAX_SAMPLE_RATE:
        raise UnsupportedAudio(f"{name} has a sample rate of {sample_rate} Hz; the engine plays up to "
                               f"{MAX_SAMPLE_RATE} Hz", "file")
    claimed = None if listed >= _LENGTH_UNKNOWN else listed
    if sound_file.format in _RIFF_FORMATS and os.path.isfile(path):
        claimed = _check_riff(path, name, claimed)
    if claimed is not None and max_frames is not None and claimed > max_frames:
        raise UnsupportedAudio(f"{name} is longer than the limit of {max_frames} frames "
                               f"(it states {claimed})", "file")

    padded, filled, stopped = _decode_blocks(sound_file, name, claimed, max_frames)
    stream = sound_file.format in _STREAM_FORMATS
    if stopped is not None and not stream:
        raise UnsupportedAudio(f"{name} is truncated or damaged: {filled} of its {claimed} frames decoded "
                               f"before the decoder stopped ({stopped})", "file")
    if claimed is not None and filled < claimed and not stream:
        raise UnsupportedAudio(f"{name} is truncated: {filled} of the {claimed} frames its header states "
                               "decoded", "file")
    if filled == 0:
        raise UnsupportedAudio(f"{name} holds no audio frames that decode", "file")
    padded.resize((filled + 3, 2))
    _pad_edges(padded)
    trimmed = claimed is not None and filled < claimed
    return Decoded(padded, int(sample_rate), channels, filled if claimed is None else claimed, trimmed)


def _decode_blocks(sound_file: Any, name: str, claimed: int | None,
                   max_frames: int | None) -> tuple[np.ndarray, int, str | None]:
    """Decode until libsndfile stops: (buffer, frames decoded into rows 1.., libsndfile's error or None).

    The buffer has room for at least the decoded frames plus padding; rows
    past them are uninitialised and must be cut off by the caller.
    """
    read = Reader(sound_file)
    channels = sound_file.channels
    padded = np.empty((min(claimed or 0, _FIRST_CAPACITY, _limit(max_frames)) + 3, 2), dtype=np.float32)
    scratch = None if channels == 2 else np.empty((DECODE_BLOCK_FRAMES, channels), dtype=np.float32)
    filled = 0
    while True:
        room = padded.shape[0] - 3 - filled
        if room == 0:
            if claimed is not None and filled >= claimed:
                return padded, filled, None
            padded.resize((_grown(filled, claimed, max_frames) + 3, 2))
            room = padded.shape[0] - 3 - filled
        rows = padded[1 + filled : 1 + filled + min(room, DECODE_BLOCK_FRAMES)]
        if scratch is None:
            count, stopped = read(rows)
        else:
            count, stopped = read(scratch[: rows.shape[0]])
            rows[:count] = scratch[:count, :2] if channels > 1 else scratch[:count]
        if count and not np.isfinite(rows[:count]).all():
            raise UnsupportedAudio(f"{name} holds samples that are not finite numbers", "file")
        # The next resize needs the buffer to have no views.
        del rows
        filled += count
        if max_frames is not None and filled > max_frames:
            raise UnsupportedAudio(f"{name} is longer than the limit of {max_frames} frames", "file")
        if stopped is not None or count == 0:
            return padded, filled, stopped


class Reader:
    """Calls libsndfile's ``sf_readf_float`` directly.

    ``SoundFile.read`` seeks back to where it believes it is after every call;
    on MP3 that seek goes through mpg123's frame index and lands a few hundred
    samples off, so a file read in blocks decodes differently from the same
    file read at once. Reading without seeking keeps every block exact.
    """

    def __init__(self, sound_file: Any) -> None:
        from soundfile import _ffi, _snd

        self._ffi, self._snd, self._handle = _ffi, _snd, sound_file._file

    def __call__(self, out: np.ndarray) -> tuple[int, str | None]:
        """Decode up to ``len(out)`` frames into ``out`` (float32, C-contiguous, one column a channel).

        Returns the frames written and, when libsndfile reported an error,
        its message; frames beyond the count are left as they were.
        """
        assert out.dtype == np.float32 and out.flags.c_contiguous
        count = int(self._snd.sf_readf_float(self._handle, self._ffi.cast("float *", out.ctypes.data),
                                             out.shape[0]))
        if self._snd.sf_error(self._handle):
            message = self._ffi.string(self._snd.sf_strerror(self._handle)).decode("utf-8", "replace")
            return max(count, 0), message.removeprefix("Error : ").rstrip(".")
        return max(count, 0), None


def _check_riff(path: str, name: str, listed: int | None) -> int | None:
    """The frame count a WAV/RF64 header states, refusing a file that holds fewer bytes than that.

    ``listed`` is libsndfile's count, returned when the header states no
    length (a data size of 0 or 0xFFFFFFFF, left by writers that never
    finished the file) or when the header could not be read here.
    """
    with open(path, "rb") as file:
        stated = _riff_data_chunk(file)
        size = file.seek(0, os.SEEK_END)
    if stated is None:
        return listed
    offset, data_bytes, block_align, pcm = stated
    present = max(size - offset, 0)
    if pcm:
        claimed = data_bytes // block_align
        if present < data_bytes:
            raise UnsupportedAudio(f"{name} is truncated: it holds {present // block_align} of the "
                                   f"{claimed} frames its header states", "file")
        return claimed
    if present < data_bytes:
        raise UnsupportedAudio(f"{name} is truncated: it holds {present} of the {data_bytes} bytes of "
                               "audio its header states", "file")
    return listed


# WAVE format tags whose frames are a fixed number of bytes (block_align).
_FIXED_FRAME_TAGS = frozenset({0x0001, 0x0003, 0x0006, 0x0007})


def _riff_data_chunk(file: BinaryIO) -> tuple[int, int, int, bool] | None:
    """(data offset, data bytes the header states, block align, fixed-size frames) or None.

    None when the file is not RIFF/RIFX/RF64 WAVE, has no ``fmt `` before its
    ``data`` chunk, or states no length.
    """
    head = file.read(12)
    if len(head) < 12 or head[8:12] != b"WAVE" or head[:4] not in (b"RIFF", b"RIFX", b"RF64", b"BW64"):
        return None
    order = ">" if head[:4] == b"RIFX" else "<"
    big_data = None
    fmt = None
    offset = 12
    while True:
        file.seek(offset)
        chunk = file.read(8)
        if len(chunk) < 8:
            return None
        kind, size = chunk[:4], struct.unpack(order + "I", chunk[4:])[0]
        if kind == b"ds64":
            body = file.read(16)
            if len(body) == 16:
                big_data = struct.unpack("<Q", body[8:16])[0]
        elif kind == b"fmt ":
            body = file.read(min(size, 40))
            if len(body) < 16:
                return None
            tag, _, _, _, block_align = struct.unpack(order + "HHIIH", body[:14])
            if tag == 0xFFFE and len(body) >= 26:
                tag = struct.unpack(order + "H", body[24:26])[0]
            fmt = (block_align, tag in _FIXED_FRAME_TAGS)
        elif kind == b"data":
            if size == 0xFFFFFFFF and big_data is not None:
                size = big_data
            if fmt is None or fmt[0] == 0 or size in (0, 0xFFFFFFFF):
                return None
            return offset + 8, size, fmt[0], fmt[1]
        offset += 8 + size + (size & 1)


def _limit(max_frames: int | None) -> int:
    # One frame past the limit is room enough to see a sound is too long.
    return _UNBOUNDED if max_frames is None else max_frames + 1


def _grown(filled: int, claimed: int | None, max_frames: int | None) -> int:
    # libsndfile never delivers more than it counts, so its count caps the room.
    return min(max(2 * filled, _FIRST_CAPACITY), _limit(max_frames),
               _UNBOUNDED if claimed is None else claimed)


def _pad_edges(padded: np.ndarray) -> None:
    padded[0] = padded[1]
    padded[-2:] = padded[-3]


def _reason(error: BaseException, path: str | os.PathLike[str]) -> str:
    message = getattr(error, "error_string", None) or str(error)
    # libsndfile's MP3 reader says this of any file it finds no MPEG frames in.
    if "not a regular file" in message and os.path.isfile(path):
        return "no audio found in it"
    return message.removeprefix("Error : ").rstrip(".")
