"""What the panel's browser tests share besides fixtures: a `mixdeck serve`
subprocess a test can stop and start again, and small waiting helpers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.emptying import ids, left_over, remove_things, stop_voices

REPO = Path(__file__).resolve().parents[2]
# Seconds a starting service may take to answer; on a busy machine compiling the kernels takes over 30.
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    """A `mixdeck serve` subprocess on 127.0.0.1 that a test may stop and start again."""

    media: Path
    log: Path
    port: int = field(default_factory=free_port)
    token: str | None = None
    process: subprocess.Popen | None = None
    # Ids of the sounds it started with (its built-ins), which `empty` keeps.
    built_in: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def http(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def start(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        if self.token:
            env["MIXDECK_TOKEN"] = self.token
        command = [
            sys.executable, "-m", "mixdeck.service", "serve",
            "--output", "null", "--host", "127.0.0.1", "--port", str(self.port), "--media", str(self.media),
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code in (200, 401):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the service did not answer on {self.url}:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def wait_until(check, timeout: float = 15.0, interval: float = 0.1):
    """Poll `check()` until it returns a truthy value; return it, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"gave up waiting; last answer: {last!r}")


def upload(service: Service, path: Path) -> dict:
    """Add a sound through REST, the way any client would."""
    with service.http() as http:
        answer = http.post("/api/sounds", files={"file": (path.name, path.read_bytes(), "audio/wav")})
    assert answer.status_code == 201, answer.text
    return answer.json()


def empty(service: Service, sounds: set[str]) -> None:
    """Take the service back to how it started, through the API a user has, keeping the sounds in ``sounds``.

    Every Thing a test may have made goes: voices, tracks, sends, spatial
    tracks, listeners, clocks, modulators, the main track's effects and
    uploads; the main track's controls go back to their defaults. Returns
    when the service lists none of them.
    """
    with service.http() as http:
        stop_voices(http)
        # A sound still playing cannot be deleted (409): the voices go first.
        wait_until(lambda: not ids(http, "/api/voices"))
        remove_things(http)
        for sound in set(ids(http, "/api/sounds")) - sounds:
            http.delete(f"/api/sounds/{sound}")
        wait_until(lambda: not left_over(http) and not set(ids(http, "/api/sounds")) - sounds)
