"""Bearer-token checks for REST and WebSocket.

With no token configured everything is open (the service then only listens on
loopback, see `ServiceSettings.check`). Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Mapping

from fastapi import Request

from .errors import Unauthorized


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


def require_token(request: Request) -> None:
    """FastAPI dependency: 401 unless the request carries the configured bearer token."""
    expected = request.app.state.settings.token
    if not token_matches(expected, bearer(request.headers)):
        raise Unauthorized(
            "missing or wrong token: send 'Authorization: Bearer <token>'",
            field="authorization",
            headers={"WWW-Authenticate": 'Bearer realm="mixdeck"'},
        )


def websocket_token_ok(expected: str | None, headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
    """True when the WebSocket handshake carries the token in its header or `?token=`."""
    return token_matches(expected, bearer(headers) or query.get("token"))
