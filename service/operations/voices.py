"""Operations on voices (playing sounds): list, get, set, pause, resume, stop, seek."""

from __future__ import annotations

from typing import Any

from mixdeck import engine

from ..models.voices import (
    Voice,
    VoiceFadeRequest,
    VoiceId,
    VoicePatchRequest,
    VoiceResumeRequest,
    VoiceSeekRequest,
)
from ..runtime import Runtime, VoiceEntry, state_name
from . import convert


def voice_state(entry: VoiceEntry) -> str:
    """The API's state: the engine's, except that a voice waiting for a later start time is 'waiting'.

    A voice asked to start now also waits for the next block; it is reported
    as playing from the start, as the client asked.
    """
    state = state_name(entry.handle.state)
    return "waiting" if state == "playing" and entry.scheduled and entry.handle.waiting else state


def voice_out(entry: VoiceEntry) -> Voice:
    h = entry.handle
    streaming = isinstance(h, engine.StreamingSoundHandle)
    return Voice(
        id=entry.id,
        sound=entry.sound,
        state=voice_state(entry),
        position=float(h.position),
        duration=entry.duration,
        volume=float(h.volume),
        panning=float(h.panning),
        playback_rate=float(h.playback_rate),
        loop_region=convert.region_out(h.loop_region),
        track=entry.track,
        streaming=streaming,
        underflows=int(h.underflows) if streaming else None,
    )


def list_voices(rt: Runtime) -> list[Voice]:
    rt.prune_voices()
    return [voice_out(e) for e in rt.voices.values()]


def get_voice(rt: Runtime, body: VoiceId) -> Voice:
    return voice_out(rt.voices.find(body.id))


def set_voice(rt: Runtime, body: VoicePatchRequest) -> Voice:
    """Apply the PATCH all or nothing: convert every field, then one engine call sends them together."""
    entry = rt.voices.find(body.id)
    changes: dict[str, Any] = {"tween": convert.tween(rt, body.tween)}
    for name in ("volume", "panning"):
        given = getattr(body, name)
        if given is not None:
            changes[name] = convert.value(rt, given, name)
    if body.playback_rate is not None:
        changes["playback_rate"] = convert.playback_rate(rt, body.playback_rate, "playback_rate")
    if "loop_region" in body.model_fields_set:
        region = body.loop_region if body.loop_region is not False else None
        changes["loop_region"] = convert.region(region)
    entry.handle.set(**changes)
    return voice_out(entry)


def pause_voice(rt: Runtime, body: VoiceFadeRequest) -> Voice:
    entry = rt.voices.find(body.id)
    entry.handle.pause(convert.tween(rt, body.tween))
    return voice_out(entry)


def resume_voice(rt: Runtime, body: VoiceResumeRequest) -> Voice:
    entry = rt.voices.find(body.id)
    start = None if body.start_time is None else convert.start_time(rt, body.start_time, "start_time")
    entry.handle.resume(convert.tween(rt, body.tween, start=start))
    return voice_out(entry)


def stop_voice(rt: Runtime, body: VoiceFadeRequest) -> Voice:
    entry = rt.voices.find(body.id)
    entry.handle.stop(convert.tween(rt, body.tween))
    return voice_out(entry)


def seek_voice(rt: Runtime, body: VoiceSeekRequest) -> Voice:
    entry = rt.voices.find(body.id)
    if body.to is not None:
        entry.handle.seek_to(body.to)
    else:
        entry.handle.seek_by(body.by)
    return voice_out(entry)
