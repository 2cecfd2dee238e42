"""The media folder: confining paths to it, probing files, and the built-in first-start library."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from .errors import Forbidden, Invalid, NotAudio, NotFound, TooLarge

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".aiff", ".aif", ".mp3"}
BUILTIN_RATE = 48000


def resolve_media_path(root: Path, relative: str) -> Path:
    """The real path of `relative` inside `root`, or an error naming `path`.

    Absolute paths and '..' are a 422; a path that resolves outside the folder
    (through a symlink) is a 403; a missing file is a 404.
    """
    if "\x00" in relative:
        raise Invalid("path must not contain NUL characters", field="path")
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        raise Invalid("path must be relative to the media folder", field="path")
    if any(part == ".." for part in Path(relative.replace("\\", "/")).parts):
        raise Invalid("path must not contain '..'", field="path")
    real_root = root.resolve()
    try:
        real = (real_root / candidate).resolve()
        inside = real == real_root or real_root in real.parents
        found = inside and real.is_file()
    except OSError as exc:  # a name too long for the file system, a loop of links
        raise Invalid.about("path", f"cannot be looked up in the media folder ({exc.strerror or exc})") from None
    if not inside:
        raise Forbidden("path leads outside the media folder", field="path")
    if not found:
        raise NotFound(f"no file {relative[:200]!r} in the media folder", field="path")
    return real


def wav_truncation(path: Path) -> str | None:
    """Why a RIFF/WAVE file is cut short, or None when it is whole (or not a WAV).

    libsndfile quietly plays what is left of a truncated WAV; an upload cut
    short in transit should be refused instead, so the chunk sizes the header
    declares are checked against the file's length.
    """
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        riff_size = int.from_bytes(head[4:8], "little")
        if riff_size not in (0, 0xFFFFFFFF) and riff_size + 8 > size:
            return f"the header declares {riff_size + 8} bytes but the file holds {size}"
        offset = 12
        while offset + 8 <= size:
            f.seek(offset)
            chunk = f.read(8)
            chunk_size = int.from_bytes(chunk[4:8], "little")
            if chunk[:4] == b"data":
                if chunk_size not in (0, 0xFFFFFFFF) and offset + 8 + chunk_size > size:
                    return f"the data chunk declares {chunk_size} bytes but only {size - offset - 8} follow"
                return None
            offset += 8 + chunk_size + (chunk_size & 1)
    return "the file ends before its data chunk"


def decoder_reason(exc: BaseException, path: Path, name: str | None) -> str:
    """The decoder's words about `path`, with the server's file path replaced by the client's name for it."""
    text = str(exc)
    shown = name or path.name
    for spelled in (str(path), path.name):
        text = text.replace(f"'{spelled}'", shown).replace(spelled, shown)
    return text


BYTES_PER_FRAME = 8  # the engine keeps two channels of float32 whatever the file holds


def audio_info(path: Path, name: str | None = None, field: str = "file") -> Any:
    """What an audio file's header says (frames, samplerate, …); not audio or truncated is a 415 naming `field`."""
    try:
        info = soundfile.info(str(path))
    except Exception as exc:  # soundfile raises several types for unreadable input
        reason = decoder_reason(exc, path, name)
        raise NotAudio(f"not a supported audio file: {reason}", field=field) from exc
    if info.samplerate <= 0 or info.frames <= 0:
        raise NotAudio("the file holds no audio frames", field=field)
    truncated = wav_truncation(path)
    if truncated:
        raise NotAudio(f"the WAV file is truncated: {truncated}", field=field)
    return info


