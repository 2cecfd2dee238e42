"""The `/api/ws` endpoint: authenticate, then read requests while a writer task sends."""

from __future__ import annotations

import asyncio
import contextlib

from starlette.websockets import WebSocket, WebSocketDisconnect

from ..auth import websocket_token_ok
from ..errors import problem, problem_response
from .rpc import Dispatcher


async def websocket_endpoint(websocket: WebSocket) -> None:
    app = websocket.app
    if not websocket_token_ok(app.state.settings.token, websocket.headers, websocket.query_params):
        body = problem(401, "missing or wrong token: send 'Authorization: Bearer <token>' or '?token=<token>'")
        try:
            await websocket.send_denial_response(problem_response(body))
        except RuntimeError:  # server without the denial-response extension
            await websocket.close(code=1008, reason="missing or wrong token")
        return
    await websocket.accept()
    hub = app.state.hub
    client = hub.connect(websocket.send_text)
    dispatcher = Dispatcher(app.state.runtime, hub, client)
    writer = asyncio.create_task(client.write_forever())
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:
                raw = message.get("bytes") or b""
                text = raw.decode("utf-8", errors="replace")
            reply = await dispatcher.handle_text(text)
            if reply is not None:
                await client.reply(reply)
            if writer.done():  # the socket failed while sending
                break
    except WebSocketDisconnect:
        pass
    finally:
        hub.disconnect(client)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer
