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
from .deps import RuntimeDep, with_id

router = APIRouter(prefix="/voices", tags=["voices"])


@router.get("", response_model=list[Voice])
async def list_voices(rt: RuntimeDep) -> list[Voice]:
    return ops.list_voices(rt)


@router.get("/{voice_id}", response_model=Voice)
async def get_voice(voice_id: str, rt: RuntimeDep) -> Voice:
    return ops.get_voice(rt, VoiceId(id=voice_id))


@router.patch("/{voice_id}", response_model=Voice)
async def set_voice(voice_id: str, body: VoicePatch, rt: RuntimeDep) -> Voice:
    return ops.set_voice(rt, with_id(VoicePatchRequest, voice_id, body))


@router.post("/{voice_id}/pause", response_model=Voice)
async def pause(voice_id: str, rt: RuntimeDep, body: VoiceFade | None = None) -> Voice:
    return ops.pause_voice(rt, with_id(VoiceFadeRequest, voice_id, body))


@router.post("/{voice_id}/resume", response_model=Voice)
async def resume(voice_id: str, rt: RuntimeDep, body: VoiceResume | None = None) -> Voice:
    return ops.resume_voice(rt, with_id(VoiceResumeRequest, voice_id, body))


@router.post("/{voice_id}/stop", response_model=Voice)
async def stop(voice_id: str, rt: RuntimeDep, body: VoiceFade | None = None) -> Voice:
    return ops.stop_voice(rt, with_id(VoiceFadeRequest, voice_id, body))


@router.post("/{voice_id}/seek", response_model=Voice)
async def seek(voice_id: str, body: VoiceSeek, rt: RuntimeDep) -> Voice:
    return ops.seek_voice(rt, with_id(VoiceSeekRequest, voice_id, body))