def probe(
    path: Path, max_seconds: float, name: str | None = None, max_bytes: int | None = None, field: str = "file"
) -> int:
    """The frame count of an audio file, refusing one that cannot be taken.

    Not audio or truncated is a 415; one that lasts more than `max_seconds` or
    decodes to more than `max_bytes` (8 bytes a frame) is a 413. Runs before
    decoding, so a file too large is refused without being read. `field` names
    where the file came from in the request ('file' for an upload, 'path').
    """
    info = audio_info(path, name, field)
    seconds = info.frames / info.samplerate
    if seconds > max_seconds:
        raise TooLarge(
            f"the sound lasts {seconds:.1f} s; the limit is {max_seconds:g} s (MIXDECK_MAX_SOUND_SECONDS)",
            field=field,
        )
    decoded = info.frames * BYTES_PER_FRAME
    if max_bytes is not None and decoded > max_bytes:
        raise TooLarge(
            f"the sound would take {decoded} bytes decoded ({info.frames} frames of {BYTES_PER_FRAME} bytes); "
            f"the limit is {max_bytes} bytes (MIXDECK_MAX_SOUND_BYTES)",
            field=field,
        )
    return int(info.frames)


def audio_files(root: Path) -> list[Path]:
    """Audio files directly in `root` (not following links out of it), sorted by name."""
    if not root.is_dir():
        return []
    real_root = root.resolve()
    found = []
    for entry in sorted(root.iterdir()):
        # Dot files are the service's own (an upload being saved, the library index).
        if entry.suffix.lower() in AUDIO_SUFFIXES and not entry.name.startswith(".") and entry.is_file():
            if real_root in entry.resolve().parents:
                found.append(entry)
    return found


def _fade(signal: np.ndarray, seconds: float = 0.01) -> np.ndarray:
    n = min(int(BUILTIN_RATE * seconds), len(signal) // 2)
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float64)
    signal[:n] *= ramp
    signal[-n:] *= ramp[::-1]
    return signal


def builtin_sounds(rate: int = BUILTIN_RATE) -> dict[str, np.ndarray]:
    """Small generated sounds (mono float arrays, peak about 0.5) for a first start."""
    rng = np.random.default_rng(7)

    def t(seconds: float) -> np.ndarray:
        return np.arange(int(rate * seconds)) / rate

    tone = 0.5 * np.sin(2 * np.pi * 440.0 * t(2.0))
    chord_t = t(3.0)
    chord = sum(np.sin(2 * np.pi * f * chord_t) for f in (261.63, 329.63, 392.0)) * (0.5 / 3)
    chord *= np.exp(-chord_t / 2.0)
    drum_t = t(0.6)
    drum_freq = 50.0 + 120.0 * np.exp(-drum_t / 0.04)
    drum = 0.8 * np.sin(2 * np.pi * np.cumsum(drum_freq) / rate) * np.exp(-drum_t / 0.15)
    drum += 0.2 * rng.standard_normal(drum_t.size) * np.exp(-drum_t / 0.02)
    noise = 0.25 * rng.standard_normal(int(rate * 2.0))
    sweep_t = t(3.0)
    f0, f1 = 100.0, 8000.0
    k = np.log(f1 / f0) / 3.0
    sweep = 0.4 * np.sin(2 * np.pi * f0 * (np.exp(k * sweep_t) - 1) / k)
    sounds = {"tone.wav": tone, "chord.wav": chord, "drum.wav": drum, "noise.wav": noise, "sweep.wav": sweep}
    return {name: np.clip(_fade(np.asarray(sig, dtype=np.float64)), -1, 1) for name, sig in sounds.items()}


BUILTIN_NAMES = frozenset({"tone.wav", "chord.wav", "drum.wav", "noise.wav", "sweep.wav"})


def write_builtin_library(root: Path) -> list[Path]:
    """Write the built-in sounds as 16-bit WAV into `root` (created if missing); return their paths."""
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, signal in builtin_sounds().items():
        path = root / name
        tmp = root / f".{name}.tmp"
        soundfile.write(str(tmp), signal, BUILTIN_RATE, subtype="PCM_16", format="WAV")
        os.replace(tmp, path)
        written.append(path)
    return written
