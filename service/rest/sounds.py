"""Routes: the sound library, waveforms and play."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import Invalid, TooLarge, UnsupportedMediaType
from ..models.sounds import STREAMING, AddSoundFromPath, Sound, SoundId, Waveform, WaveformQuery
from ..models.voices import PlayRequest, PlaySettings, Voice
from ..operations import sounds as ops
from .deps import RuntimeDep, problems, with_id

router = APIRouter(tags=["sounds"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "The audio file."},
                        "streaming": {"type": "string", "enum": ["true", "false"], "description": STREAMING},
                    },
                    "required": ["file"],
                    "additionalProperties": False,
                }
            },
            # The model is added to the schema's components by service.openapi.
            "application/json": {"schema": {"$ref": "#/components/schemas/AddSoundFromPath"}},
        },
    }
}


@router.post(
    "/sounds",
    name="sounds.add",
    status_code=201,
    response_model=Sound,
    openapi_extra=UPLOAD_BODY,
    responses={
        200: {"model": Sound, "description": "The file at `path` was already loaded and has not changed."},
        **problems(403, 404, 413, 415, 422, 503, 507),
    },
)
async def add_sound(request: Request, response: Response, rt: RuntimeDep) -> Sound:
    """Upload a file (multipart field `file`) or load one from the media folder (JSON `{"path"}`).

    Either may say whether the sound streams from disk as it plays (`streaming`:
    a multipart field 'true' or 'false', a JSON boolean).
    """
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
    streaming = _streaming_field(form.get("streaming"))
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
        return await ops.add_sound_from_file(rt, tmp, name, streaming)
    finally:
        tmp.unlink(missing_ok=True)


def _streaming_field(value: object) -> bool | None:
    """The upload's `streaming` form field: 'true', 'false' or absent."""
    if value is None:
        return None
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise Invalid.about("streaming", "must be 'true' or 'false'")


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


@router.get("/sounds", name="sounds.list", response_model=list[Sound])
async def list_sounds(rt: RuntimeDep) -> list[Sound]:
    """The library."""
    return ops.list_sounds(rt)


@router.get("/sounds/{id}", name="sounds.get", response_model=Sound, responses=problems(404, 409))
async def get_sound(id: str, rt: RuntimeDep) -> Sound:
    """One sound, by id or by name."""
    return ops.get_sound(rt, SoundId(id=id))


@router.delete(
    "/sounds/{id}", name="sounds.delete", status_code=204, response_class=Response, responses=problems(404, 409)
)
async def delete_sound(id: str, rt: RuntimeDep) -> Response:
    """Forget a sound (an uploaded file leaves the media folder); voices playing it play on."""
    ops.delete_sound(rt, SoundId(id=id))
    return Response(status_code=204)


@router.get("/sounds/{id}/waveform", name="sounds.waveform", response_model=Waveform, responses=problems(404, 409, 422))
async def waveform(
    id: str,
    rt: RuntimeDep,
    points: Annotated[int, Query(ge=1, le=10000, description="Number of min/max pairs over the whole sound.")] = 512,
) -> Waveform:
    """Peaks of the sound's mono mix, for drawing."""
    return await ops.waveform(rt, WaveformQuery(id=id, points=points))


@router.post(
    "/sounds/{id}/play",
    name="sounds.play",
    status_code=201,
    response_model=Voice,
    responses=problems(404, 409, 422, 503),
)
async def play(id: str, rt: RuntimeDep, body: PlaySettings | None = None) -> Voice:
    """Start a voice of the sound (named by id or name); every setting is optional."""
    return ops.play(rt, with_id(PlayRequest, id, body))
