"""Operations on sound data: list, get, add (path or upload), delete, waveform, play."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from starlette.concurrency import run_in_threadpool

import engine

from .. import ids
from ..errors import Invalid, NotAudio
from ..media import BUILTIN_NAMES, decoder_reason, probe, resolve_media_path
from ..models.sounds import AddSoundFromPath, Sound, SoundId, Waveform, WaveformQuery
from ..models.voices import PlayRequest, Voice
from ..runtime import Runtime, SoundEntry, VoiceEntry
from . import convert
from .voices import voice_out


def sound_out(entry: SoundEntry) -> Sound:
    data = entry.data
    return Sound(
        id=entry.id,
        name=entry.name,
        duration=float(data.duration),
        frames=int(data.num_frames),
        channels=int(data.channels),
        sample_rate=int(data.sample_rate),
        builtin=entry.builtin,
    )


def list_sounds(rt: Runtime) -> list[Sound]:
    return [sound_out(e) for e in rt.sounds.values()]


def get_sound(rt: Runtime, body: SoundId) -> Sound:
    return sound_out(rt.sound(body.id))


def delete_sound(rt: Runtime, body: SoundId) -> None:
    """Forget a sound; voices already playing it play on."""
    rt.sound(body.id)
    del rt.sounds[body.id]


def decode_file(path: Path, max_seconds: float, name: str | None = None) -> Any:
    """Probe then decode one file; runs in a worker thread. `name` is how the client knows the file."""
    probe(path, max_seconds, name)
    try:
        return engine.StaticSoundData.from_file(str(path))
    except engine.UnsupportedAudio as exc:
        raise NotAudio(f"not a supported audio file: {decoder_reason(exc, path, name)}", field="file") from exc


async def add_sound_from_path(rt: Runtime, body: AddSoundFromPath) -> Sound:
    path = resolve_media_path(rt.settings.media_dir, body.path)
    data = await run_in_threadpool(decode_file, path, rt.settings.max_sound_seconds)
    builtin = path.name in BUILTIN_NAMES and path.parent == rt.settings.media_dir.resolve()
    return sound_out(rt.add_sound(data, body.name or path.name, builtin=builtin, path=path))


async def add_sound_from_file(rt: Runtime, tmp_path: Path, name: str) -> Sound:
    """Add an uploaded file (already saved to `tmp_path`, within the size cap)."""
    data = await run_in_threadpool(decode_file, tmp_path, rt.settings.max_sound_seconds, name)
    return sound_out(rt.add_sound(data, name))


def _peaks(frames: np.ndarray, points: int) -> tuple[list[float], list[float]]:
    mono = np.asarray(frames, dtype=np.float32).mean(axis=1) if frames.ndim == 2 else np.asarray(frames)
    if mono.size == 0:
        return [0.0] * points, [0.0] * points
    edges = np.minimum((np.arange(points) * mono.size) // points, mono.size - 1)
    lo = np.clip(np.minimum.reduceat(mono, edges), -1, 1)
    hi = np.clip(np.maximum.reduceat(mono, edges), -1, 1)
    return [round(float(v), 5) for v in lo], [round(float(v), 5) for v in hi]


async def waveform(rt: Runtime, body: WaveformQuery) -> Waveform:
    entry = rt.sound(body.id)
    lo, hi = await run_in_threadpool(_peaks, entry.data.frames, body.points)
    return Waveform(points=body.points, min=lo, max=hi)


def _check_fits(body: PlayRequest, duration: float) -> None:
    if body.start_position > duration:
        raise Invalid(f"start_position is past the end of the sound ({duration:.3f} s)", field="start_position")
    if body.loop_region is not None and body.loop_region.start >= duration:
        raise Invalid(f"loop_region.start is past the end of the sound ({duration:.3f} s)", field="loop_region.start")
    if body.slice is not None and body.slice.start >= duration:
        raise Invalid(f"slice.start is past the end of the sound ({duration:.3f} s)", field="slice.start")


def play(rt: Runtime, body: PlayRequest) -> Voice:
    entry = rt.sound(body.id)
    duration = float(entry.data.duration)
    _check_fits(body, duration)
    loop_region = engine.Region(0.0, None) if body.loop else convert.region(body.loop_region)
    settings = engine.StaticSoundSettings(
        start_time=convert.start_time(rt, body.start_time),
        start_position=body.start_position,
        loop_region=loop_region,
        slice=None if body.slice is None else (body.slice.start, body.slice.end),
        reverse=body.reverse,
        volume=convert.value(rt, body.volume),
        panning=convert.value(rt, body.panning),
        playback_rate=convert.value(rt, body.playback_rate),
        fade_in_tween=convert.tween(rt, body.fade_in),
    )
    rt.prune_voices()
    handle = rt.manager.play(entry.data, settings)
    voice = VoiceEntry(ids.keyed_id("voice", handle.key), entry.id, duration, handle)
    rt.voices[voice.id] = voice
    return voice_out(voice)
