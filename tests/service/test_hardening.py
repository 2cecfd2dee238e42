"""Requests that fuzzing found mishandled: each gets a clear answer naming its field, and no secret reaches the log."""

from __future__ import annotations

import asyncio
import json
import logging
import socket

import httpx
import pytest
import websockets

from tests.service.support import start_server, wait_until
from tests.virtual_audio import JackDummyServer, restartable_virtual_audio  # noqa: F401  (a fixture)

TOKEN = "hardening-token-3"
PROBLEM = "application/problem+json"


def fields(answer: httpx.Response) -> list[str]:
    assert answer.headers["content-type"].startswith(PROBLEM), answer.text
    return [e["field"] for e in answer.json()["errors"]]


@pytest.mark.parametrize("raw", [b'{"volume": "\xff"}', b"\xc3\x28", b'{"loop": true}\xc3'])
def test_a_json_body_that_is_not_utf8_is_422_naming_body(http, raw):
    answer = http.post("/api/sounds/snd-1/play", content=raw, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert fields(answer) == ["body"] and "UTF-8" in answer.json()["detail"]


@pytest.mark.parametrize(
    "headers, body",
    [
        ({"content-type": "application/json"}, b"\xff\xfe not json"),
        ({"content-type": "text/plain"}, b"hello"),
        ({"content-type": "multipart/form-data; boundary=x"}, b"--x\r\nbroken"),
    ],
)
def test_with_a_token_a_request_without_it_is_401_before_its_body_is_read(make_server, headers, body):
    server = make_server(token=TOKEN)
    with httpx.Client(base_url=server.url, timeout=10) as anonymous:
        answer = anonymous.post("/api/sounds", content=body, headers=headers)
    assert answer.status_code == 401
    assert fields(answer) == ["authorization"] and answer.headers["www-authenticate"].startswith("Bearer")


def test_with_a_token_a_body_too_large_without_it_is_401_not_413(make_server):
    server = make_server(token=TOKEN)
    # Headers that promise 50 MiB, and no body at all: the answer may only come from the headers.
    head = (f"POST /api/sounds HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {50 << 20}\r\n\r\n")  # fmt: skip
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        status_line = sock.makefile("rb").readline().decode()
    assert status_line.split()[1] == "401", status_line


def test_a_percent_encoded_token_parameter_is_redacted_from_the_log(make_server, capfd):
    server = make_server(token=TOKEN)
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "uvicorn.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)

    async def scenario():
        # The server decodes the name as %74 = 't', so this is the token and it is accepted.
        async with websockets.connect(server.ws_url + f"?%74oken={TOKEN}") as ws:
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "engine.health"}))
            return json.loads(await ws.recv())

    try:
        reply = asyncio.run(asyncio.wait_for(scenario(), 30))
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
    assert reply["result"]["status"] == "ok"
    out, err = capfd.readouterr()
    logged = out + err
    assert "/api/ws?%74oken=[redacted]" in logged
    assert TOKEN not in logged


@pytest.mark.virtual_audio
@pytest.mark.slow
def test_health_is_degraded_with_the_reason_while_the_device_is_lost(
    tmp_path,
    restartable_virtual_audio: JackDummyServer,  # noqa: F811
):
    virtual_audio = restartable_virtual_audio
    server = start_server(tmp_path / "media", output="device", device=virtual_audio.device)
    try:
        with server.http() as http:
            assert http.get("/api/health").json()["status"] == "ok"
            virtual_audio.stop()
            # PortAudio may take the audio process down with the device (its JACK code asserts); the
            # replacement cannot open the device either, and then the reason says it is lost.
            lost = wait_until(
                lambda: (h := http.get("/api/health").json())["status"] == "degraded" and "lost" in h["reason"] and h,
                timeout=30,
            )
            assert lost["output"]["connected"] is False
            assert "lost" in lost["reason"] and virtual_audio.device_name in lost["reason"]
            virtual_audio.restart()
            back = wait_until(lambda: (h := http.get("/api/health").json())["status"] == "ok" and h, timeout=30)
            assert back["reason"] is None
    finally:
        server.stop()


@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("OPTIONS", "/api/clocks", "GET, POST"),
        ("PUT", "/api/sounds", "GET, POST"),
        ("POST", "/api/clocks/x", "GET, PATCH, DELETE"),
    ],
)
def test_a_method_no_route_takes_is_405_naming_the_methods_the_path_has(http, method, path, allow):
    # A body the guards would refuse on a real route: the method is what is wrong here.
    answer = http.request(method, path, content=b"\xff", headers={"content-type": "text/plain"})
    assert answer.status_code == 405 and answer.headers["allow"] == allow
    assert answer.headers["content-type"].startswith(PROBLEM)
