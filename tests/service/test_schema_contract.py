"""The schema is a contract: schemathesis fuzzes a live server against it, every check, every phase."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.service.support import start_server

# Fuzzing every operation takes minutes on a busy machine; the run itself is bounded by its own timeout.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(960)]

HERE = Path(__file__).resolve().parent
TOKEN = "contract-token"
ST = Path(sys.executable).with_name("st")
EXAMPLES = 8  # per operation and phase: bounded, so fuzzing 64 operations stays within a few minutes


def test_schemathesis_finds_no_failure_in_any_phase(tmp_path):
    # Fuzzed plays loop until stopped: a bounded number keeps the audio process from taking
    # the machine from the tests running beside this one (a full engine is a declared 409).
    server = start_server(tmp_path / "media", token=TOKEN, max_voices=16)
    try:
        done = subprocess.run(
            [
                str(ST), "--config-file", str(HERE / "schemathesis.toml"), "--no-color",
                "run", f"{server.url}/openapi.json",
                "--header", f"Authorization: Bearer {TOKEN}",
                "--phases", "examples,coverage,fuzzing,stateful",
                "--max-examples", str(EXAMPLES), "--seed", "13", "--workers", "1",
                "--request-timeout", "20", "--generation-database", "none",
            ],
            capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )  # fmt: skip
    finally:
        server.stop()
    report = done.stdout[-20000:]
    assert done.returncode == 0, report + done.stderr[-4000:]
    summary = report[report.index("SUMMARY") :]
    assert "Tested: 64" in summary
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in summary, summary
    assert "Failures:" not in summary and " passed" in summary, summary
