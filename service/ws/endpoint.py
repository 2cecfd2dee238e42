"""The `/api/ws` endpoint: check the handshake, then a reader and a writer task per client.

The reader runs requests and queues their responses; the writer is the only
sender. Whichever ends first (the peer went away, a send failed, the client
went over its outbox cap) ends the other, so a dead socket never leaves a
task waiting and the client always leaves the hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from ..auth import websocket_token_ok
from ..errors import problem, problem_response
from .hub import Client
from .rpc import Dispatcher

log = logging.getLogger("mixdeck.service")

CLOSE_TIMEOUT = 5.0  # seconds to wait for a close frame to go out to a peer that does not read
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _host_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(f"//{netloc}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower(), port if port is not None else _DEFAULT_PORTS.get(scheme, 80)


def origin_allowed(headers: Mapping[str, str], allowed: Iterable[str] = ()) -> bool:
    """True unless the handshake comes from a web page of another site.

    Browsers send `Origin` on every WebSocket handshake; programs usually send
    none and are let in (the token is what guards them). A page is let in when
    it was served by this service (same host and port as the request's `Host`,
    over http or https) or when its origin is in `allowed`.
    """
    origin = headers.get("origin")
    if origin is None:
        return True
    origin = origin.strip()
    if origin.rstrip("/").lower() in {a.strip().rstrip("/").lower() for a in allowed if a.strip()}:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.path not in ("", "/") or parts.query or parts.username:
        return False
    mine = _host_port(headers.get("host", ""), parts.scheme)
    theirs = _host_port(parts.netloc, parts.scheme)
    return mine is not None and mine == theirs


def allowed_origins(settings: object) -> list[str]:
    """The extra origins from `allowed_origins` (MIXDECK_ALLOWED_ORIGINS), comma-separated."""
    raw = getattr(settings, "allowed_origins", None) or ""
    items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return [str(o).strip() for o in items if str(o).strip()]


async def _deny(websocket: WebSocket, status: int, detail: str, reason: str) -> None:
    try:
        await websocket.send_denial_response(problem_response(problem(status, detail)))
    except RuntimeError:  # server without the denial-response extension
        await websocket.close(code=1008, reason=reason)


async def websocket_endpoint(websocket: WebSocket) -> None:
    app = websocket.app
    settings = app.state.settings
    if not websocket_token_ok(settings.token, websocket.headers, websocket.query_params):
        detail = "missing or wrong token: send 'Authorization: Bearer <token>' or '?token=<token>'"
        await _deny(websocket, 401, detail, "missing or wrong token")
        return
    if not origin_allowed(websocket.headers, allowed_origins(settings)):
        origin = websocket.headers.get("origin", "")
        detail = (f"WebSocket from origin {origin!r} refused: only pages served by this service "
                  "(or listed in MIXDECK_ALLOWED_ORIGINS) may connect")  # fmt: skip
        log.warning("refused a WebSocket handshake from origin %r", origin)
        await _deny(websocket, 403, detail, "origin not allowed")
        return
    await websocket.accept()
    hub = app.state.hub
    client = hub.connect(websocket.send_text)
    dispatcher = Dispatcher(app.state.runtime, hub, client)
    reader = asyncio.create_task(_read(websocket, dispatcher, client))
    writer = asyncio.create_task(client.write_forever())
    try:
        await asyncio.wait((reader, writer), return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.disconnect(client)
        for task in (reader, writer):
            task.cancel()
        for task in (reader, writer):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if client.close_code is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(client.close_code, client.close_reason[:120]), CLOSE_TIMEOUT)


async def _read(websocket: WebSocket, dispatcher: Dispatcher, client: Client) -> None:
    """Run each message received and queue its response, until the peer or the client closes."""
    with contextlib.suppress(WebSocketDisconnect):
        while not client.closed:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                raw = message.get("bytes") or b""
                text = raw.decode("utf-8", errors="replace")
            reply = await dispatcher.handle_text(text)
            if reply is not None and not client.reply(reply):
                return
