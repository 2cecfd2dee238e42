"""A real uvicorn server in a thread, on 127.0.0.1 and a free port, for the service tests."""

from __future__ import annotations

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

STARTUP_TIMEOUT = 20.0


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
