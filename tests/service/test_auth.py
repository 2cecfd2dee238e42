"""Tokens on REST and WebSocket, and refusing to listen beyond loopback without one."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from mixdeck.service import ServiceSettings, create_app
from mixdeck.service.settings import ConfigError

TOKEN = "s3cret-token"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def secured(make_server):
    return make_server(token=TOKEN)


def test_rest_needs_the_bearer_token(secured):
    with secured.http(token=None) as anonymous:
        answer = anonymous.get("/api/sounds")
        assert answer.status_code == 401 and answer.headers["content-type"].startswith("application/problem+json")
        assert "token" in answer.json()["detail"] and answer.headers["www-authenticate"].startswith("Bearer")
    with secured.http(token="wrong") as wrong:
        assert wrong.get("/api/health").status_code == 401
        assert wrong.post("/api/sounds", files={"file": ("a.wav", b"RIFF", "audio/wav")}).status_code == 401
    with secured.http() as allowed:
        assert allowed.get("/api/sounds").status_code == 200


def test_websocket_takes_the_token_in_a_header_or_the_query(secured):
    async def health(url, headers=None):
        async with websockets.connect(url, additional_headers=headers) as ws:
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "engine.health"}))
            return json.loads(await ws.recv())["result"]["status"]

    async def scenario():
        for url, headers in ((secured.ws_url, None), (secured.ws_url + "?token=nope", None),
                             (secured.ws_url, {"Authorization": "Bearer nope"})):  # fmt: skip
            with pytest.raises(InvalidStatus) as refused:
                await health(url, headers)
            assert refused.value.response.status_code == 401
        assert await health(secured.ws_url, {"Authorization": f"Bearer {TOKEN}"}) == "ok"
        assert await health(secured.ws_url + f"?token={TOKEN}") == "ok"

    asyncio.run(asyncio.wait_for(scenario(), 30))


def test_without_a_token_everything_is_open_on_loopback(server):
    with server.http(token=None) as anonymous:
        assert anonymous.get("/api/health").status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_binding_beyond_loopback_without_a_token_is_refused(tmp_path, host):
    with pytest.raises(ConfigError, match="needs a token"):
        create_app(ServiceSettings(host=host, output="null", media_dir=tmp_path))


def test_binding_beyond_loopback_with_a_token_is_allowed(tmp_path):
    ServiceSettings(host="0.0.0.0", token=TOKEN, media_dir=tmp_path).check()


def test_the_command_line_refuses_with_a_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXDECK_")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [sys.executable, "-m", "mixdeck.service", "serve", "--host", "0.0.0.0", "--output", "null", "--media-dir", str(tmp_path)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Refusing to listen on 0.0.0.0" in done.stderr and "needs a token" in done.stderr
