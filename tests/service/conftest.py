"""Fixtures: a mixdeck service under uvicorn on the null output, with its own media folder."""

from __future__ import annotations

import pytest

from tests.service.support import RunningServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server per test module, no token, null output."""
    running = start_server(tmp_path_factory.mktemp("media"))
    yield running
    running.stop()


@pytest.fixture
def http(server):
    with server.http() as client:
        yield client


@pytest.fixture
def make_server(tmp_path):
    """Start servers with particular settings; all are stopped after the test."""
    started: list[RunningServer] = []

    def make(**overrides):
        media = overrides.pop("media_dir", None) or (tmp_path / f"media{len(started)}")
        running = start_server(media, **overrides)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()
