"""Routes: the sound library, waveforms and play."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Invalid, TooLarge, UnsupportedMediaType
from ..models.sounds import AddSoundFromPath, Sound, SoundId, Waveform, WaveformQuery
from ..models.voices import PlayRequest, PlaySettings, Voice
from ..operations import sounds as ops
from .deps import RuntimeDep, with_id

router = APIRouter(tags=["sounds"])

UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
            "application/json": {"schema": AddSoundFromPath.model_json_schema()},
        }
    }
}


@router.post(
    "/sounds",
    status_code=201,
    response_model=Sound,
    openapi_extra=UPLOAD_BODY,
    responses={200: {"model": Sound, "description": "The file at `path` was already loaded and has not changed."}},
)
async def add_sound(request: Request, response: Response, rt: RuntimeDep) -> Sound:
    """Upload a file (multipart field `file`) or load one from the media folder (JSON `{"path"}`)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        return await _add_upload(request, rt)
    if kind in ("application/json", ""):  # the guard has refused a body without a Content-Type
        body = AddSoundFromPath.model_validate_json(await request.body() or b"{}")
        sound, created = await ops.add_sound_from_path_once(rt, body)
        if not created:
            response.status_code = 200
        return sound
    raise UnsupportedMediaType.about(
        "content-type", f"must be multipart/form-data with a 'file' field, or application/json; not {kind!r}"
    )


async def _add_upload(request: Request, rt: RuntimeDep) -> Sound:
    try:
        form = await request.form(max_files=1, max_fields=4)
    except StarletteHTTPException as exc:
        # The form parser's refusals ("Too many files", "Missing boundary"): the upload is malformed.
        raise Invalid.about("file", f"the multipart upload is malformed: {exc.detail}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise Invalid.about("file", "is required: a multipart upload needs its file in the field 'file'")
    name = upload_name(upload.filename)
    # Saved beside its final place, so keeping it is a rename; a dot file is never loaded as a sound.
    root = rt.settings.media_dir
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=Path(name).suffix[:12], dir=root)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        size = await run_in_threadpool(_save, upload, tmp)
        if size > rt.settings.max_upload_bytes:
            raise TooLarge.about("file", f"the upload is {size} bytes; the limit is {rt.settings.max_upload_bytes}")
        return await ops.add_sound_from_file(rt, tmp, name)
    finally:
        tmp.unlink(missing_ok=True)


def upload_name(filename: str | None) -> str:
    """The file name an upload is kept under: its base name, without control characters or a leading dot."""
    base = Path((filename or "").replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip().lstrip(".")
    return base[:200] or "upload"


def _save(upload: UploadFile, path: Path) -> int:
    upload.file.seek(0)
    with open(path, "wb") as out:
        shutil.copyfileobj(upload.file, out, 1 << 20)
    return path.stat().st_size


@router.get("/sounds", response_model=list[Sound])
async def list_sounds(rt: RuntimeDep) -> list[Sound]:
    return ops.list_sounds(rt)


@router.get("/sounds/{sound_id}", response_model=Sound)
async def get_sound(sound_id: str, rt: RuntimeDep) -> Sound:
    return ops.get_sound(rt, SoundId(id=sound_id))


@router.delete("/sounds/{sound_id}", status_code=204, response_class=Response)
async def delete_sound(sound_id: str, rt: RuntimeDep) -> Response:
    ops.delete_sound(rt, SoundId(id=sound_id))
    return Response(status_code=204)


@router.get("/sounds/{sound_id}/waveform", response_model=Waveform)
async def waveform(sound_id: str, rt: RuntimeDep, points: int = 512) -> Waveform:
    return await ops.waveform(rt, WaveformQuery(id=sound_id, points=points))


@router.post("/sounds/{sound_id}/play", status_code=201, response_model=Voice)
async def play(sound_id: str, rt: RuntimeDep, body: PlaySettings | None = None) -> Voice:
    return ops.play(rt, with_id(PlayRequest, sound_id, body))
