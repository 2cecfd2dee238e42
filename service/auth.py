"""Bearer-token checks for REST and WebSocket.

With no token configured everything is open (the service then only listens on
loopback, see `ServiceSettings.check`). Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .errors import problem, problem_response

ASGIApp = Callable[..., Awaitable[None]]


def token_matches(expected: str | None, given: str | None) -> bool:
    if not expected:
        return True
    if not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def bearer(headers: Mapping[str, str]) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class TokenGuard:
    """ASGI guard: 401 for an HTTP request under /api (or the schema) without the token.

    It runs before any route, so a request without the token is refused before
    its body is read or parsed, whatever is wrong with the body.
    """

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http" or not self.token or not guarded(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if token_matches(self.token, bearer(headers)):
            await self.app(scope, receive, send)
            return
        body = problem(401, "missing or wrong token: send 'Authorization: Bearer <token>'",
                       [{"field": "authorization", "message": "must be 'Bearer <token>' with the service's token"}])  # fmt: skip
        await problem_response(body, {"WWW-Authenticate": 'Bearer realm="mixdeck"'})(scope, receive, send)


def guarded(path: str) -> bool:
    """The paths behind the token: the API and its schema."""
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def websocket_token_ok(expected: str | None, headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
    """True when the WebSocket handshake carries the token in its header or `?token=`."""
    return token_matches(expected, bearer(headers) or query.get("token"))
