"""An ASGI guard that caps request bodies before they are buffered or parsed."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from .errors import TooLarge, problem, problem_response

# Multipart framing (boundaries, part headers) on top of the file itself.
MULTIPART_ALLOWANCE = 64 * 1024
# JSON bodies are small; anything bigger than this is not a request we take.
JSON_LIMIT = 1024 * 1024


class BodyLimit:
    """Refuse (413) bodies over the upload cap on POST /api/sounds and over JSON_LIMIT elsewhere."""

    def __init__(self, app: Callable[..., Awaitable[None]], upload_limit: int) -> None:
        self.app = app
        self.upload_limit = upload_limit

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        is_upload = scope["method"] == "POST" and scope["path"].rstrip("/") == "/api/sounds"
        limit = self.upload_limit + MULTIPART_ALLOWANCE if is_upload else JSON_LIMIT
        what = "upload" if is_upload else "request body"
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            body = problem(413, f"the {what} is {declared} bytes; the limit is {limit}", [{"field": "file" if is_upload else "body", "message": "too large"}])
            await problem_response(body)(scope, receive, send)
            return
        seen = 0

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(f"the {what} is over the limit of {limit} bytes", field="file" if is_upload else "body")
            return message

        await self.app(scope, counted, send)


def _content_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
