"""An ASGI guard that caps request bodies before they are buffered or parsed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .errors import TooLarge, problem, problem_response
from .guard import is_upload

# Multipart framing (boundaries, part headers) on top of the file itself.
MULTIPART_ALLOWANCE = 64 * 1024
# JSON bodies are small; anything bigger than this is not a request we take.
JSON_LIMIT = 1024 * 1024


class BodyLimit:
    """Refuse (413) multipart uploads over the upload cap and every other body over JSON_LIMIT.

    Only a multipart POST to /api/sounds may be as large as an upload; JSON sent
    there is held to the JSON limit like any other. A JSON body is read here in
    full (it is at most JSON_LIMIT), so a chunked body without a Content-Length
    that grows too large is a 413 before the route ever parses it. An upload is
    counted as it streams; the form parser meets the 413 when it passes the cap.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], upload_limit: int) -> None:
        self.app = app
        self.upload_limit = upload_limit

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = is_upload(scope)
        limit = self.upload_limit + MULTIPART_ALLOWANCE if upload else JSON_LIMIT
        what, field = ("upload", "file") if upload else ("request body", "body")
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(f"the {what} is {declared} bytes; the limit is {limit}", field)(scope, receive, send)
            return
        if upload:
            await self.app(scope, _counting(receive, limit, what, field), send)
            return
        # Read the (small) JSON body now, then hand it to the app as one message.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await _too_large(f"the {what} is over the limit of {limit} bytes", field)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _counting(receive: Callable[..., Any], limit: int, what: str, field: str) -> Callable[..., Any]:
    seen = 0

    async def counted() -> dict[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge.about(field, f"the {what} is over the limit of {limit} bytes")
        return message

    return counted


def _too_large(detail: str, field: str) -> Any:
    return problem_response(problem(413, detail, [{"field": field, "message": "too large"}]))


def _content_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
