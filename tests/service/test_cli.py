"""`python -m mixdeck.service`: serve logs its output and exits 0 after fading out on SIGINT/SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MIXDECK_")}
    clean["PYTHONPATH"] = str(REPO)
    return clean


def serve(tmp_path: Path, *args: str, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "mixdeck.service", "serve", "--port", str(port), "--media-dir", str(tmp_path / "media"), *args],
        cwd=REPO, env={**env(), **(extra_env or {})}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a guard for a loaded machine, as the other service starts have
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            httpx.get(url + "/api/health", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError((tmp_path / "serve.log").read_text())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_fades_out_and_exits_zero_on_a_signal(tmp_path, sig):
    process, url = serve(tmp_path, "--output", "null")
    sound = httpx.get(url + "/api/sounds").json()[0]["id"]
    assert httpx.post(f"{url}/api/sounds/{sound}/play", json={"loop": True}).status_code == 201
    process.send_signal(sig)
    assert process.wait(timeout=30) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "audio output: null" in log and "as configured" in log
    assert "fading out the mix" in log


def test_auto_output_says_which_output_runs_and_why(tmp_path):
    process, url = serve(tmp_path, extra_env={"MIXDECK_OUTPUT": "auto", "MIXDECK_BLOCK_SIZE": "256"})
    info = httpx.get(url + "/api/health").json()["output"]
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    line = next(line for line in (tmp_path / "serve.log").read_text().splitlines() if "audio output:" in line)
    assert "256-frame blocks" in line
    if info["kind"] == "null":
        assert "auto fell back to null because" in line
    else:
        assert "device" in line


def test_devices_lists_outputs_or_says_there_are_none():
    done = subprocess.run([sys.executable, "-m", "mixdeck.service", "devices"], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_settings_come_from_the_environment_and_the_command_line_wins():
    from mixdeck.service.settings import ServiceSettings

    settings = ServiceSettings.from_env(
        {"MIXDECK_PORT": "9001", "MIXDECK_DEVICE": "3", "MIXDECK_STATE_RATE": "10", "MIXDECK_HOST": "127.0.0.2"},
        port=9002,
    )
    assert settings.port == 9002 and settings.device == 3 and settings.state_rate == 10
    assert settings.host == "127.0.0.2"
