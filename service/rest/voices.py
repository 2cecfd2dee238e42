"""Routes: voices (playing sounds)."""

from __future__ import annotations

from fastapi import APIRouter

from ..models.voices import (
    Voice,
    VoiceFade,
    VoiceFadeRequest,
    VoiceId,
    VoicePatch,
    VoicePatchRequest,
    VoiceResume,
    VoiceResumeRequest,
    VoiceSeek,
    VoiceSeekRequest,
)
from ..operations import voices as ops
from .deps import RuntimeDep, problems, with_id

router = APIRouter(prefix="/voices", tags=["voices"])

CHANGES = problems(404, 409, 422, 503)


@router.get("", name="voices.list", response_model=list[Voice])
async def list_voices(rt: RuntimeDep) -> list[Voice]:
    """Every voice that has not stopped."""
    return ops.list_voices(rt)


@router.get("/{id}", name="voices.get", response_model=Voice, responses=problems(404))
async def get_voice(id: str, rt: RuntimeDep) -> Voice:
    """One voice, as the audio thread last reported it."""
    return ops.get_voice(rt, VoiceId(id=id))


@router.patch("/{id}", name="voices.set", response_model=Voice, responses=CHANGES)
async def set_voice(id: str, body: VoicePatch, rt: RuntimeDep) -> Voice:
    """Change volume, panning, rate or loop, all or nothing, at once or over a tween."""
    return ops.set_voice(rt, with_id(VoicePatchRequest, id, body))


@router.post("/{id}/pause", name="voices.pause", response_model=Voice, responses=CHANGES)
async def pause(id: str, rt: RuntimeDep, body: VoiceFade | None = None) -> Voice:
    """Fade out and hold the position."""
    return ops.pause_voice(rt, with_id(VoiceFadeRequest, id, body))


@router.post("/{id}/resume", name="voices.resume", response_model=Voice, responses=CHANGES)
async def resume(id: str, rt: RuntimeDep, body: VoiceResume | None = None) -> Voice:
    """Fade back in, now or at a start time."""
    return ops.resume_voice(rt, with_id(VoiceResumeRequest, id, body))


@router.post("/{id}/stop", name="voices.stop", response_model=Voice, responses=CHANGES)
async def stop(id: str, rt: RuntimeDep, body: VoiceFade | None = None) -> Voice:
    """Fade out and end the voice."""
    return ops.stop_voice(rt, with_id(VoiceFadeRequest, id, body))


@router.post("/{id}/seek", name="voices.seek", response_model=Voice, responses=CHANGES)
async def seek(id: str, body: VoiceSeek, rt: RuntimeDep) -> Voice:
    """Jump to a position, or by an amount, in seconds."""
    return ops.seek_voice(rt, with_id(VoiceSeekRequest, id, body))
