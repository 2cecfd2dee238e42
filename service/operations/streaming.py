"""Streaming sounds in the library: which sounds stream, opening them, and their waveforms read from disk.

A streaming sound is not decoded when it is added: only its header is read,
and each voice of it reads the file into a small buffer as it plays. So the
decoded-size caps and the library's memory budget do not count it, and its
waveform is computed by reading the file through once, a block at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from mixdeck import engine

from ..errors import NotAudio
from ..media import decoder_reason
from ..runtime import Runtime

PEAK_BLOCK_FRAMES = 1 << 16  # frames read at a time for a waveform: 512 KiB of float32 stereo


def is_streaming(data: Any) -> bool:
    return isinstance(data, engine.StreamingSoundData)


def wanted(rt: Runtime, choice: bool | None, seconds: float) -> bool:
    """Whether a sound of `seconds` streams: as the client chose, else when it is longer than the setting."""
    if choice is not None:
        return choice
    above = rt.settings.stream_above_seconds
    return above > 0 and seconds > above


def open_stream(path: Path, name: str | None, field: str, asked: bool) -> Any:
    """The StreamingSoundData for `path`; runs in a worker thread.

    A file the engine cannot stream (its length is not known without decoding
    it) is a 415 naming `field` when streaming was asked for, and None when it
    was only the default, so the caller decodes it whole instead.
    """
    try:
        return engine.StreamingSoundData.from_file(str(path))
    except engine.UnsupportedAudio as exc:
        if not asked:
            return None
        raise NotAudio(f"cannot be streamed: {decoder_reason(exc, path, name)}", field=field) from exc


def relocated(data: Any, path: Path) -> Any:
    """The same streaming sound read from `path` (an upload moved from where it was saved to its place)."""
    return engine.StreamingSoundData(
        str(path), data.sample_rate, data.channels, data.num_frames, data.settings, path.name
    )


def file_peaks(path: str, frames: int, points: int) -> tuple[list[float], list[float]]:
    """Min and max of the mono mix over `points` equal spans of a file, read a block at a time.

    The spans are those of a decoded sound's waveform. A file that fails part
    way (cut short since it was added) gives 0 for the spans it did not reach.
    """
    edges = np.minimum((np.arange(points) * max(frames, 1)) // points, max(frames - 1, 0))
    lo = np.full(points, np.inf)
    hi = np.full(points, -np.inf)
    at = 0
    try:
        with soundfile.SoundFile(path) as sound_file:
            for block in sound_file.blocks(PEAK_BLOCK_FRAMES, dtype="float32", always_2d=True):
                mono = block.mean(axis=1)
                spans = np.searchsorted(edges, np.arange(at, at + len(mono)), side="right") - 1
                starts = np.concatenate(([0], np.flatnonzero(np.diff(spans)) + 1))
                owners = spans[starts]
                lo[owners] = np.minimum(lo[owners], np.minimum.reduceat(mono, starts))
                hi[owners] = np.maximum(hi[owners], np.maximum.reduceat(mono, starts))
                at += len(mono)
    except (RuntimeError, OSError, ValueError):
        pass  # what was read stands; the rest of the waveform is flat
    # A span no frame falls in (more points than frames) shows the span that holds its first frame.
    owner = np.searchsorted(edges, edges, side="right") - 1
    lo, hi = lo[owner], hi[owner]
    lo[~np.isfinite(lo)] = 0.0
    hi[~np.isfinite(hi)] = 0.0
    return [round(float(v), 5) for v in np.clip(lo, -1, 1)], [round(float(v), 5) for v in np.clip(hi, -1, 1)]
