"""The README's snippets run as written: the Python tour of the engine, and the shell tour against a live service."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mixdeck.service.media import write_builtin_library
from tests.service.support import start_server, wait_until

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def answers(output: str) -> list[dict]:
    """The JSON objects curl printed one after another (it adds no newline between them)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (start := output.find("{", at)) != -1:
        value, at = decoder.raw_decode(output, start)
        found.append(value)
    return found


def test_the_python_api_snippet_runs_as_written(tmp_path):
    snippet = next(b for b in blocks("python") if "AudioManager(" in b)
    write_builtin_library(tmp_path / "media")  # what the first `make run` writes
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXDECK_")}
    done = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    state, position = done.stdout.split()[-2:]
    assert "PLAYING" in state.upper() or "RESUMING" in state.upper() or "PAUS" in state.upper(), done.stdout
    assert float(position) == 0.0  # it is to start on beat 4, which has not come yet


def test_the_clock_and_modulator_commands_run_against_a_service(tmp_path):
    shell = next(b for b in blocks("sh") if "CLOCK=$(" in b)
    server = start_server(tmp_path / "media")
    try:
        script = shell.replace("localhost:8000", f"127.0.0.1:{server.port}")
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        with server.http() as http:
            voices = http.get("/api/voices").json()
            assert http.get("/api/clocks").json()[0]["ticking"] is True
            assert http.get("/api/modulators").json()[0]["type"] == "lfo"
        assert any(v["state"] in ("waiting", "playing") for v in voices)
        assert '"state":"waiting"' in done.stdout.replace(" ", "")  # the drum waits for beat 4
    finally:
        server.stop()


def test_the_two_bus_mix_commands_run_against_a_service(tmp_path):
    shell = next(b for b in blocks("sh") if "REVERB=$(" in b)
    server = start_server(tmp_path / "media")
    try:
        script = shell.replace("localhost:8000", f"127.0.0.1:{server.port}")
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        with server.http() as http:
            tree = http.get("/api/tracks").json()
            [reverb] = tree["sends"]
            [sfx] = tree["main"]["tracks"]  # the music bus was removed
            assert sfx["sends"] == {reverb["id"]: -6.0} and reverb["volume"] == -6.0
            played = [answer for answer in answers(done.stdout) if answer.get("id", "").startswith("voice-")]
            chord = next(v for v in played if v["loop_region"] is not None)
            assert chord["track"] != sfx["id"] and chord["track"].startswith("track-")
            wait_until(lambda: http.get(f"/api/voices/{chord['id']}").status_code == 404)
    finally:
        server.stop()


@pytest.mark.parametrize(
    "line", [line for b in blocks("sh") for line in b.splitlines() if "scripts/" in line and ".py" in line]
)
def test_commands_that_need_the_projects_packages_use_the_virtualenv(line):
    assert line.lstrip().startswith(".venv/bin/"), line


def test_the_effects_commands_run_against_a_service(tmp_path):
    shell = next(b for b in blocks("sh") if "LOWPASS=$(" in b)
    server = start_server(tmp_path / "media")
    try:
        script = shell.replace("localhost:8000", f"127.0.0.1:{server.port}")
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        with server.http() as http:
            [bus] = http.get("/api/tracks").json()["main"]["tracks"]
            # Each change shows from the audio thread's next block.
            wanted = [("reverb", 0, False), ("filter", 1, True)]
            wait_until(
                lambda: [(e["kind"], e["position"], e["bypassed"]) for e in bus_effects(http, bus["id"])] == wanted
            )
            low_pass = bus_effects(http, bus["id"])[1]
            assert low_pass["choices"] == {"mode": "low_pass"} and low_pass["values"]["resonance"] == pytest.approx(0.3)
    finally:
        server.stop()


def bus_effects(http, bus: str) -> list[dict]:
    return http.get(f"/api/tracks/{bus}/effects").json()
