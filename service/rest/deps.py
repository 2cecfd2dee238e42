"""Shared pieces of the REST routes: the runtime dependency, the id-plus-body model, the problems a route declares.

A route is named after its WebSocket method (`name="sounds.play"`); the app
turns that into the operation id `sounds_play`. It declares the problems its
operation can raise with `problems(404, 422, …)`; those every route shares
(a wrong token, host or origin, a body the guards refuse) are added to the
schema in one place, `service.openapi`.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel

from ..models.problem import Problem
from ..runtime import Runtime

M = TypeVar("M", bound=BaseModel)

# What each status means, as the schema says it.
PROBLEM_STATUSES = {
    400: "The Host header is not one this service answers to (`host`).",
    401: "The bearer token is missing or wrong (`authorization`).",
    403: "A cross-site request (`origin`), or a media path leading out of the folder (`path`).",
    404: "An unknown or stale id or name, or a media path that does not exist; the field says which.",
    409: "The engine is full (too many voices, tracks, send tracks, clocks or modulators, or voices on a track), "
    "a sound's name is shared, the main track was asked to go, or the engine refused the request.",
    413: "The body, the upload or the decoded sound is too large.",
    415: "The body is not application/json (or, for an upload, multipart/form-data), or the file is not audio.",
    422: "A value is out of range or of the wrong type, or the body is not valid JSON; each field is named.",
    503: "The engine's command queue is full, or too many sounds are decoding; retry after `Retry-After` seconds.",
    507: "The sound library's memory budget has no room for the sound.",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer these problem statuses."""
    return {status: {"model": Problem, "description": PROBLEM_STATUSES[status]} for status in statuses}


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def with_id(model: type[M], ident: str, body: BaseModel | None = None) -> M:
    """The operation's model: the id from the path plus the fields the body set."""
    fields: dict[str, Any] = body.model_dump(exclude_unset=True) if body is not None else {}
    return model.model_validate({**fields, "id": ident})
