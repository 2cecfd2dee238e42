"""Operations on sound data: list, get, add (path or upload), delete, waveform, play.

A sound is decoded whole, or streamed from its file as it plays (see
`streaming`): as the client asks, else by its length. Decoding is guarded
three ways, since a small compressed file can decode to a great deal of
memory: each sound is capped in seconds and in decoded bytes (8 a frame,
`max_sound_bytes`) before it is read; all sounds together are capped
(`max_library_bytes`, a 507 past it); and at most
`MAX_CONCURRENT_DECODES` files decode at once, a few more wait their turn, and
the rest are a 503 with Retry-After.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from starlette.concurrency import run_in_threadpool

from mixdeck import engine

from .. import ids
from ..errors import Conflict, InsufficientStorage, Invalid, NotAudio
from ..library import free_name
from ..media import BUILTIN_NAMES, BYTES_PER_FRAME, audio_info, decoder_reason, probe, resolve_media_path
from ..models.sounds import AddSoundFromPath, Sound, SoundId, Waveform, WaveformQuery
from ..models.voices import PlayRequest, Voice
from ..runtime import Runtime, SoundEntry, VoiceEntry
from . import convert
from .streaming import file_peaks, is_streaming, open_stream, relocated, wanted
from .voices import voice_out


def sound_bytes(data: Any) -> int:
    """Memory a sound's samples hold: none for a streaming sound, whose voices each hold a small buffer."""
    return 0 if is_streaming(data) else int(data.num_frames) * BYTES_PER_FRAME


def library_bytes(rt: Runtime) -> int:
    """Memory the decoded sounds hold (those a playing voice alone still holds are not counted)."""
    return sum(sound_bytes(e.data) for e in rt.sounds.values())


def _reserve(rt: Runtime, frames: int, field: str) -> int:
    """Count `frames` against the library budget, or refuse with 507 naming it."""
    need = frames * BYTES_PER_FRAME
    lib = rt.library
    used = library_bytes(rt) + lib.reserved
    budget = rt.settings.max_library_bytes
    if used + need > budget:
        raise InsufficientStorage.about(
            field,
            f"the sound library has {max(0, budget - used)} of its {budget} bytes free and this sound needs "
            f"{need}; delete sounds first, or raise the budget (MIXDECK_MAX_LIBRARY_BYTES)",
        )
    lib.reserved += need
    return need


def _file_key(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


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
        streaming=is_streaming(data),
    )


def list_sounds(rt: Runtime) -> list[Sound]:
    return [sound_out(e) for e in rt.sounds.values()]


def get_sound(rt: Runtime, body: SoundId) -> Sound:
    return sound_out(rt.sounds.find(body.id))


def _forget(rt: Runtime, entry: SoundEntry) -> None:
    rt.sounds.pop(entry.id, None)
    rt.forget_waveforms(entry.id)
    rt.library.sources.pop(entry.id, None)


def delete_sound(rt: Runtime, body: SoundId) -> None:
    """Forget a sound for good; voices already playing it play on and keep its id in `sound`.

    An uploaded file is deleted from the media folder; a file put there by
    other means stays, and is not loaded again at the next start.
    """
    entry = rt.sounds.find(body.id)
    _forget(rt, entry)
    rel = None if entry.path is None else rt.index.relative(entry.path)
    if rel is not None and rt.index.forget(rel) and entry.path is not None:
        entry.path.unlink(missing_ok=True)


def _probe(rt: Runtime, path: Path, name: str | None, field: str) -> int:
    s = rt.settings
    return probe(path, s.max_sound_seconds, name, max_bytes=s.max_sound_bytes, field=field)


def decode_file(path: Path, max_frames: int, name: str | None = None, field: str = "file") -> Any:
    """Decode one probed file; runs in a worker thread. `name` is how the client knows the file."""
    try:
        return engine.StaticSoundData.from_file(str(path), max_frames=max_frames)
    except engine.UnsupportedAudio as exc:
        raise NotAudio(f"not a supported audio file: {decoder_reason(exc, path, name)}", field=field) from exc


def _stream(rt: Runtime, path: Path, name: str | None, field: str, choice: bool | None) -> Any:
    """The file as a streaming sound when `choice` (or, without one, its length) says so; else None."""
    info = audio_info(path, name, field)
    if not wanted(rt, choice, info.frames / info.samplerate):
        return None
    return open_stream(path, name, field, asked=choice is True)


