"""A real uvicorn server in a thread, on 127.0.0.1 and a free port, for the service tests."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import soundfile
import uvicorn

from mixdeck.service import ServiceSettings, create_app

# A guard for a busy machine (the offline output loads its kernels in-process), not a timing check.
STARTUP_TIMEOUT = 60.0


@dataclass
class RunningServer:
    app: Any
    server: uvicorn.Server
    thread: threading.Thread
    port: int
    token: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/api/ws"

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def http(self, token: str | None = "default") -> httpx.Client:
        token = self.token if token == "default" else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def start_server(media: Path, **overrides: Any) -> RunningServer:
    """Start `create_app` under uvicorn on port 0 and wait until it listens."""
    values = {"output": "null", "media_dir": media, "port": 0, **overrides}
    settings = ServiceSettings(**values)
    app = create_app(settings)
    config = uvicorn.Config(app, host=settings.host, port=0, log_level="warning", ws_max_size=1 << 20)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server exited during startup")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return RunningServer(app, server, thread, port, settings.token)


def write_wav(
    path: Path, seconds: float = 0.5, rate: int = 48000, channels: int = 1, value: float | None = None
) -> Path:
    """A test WAV: a 440 Hz sine, or a constant `value` (nonzero from the first frame)."""
    n = int(seconds * rate)
    if value is None:
        mono = 0.5 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)
    else:
        mono = np.full(n, value)
    data = mono if channels == 1 else np.repeat(mono[:, None], channels, axis=1)
    soundfile.write(str(path), data, rate, subtype="PCM_16")
    return path


def wait_until(check, timeout: float = 10.0, interval: float = 0.02):
    """Poll `check()` until truthy and return it; fail after `timeout` seconds (a guard, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"gave up waiting; last answer: {last!r}")


class Rpc:
    """A JSON-RPC client that keeps notifications aside while it waits for responses."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.notes: list[dict] = []

    async def call(self, method, params=None, raw=False):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        await self.ws.send(json.dumps(message))
        reply = await self.response(self.next_id)
        if raw:
            return reply
        assert "result" in reply, reply
        return reply["result"]

    async def response(self, req_id):
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
            if isinstance(message, dict) and "method" in message:
                self.notes.append(message)
            elif isinstance(message, list) or message.get("id") == req_id:
                return message

    async def note(self, predicate, timeout=10.0):
        """The first notification (kept or new) for which predicate is true."""
        deadline = time.monotonic() + timeout
        while True:
            for i, note in enumerate(self.notes):
                if predicate(note):
                    return self.notes.pop(i)
            self.notes.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("no matching notification")
            message = json.loads(await asyncio.wait_for(self.ws.recv(), remaining))
            if isinstance(message, dict) and "method" in message:
                self.notes.append(message)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def amplitude(db: float) -> float:
    return float(10 ** (db / 20))


def assert_problem(answer, status: int, field: str | None = None) -> dict:
    """A problem+json answer with `status`, naming exactly `field` when one is given."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field], body
    return body


def render(server, seconds: float):
    """Render `seconds` more on an offline service and return the frames."""
    manager = server.runtime.manager
    return manager.render(int(seconds * manager.settings.sample_rate))
