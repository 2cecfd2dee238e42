"""Every error the API can answer, mapped in one place to RFC 9457 problem objects.

REST answers `application/problem+json`; the WebSocket puts the same object in
a JSON-RPC error's `data`. Engine exceptions are mapped here and nowhere else:

| raised                               | status |
| ------------------------------------ | ------ |
| pydantic validation, InvalidValue    | 422    |
| unknown or stale id                  | 404    |
| ResourceLimitReached (arena full)    | 409    |
| CommandQueueFull                     | 503 + Retry-After |
| upload or decoded sound too large    | 413    |
| body not JSON / not multipart        | 415    |
| the sound library's memory is full, OutOfMemory | 507 |
| Host not served / cross-site request | 400 / 403 |
| UnsupportedAudio (not audio)         | 415    |
| missing or wrong token               | 401    |
| path escaping the media folder       | 403    |
| anything else                        | 500 (logged; a bug) |
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Mount

from mixdeck import engine

from . import ids
from .models.common import UNION_TAG_ERROR

log = logging.getLogger("mixdeck.service")

PROBLEM_JSON = "application/problem+json"

# Seconds a client should wait before retrying after a full command queue: the
# queue drains every block, so one second is ample and is the smallest HTTP value.
RETRY_AFTER_SECONDS = 1


class ServiceError(Exception):
    """An error with an HTTP status, a sentence for people and the fields at fault."""

    status = 500

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        message: str | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.headers = headers or {}
        self.message = message  # the sentence without the field's name; default the detail

    @classmethod
    def about(cls, field: str, message: str, **kwargs: Any) -> ServiceError:
        """An error whose detail is 'field: message' and whose errors entry has the bare message."""
        return cls(f"{field}: {message}", field=field, message=message, **kwargs)

    def errors(self) -> list[dict[str, str]]:
        return [{"field": self.field, "message": self.message or self.detail}] if self.field else []


class Invalid(ServiceError):
    status = 422


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Busy(ServiceError):
    status = 503


class TooLarge(ServiceError):
    status = 413


class NotAudio(ServiceError):
    status = 415


class UnsupportedMediaType(ServiceError):
    status = 415


class InsufficientStorage(ServiceError):
    status = 507


# Ids are short; a longer one is shown cut, so an error never echoes a huge string.
SHOWN_ID_CHARS = 128


def not_found(kind: str, ident: str, field: str = "id") -> NotFound:
    shown = ident if len(ident) <= SHOWN_ID_CHARS else ident[:SHOWN_ID_CHARS] + "…"
    return NotFound(f"no {kind} with id {shown!r} (unknown, or it has finished and been removed)", field=field)


def problem(status: int, detail: str, errors: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """An RFC 9457 problem object."""
    try:
        title = _TITLES.get(status) or HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, "errors": list(errors)}


_VALUE_FIELDS = {"volume", "panning", "playback_rate"}
_UNION_SEGMENTS = {"number", "modulated", "float", "int", "str", "bool", "lfo", "tweener", "none"}
# RFC 9110 names; Python's http module still has the older phrases for these two.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}
# The transport's part of a FastAPI error location: where in the request the value was.
_TRANSPORT_LOCATIONS = ("body", "query", "path", "header", "cookie")
# One wording per kind of type error, whichever transport (and pydantic mode) found it.
_TYPE_MESSAGES = {
    "finite_number": "must be a finite number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "missing": "is required",
    "extra_forbidden": "is not a field of this request",
}


def field_path(loc: Iterable[Any], transport: bool = False) -> str:
    """'tween.duration' from a pydantic location.

    `transport` is true for FastAPI's locations, whose first part says where in
    the request the value was ('body', 'query', 'path'); it is dropped. A model
    validated directly has no such part, so a field really named 'path' stays.
    """
    parts = [str(p) for p in loc]
    if transport and parts and parts[0] in _TRANSPORT_LOCATIONS:
        parts = parts[1:]
    # Union members show up as tags or type names ('number', 'float', 'function-after[...]',
    # 'kind=filter' for a member picked by its field), and the two ends of a range as indices;
    # they mean nothing to a client. An id used as a key ('sends.send-0-1') is the client's own
    # name for the value, and stays.
    parts = [
        p
        for p in parts
        if ids.is_keyed_id(p) or not (p in _UNION_SEGMENTS or "[" in p or "-" in p or "=" in p or p.isdigit())
    ]
    return ".".join(parts) or "body"


def validation_problem(raw_errors: Iterable[dict[str, Any]], transport: bool = False) -> dict[str, Any]:
    """A 422 problem from pydantic's error list, naming each JSON field."""
    errors: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for err in raw_errors:
        field = field_path(err.get("loc", ()), transport)
        message = str(err.get("msg", "invalid value"))
        kind = err.get("type")
        ctx = err.get("ctx") or {}
        if kind in _TYPE_MESSAGES:
            message = _TYPE_MESSAGES[kind]
            if kind in ("model_type", "model_attributes_type", "dict_type") and field.split(".")[-1] in _VALUE_FIELDS:
                message = "must be a number or a modulated value object"
        elif kind == "json_invalid":
            field, message = "body", f"not valid JSON ({ctx.get('error', message)})"
        elif kind in ("union_tag_not_found", "union_tag_invalid"):
            # A tagged union without its tag, or with an unknown one ({} for a modulator): name the tag.
            tag = str(ctx.get("discriminator", "type")).strip("'\"")
            field = tag if field == "body" else f"{field}.{tag}"
            message = (
                "is required" if kind == "union_tag_not_found" else f"must be one of {ctx.get('expected_tags', '')}"
            )
        elif kind == UNION_TAG_ERROR:
            # A union picked by one of its fields ('kind'), whose value picked none: name that field.
            tag = str(ctx.get("field", "type"))
            field = tag if field == "body" else f"{field}.{tag}"
        elif kind == "value_error":
            # Model validators name their field as "field: sentence" (see models.common).
            message = message.removeprefix("Value error, ")
            named = re.match(r"^([a-z_][a-z0-9_.]*): (.+)$", message, re.S)
            if named:
                inner, message = named.groups()
                field = inner if field == "body" else f"{field}.{inner}"
        if (field, message) not in seen:
            seen.add((field, message))
            errors.append({"field": field, "message": message})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
    return problem(422, detail, errors)


# Engine argument names that differ from the API's field names.
_ENGINE_FIELDS = {"fade_in_tween": "fade_in", "initial_value": "value"}


def api_field(engine_field: str) -> str:
    """The API's name for a field the engine names: 'volume.mapping.output_range[1]' is 'volume.output_range'."""
    parts = [re.sub(r"\[\d+\]$", "", p) for p in engine_field.split(".")]
    parts = [_ENGINE_FIELDS.get(p, p) for p in parts if p and p != "mapping"]
    return ".".join(parts)


def to_service_error(exc: BaseException) -> ServiceError | None:
    """Map an engine exception to a ServiceError; None when it is not one of ours."""
    if isinstance(exc, ServiceError):
        return exc
    if isinstance(exc, engine.InvalidValue):
        field = getattr(exc, "field", None)
        message = getattr(exc, "message", None) or str(exc)
        return Invalid.about(api_field(field), message) if field else Invalid(message)
    if isinstance(exc, engine.ResourceLimitReached):
        return Conflict(f"the engine is full: {exc}", field=getattr(exc, "field", None))
    if isinstance(exc, engine.CommandQueueFull):
        return Busy(
            "the engine's command queue is full; retry shortly",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, engine.UnsupportedAudio):
        return NotAudio(f"not a supported audio file: {exc}", field="file")
    if isinstance(exc, engine.OutOfMemory):
        return InsufficientStorage(f"the engine's shared memory is full: {exc}")
    if isinstance(exc, engine.OutputError):
        return Busy(f"the audio output failed: {exc}", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, engine.EngineError):
        return Conflict(f"the engine refused the request: {exc}", field=getattr(exc, "field", None))
    return None


def problem_for(exc: BaseException) -> tuple[dict[str, Any], dict[str, str]]:
    """(problem object, extra headers) for any exception; unknown ones are logged as a 500."""
    if isinstance(exc, RequestValidationError):
        return validation_problem(exc.errors(), transport=True), {}
    if isinstance(exc, ValidationError):
        return validation_problem([dict(e) for e in exc.errors()]), {}
    mapped = to_service_error(exc)
    if mapped is not None:
        return problem(mapped.status, mapped.detail, mapped.errors()), mapped.headers
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "internal error; the server log has the details"), {}


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], headers=headers, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    """Answer every error on `app` as problem+json."""

    async def on_error(_request: Request, exc: Exception) -> JSONResponse:
        body, headers = problem_for(exc)
        return problem_response(body, headers)

    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if isinstance(exc.__cause__, UnicodeDecodeError):
            # JSON is UTF-8 (RFC 8259); FastAPI answers other bytes with a bare 400.
            message = "not valid JSON (it is not UTF-8 text)"
            return problem_response(problem(422, f"body: {message}", [{"field": "body", "message": message}]))
        if exc.status_code == 405:
            # Name every method of the path, not only those of the first route that matched it.
            headers["Allow"] = ", ".join(allowed_methods(request.app, dict(request.scope)))
        return problem_response(problem(exc.status_code, str(exc.detail)), headers)

    async def on_disconnect(request: Request, _exc: ClientDisconnect) -> Response:
        # The client went away mid-request (an upload cancelled): nobody reads an answer.
        log.debug("client disconnected during %s %s", request.method, request.url.path)
        return Response(status_code=400)

    app.add_exception_handler(RequestValidationError, on_error)
    app.add_exception_handler(ValidationError, on_error)
    app.add_exception_handler(ServiceError, on_error)
    app.add_exception_handler(engine.EngineError, on_error)
    # Starlette types handlers by the base Exception; each of these takes only its own kind.
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(ClientDisconnect, on_disconnect)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_error)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: FastAPI, scope: dict[str, Any]) -> list[str]:
    """The methods the app's routes take on the scope's path, for a 405's Allow header."""
    routes = [r for r in app.router.routes if not isinstance(r, Mount)]
    return [m for m in _METHODS if any(r.matches({**scope, "method": m})[0] == Match.FULL for r in routes)]


# JSON-RPC error codes: the spec's own where one fits, else one per HTTP status.
RPC_PARSE_ERROR = -32700
RPC_INVALID_REQUEST = -32600
RPC_METHOD_NOT_FOUND = -32601
RPC_INVALID_PARAMS = -32602
RPC_INTERNAL = -32603


def rpc_code(status: int) -> int:
    """The JSON-RPC error code for an HTTP status: 422 is invalid params, others -32000 - status."""
    if status == 422:
        return RPC_INVALID_PARAMS
    if status == 500:
        return RPC_INTERNAL
    return -32000 - status


def rpc_error(code: int, message: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        err["data"] = data
    return err