async def _decode(rt: Runtime, path: Path, name: str | None, field: str, streaming: bool | None) -> Any:
    """The sound in `path`: opened to stream, or decoded whole, as `streaming` (or the length) decides."""
    data = await run_in_threadpool(_stream, rt, path, name, field, streaming)
    if data is not None:
        return data
    frames = await run_in_threadpool(_probe, rt, path, name, field)
    lib = rt.library
    need = _reserve(rt, frames, field)
    try:
        async with lib.slots.hold():
            max_frames = rt.settings.max_sound_bytes // BYTES_PER_FRAME
            return await run_in_threadpool(decode_file, path, max_frames, name, field)
    finally:
        lib.reserved -= need


def _loaded_from(rt: Runtime, path: Path) -> SoundEntry | None:
    return next((e for e in rt.sounds.values() if e.path == path), None)


def _unchanged(rt: Runtime, entry: SoundEntry | None, key: tuple[int, int]) -> bool:
    return entry is not None and rt.library.sources.get(entry.id) == key


def load_file(rt: Runtime, path: Path, builtin: bool = False) -> SoundEntry:
    """Load a media file synchronously (at start-up), under the same caps as an add; it keeps its indexed id.

    It streams as it was added (or, added without a choice, by its length).
    """
    data = _stream(rt, path, None, "path", rt.index.streaming(rt.index.relative(path)))
    if data is None:
        frames = _probe(rt, path, None, "path")
        need = _reserve(rt, frames, "path")
        try:
            data = decode_file(path, rt.settings.max_sound_bytes // BYTES_PER_FRAME, None, "path")
        finally:
            rt.library.reserved -= need
    entry = rt.add_sound(data, path.name, builtin=builtin, path=path)
    rt.library.sources[entry.id] = _file_key(path)
    return entry


async def add_sound_from_path(rt: Runtime, body: AddSoundFromPath) -> Sound:
    sound, _created = await add_sound_from_path_once(rt, body)
    return sound


async def add_sound_from_path_once(rt: Runtime, body: AddSoundFromPath) -> tuple[Sound, bool]:
    """(the sound, whether it was decoded now).

    A file already loaded, and not changed since, is not decoded again: the
    sound already in the library is the answer (its name stays); asked to
    stream when it is decoded whole, or the other way round, it changes
    over and keeps its id. A file that changed is decoded again and the new
    sound replaces the old one, whose id is then unknown (voices playing it
    play on).
    """
    path = resolve_media_path(rt.settings.media_dir, body.path)
    rel = rt.index.relative(path)
    key = await run_in_threadpool(_file_key, path)
    existing = _loaded_from(rt, path)
    if _unchanged(rt, existing, key):
        return await _switch(rt, existing, body), False  # type: ignore[arg-type]
    choice = body.streaming if body.streaming is not None else rt.index.streaming(rel)
    data = await _decode(rt, path, body.path, "path", choice)
    # Another request may have loaded the same file while this one decoded.
    existing = _loaded_from(rt, path)
    if _unchanged(rt, existing, key):
        return await _switch(rt, existing, body), False  # type: ignore[arg-type]
    if existing is not None:
        _forget(rt, existing)
        rel = rt.index.relative(path)
        if rel is not None:
            rt.index.replace(rel)
    builtin = path.name in BUILTIN_NAMES and path.parent == rt.settings.media_dir.resolve()
    entry = rt.add_sound(data, body.name or path.name, builtin=builtin, path=path)
    rt.index.choose_streaming(rel, body.streaming)
    rt.library.sources[entry.id] = key
    return sound_out(entry), True


async def _switch(rt: Runtime, entry: SoundEntry, body: AddSoundFromPath) -> Sound:
    """A loaded sound, changed over to streaming or to decoded whole if `body` asks for the other; same id."""
    if body.streaming is None or body.streaming == is_streaming(entry.data) or entry.path is None:
        return sound_out(entry)
    entry.data = await _decode(rt, entry.path, body.path, "path", body.streaming)
    rt.index.choose_streaming(rt.index.relative(entry.path), body.streaming)
    return sound_out(entry)


async def add_sound_from_file(rt: Runtime, tmp_path: Path, name: str, streaming: bool | None = None) -> Sound:
    """Add an uploaded file (saved to `tmp_path` in the media folder, within the size cap).

    Once it decodes (or opens to stream), the file is kept in the media folder
    under its own name (or 'name-2.wav' when that is taken), so it comes back,
    with its id and its streaming choice, after a restart.
    """
    data = await _decode(rt, tmp_path, name, "file", streaming)
    root = rt.settings.media_dir
    final = root / free_name(root, name, {e.name for e in rt.sounds.values()})
    await run_in_threadpool(os.replace, tmp_path, final)
    if is_streaming(data):
        data = relocated(data, final.resolve())
    entry = rt.add_sound(data, final.name, path=final.resolve(), uploaded=True)
    rt.index.choose_streaming(rt.index.relative(final), streaming)
    rt.library.sources[entry.id] = await run_in_threadpool(_file_key, final)
    return sound_out(entry)


def _peaks(frames: np.ndarray, points: int) -> tuple[list[float], list[float]]:
    mono = np.asarray(frames, dtype=np.float32).mean(axis=1) if frames.ndim == 2 else np.asarray(frames)
    if mono.size == 0:
        return [0.0] * points, [0.0] * points
    edges = np.minimum((np.arange(points) * mono.size) // points, mono.size - 1)
    lo = np.clip(np.minimum.reduceat(mono, edges), -1, 1)
    hi = np.clip(np.maximum.reduceat(mono, edges), -1, 1)
    return [round(float(v), 5) for v in lo], [round(float(v), 5) for v in hi]


async def waveform(rt: Runtime, body: WaveformQuery) -> Waveform:
    """Peaks of a sound; computed once per (sound, points) and kept until the sound is deleted."""
    entry = rt.sounds.find(body.id)
    cached = rt.cached_waveform(entry.id, body.points)
    if cached is not None:
        return cached
    if is_streaming(entry.data):
        # Read from disk, so it takes a decode slot as adding a sound does.
        async with rt.library.slots.hold():
            lo, hi = await run_in_threadpool(file_peaks, entry.data.path, int(entry.data.num_frames), body.points)
    else:
        lo, hi = await run_in_threadpool(_peaks, entry.data.frames, body.points)
    result = Waveform(points=body.points, min=lo, max=hi)
    rt.cache_waveform(entry.id, body.points, result)  # not if it was deleted meanwhile
    return result


def _check_fits(body: PlayRequest, duration: float) -> None:
    """Refuse positions past what will play; with a slice, positions count from its start."""
    if body.slice is not None and body.slice.start >= duration:
        raise Invalid.about("slice.start", f"is past the end of the sound ({duration:.3f} s)")
    playable = duration if body.slice is None else min(body.slice.end, duration) - body.slice.start
    what = "the slice" if body.slice is not None else "the sound"
    if body.start_position > playable:
        raise Invalid.about("start_position", f"is past the end of {what} ({playable:.3f} s)")
    if body.loop_region is not None and body.loop_region.start >= playable:
        raise Invalid.about("loop_region.start", f"is past the end of {what} ({playable:.3f} s)")


def play(rt: Runtime, body: PlayRequest) -> Voice:
    entry = rt.sounds.find(body.id)
    _check_fits(body, float(entry.data.duration))
    track = rt.tracks.refer(body.track, "track")
    loop_region = engine.Region(0.0, None) if body.loop else convert.region(body.loop_region)
    settings = engine.StaticSoundSettings(
        start_time=convert.start_time(rt, body.start_time),
        start_position=body.start_position,
        loop_region=loop_region,
        slice=None if body.slice is None else (body.slice.start, body.slice.end),
        reverse=body.reverse,
        volume=convert.value(rt, body.volume, "volume"),
        panning=convert.value(rt, body.panning, "panning"),
        playback_rate=convert.playback_rate(rt, body.playback_rate, "playback_rate"),
        fade_in_tween=convert.tween(rt, body.fade_in, field="fade_in"),
        track=track.handle,
    )
    rt.prune_voices()
    try:
        handle = rt.manager.play(entry.data, settings)
    except engine.ResourceLimitReached as exc:
        if exc.setting != "sound_capacity":  # the engine's voice limit, not the track's
            raise
        raise Conflict.about(
            "track", f"{track.sound_capacity} voices already play on {track.id}, its sound_capacity"
        ) from exc
    # The handle's duration is what plays: the slice's length when there is one.
    scheduled = body.start_time is not None and (body.start_time.clock is not None or bool(body.start_time.delay))
    voice = VoiceEntry(ids.keyed_id("voice", handle.key), entry.id, float(handle.duration), handle, scheduled, track.id)
    rt.add_voice(voice)
    return voice_out(voice)
