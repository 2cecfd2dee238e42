"""One settings model gives the variables, the flags, `--help` and the README's table."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from mixdeck.service.settings import ServiceSettings, env_name, flag_name, shown_default
from tests.service.support import start_server

REPO = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| `(MIXDECK_[A-Z_]+)` \(`(--[a-z-]+)`\) \| `([^`]*)` \| (.+) \|$")


def mixdeck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MIXDECK_")}
    return subprocess.run(
        [sys.executable, "-m", "mixdeck.service", *args],
        cwd=REPO, env={**clean, **(env or {})}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def readme_rows() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (REPO / "README.md").read_text().splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def test_readme_table_lists_every_setting_with_its_flag_and_default():
    expected = {env_name(n): (flag_name(n), shown_default(f)) for n, f in ServiceSettings.model_fields.items()}
    assert readme_rows() == expected


def test_help_names_every_setting_its_variable_and_default():
    done = mixdeck("serve", "--help")
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    for name, info in ServiceSettings.model_fields.items():
        assert flag_name(name) in text and env_name(name) in text, name
        assert f"{env_name(name)}, default {shown_default(info)}" in text, name


def test_version_prints_the_package_version():
    import importlib.metadata

    done = mixdeck("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"mixdeck {importlib.metadata.version('mixdeck')}"


def test_every_setting_comes_from_its_variable():
    env = {
        "MIXDECK_MAX_VOICES": "12", "MIXDECK_MAX_CLOCKS": "3", "MIXDECK_MAX_MODULATORS": "4",
        "MIXDECK_MAX_TRACKS": "5", "MIXDECK_MAX_SENDS": "0",
        "MIXDECK_COMMAND_CAPACITY": "64", "MIXDECK_SHUTDOWN_FADE": "0.2", "MIXDECK_WEB_DIR": "/srv/panel",
        "MIXDECK_ALLOWED_ORIGINS": "http://a.lan:1, http://b.lan:2", "MIXDECK_LOG_LEVEL": "debug",
    }  # fmt: skip
    s = ServiceSettings.from_env(env)
    assert (s.max_voices, s.max_clocks, s.max_modulators, s.command_capacity) == (12, 3, 4, 64)
    assert (s.max_tracks, s.max_sends) == (5, 0)
    assert s.shutdown_fade == 0.2 and s.web_dir == Path("/srv/panel") and s.log_level == "debug"
    assert s.allowed_origins == ["http://a.lan:1", "http://b.lan:2"]


@pytest.mark.parametrize("blank", ["   ", "\t\n"])
def test_a_token_of_only_whitespace_is_refused(blank):
    with pytest.raises(ValidationError, match="token"):
        ServiceSettings.from_env({"MIXDECK_TOKEN": blank})
    done = mixdeck("serve", "--output", "null", env={"MIXDECK_TOKEN": blank})
    assert done.returncode == 2
    assert "token (--token or MIXDECK_TOKEN): must not be empty or only whitespace" in done.stderr


def test_a_token_can_come_from_a_file(tmp_path):
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    assert ServiceSettings.from_env({"MIXDECK_TOKEN_FILE": str(secret)}).token == "from-a-file"
    running = start_server(tmp_path / "media", token_file=secret)
    try:
        assert running.http(token=None).get("/api/health").status_code == 401
        assert running.http(token="from-a-file").get("/api/health").status_code == 200
    finally:
        running.stop()


def test_an_empty_token_file_or_a_token_and_a_file_are_refused(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text(" \n")
    done = mixdeck("serve", "--token-file", str(empty))
    assert done.returncode == 2 and "token_file" in done.stderr and "holds no token" in done.stderr
    with pytest.raises(ValidationError, match="not both"):
        ServiceSettings.from_env({"MIXDECK_TOKEN": "t", "MIXDECK_TOKEN_FILE": str(empty)})
    done = mixdeck("serve", "--token-file", str(tmp_path / "missing"))
    assert done.returncode == 2 and "cannot read" in done.stderr
