"""Requests a web page could make on its own: foreign Host names, cross-site Origins, non-JSON bodies.

Also: the schema behind the token, and tokens kept out of the server's logs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket

import pytest
import websockets

from mixdeck.service.logs import RedactTokens
from tests.service.support import write_wav

PROBLEM = "application/problem+json"
TOKEN = "s3cret-token"


def first_sound(http):
    return http.get("/api/sounds").json()[0]["id"]


def assert_problem(answer, status, field):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    return answer.json()


# ---- Host (DNS rebinding) -------------------------------------------------


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:80", "127.0.0.1.attacker.example", "[2001:db8::1]:8000"]
)
def test_a_foreign_host_name_is_refused(http, host):
    answer = http.get("/api/health", headers={"Host": host})
    problem = assert_problem(answer, 400, "host")
    assert "MIXDECK_ALLOWED_HOSTS" in problem["detail"]
    # Not only the API: the panel's files too (a rebound page could read them and then call the API).
    assert http.get("/", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_loopback_names_are_served(server, http, host):
    assert http.get("/api/health", headers={"Host": f"{host}:{server.port}"}).status_code == 200


def test_allowed_hosts_adds_names(make_server):
    server = make_server(allowed_hosts=["mixdeck.lan", "*.studio.example"])
    with server.http() as http:
        for host in ("mixdeck.lan", "a.studio.example:8000", "127.0.0.1"):
            assert http.get("/api/health", headers={"Host": host}).status_code == 200, host
        assert http.get("/api/health", headers={"Host": "studio.example.evil"}).status_code == 400


def test_allowed_hosts_reads_a_comma_separated_variable():
    from mixdeck.service import ServiceSettings

    settings = ServiceSettings.from_env({"MIXDECK_ALLOWED_HOSTS": "a.lan, b.lan"})
    assert settings.allowed_hosts == ["a.lan", "b.lan"]


def websocket_handshake_status(server, host):
    """The status line a WebSocket handshake naming `host` gets (raw, so only one Host header is sent)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            f"GET /api/ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        return sock.recv(4096).split(b"\r\n", 1)[0].decode()


def test_a_websocket_with_a_foreign_host_is_refused(server):
    assert " 400 " in websocket_handshake_status(server, "attacker.example")
    assert " 101 " in websocket_handshake_status(server, f"127.0.0.1:{server.port}")


def test_two_host_headers_are_refused(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: attacker.example\r\n\r\n")
        assert b" 400 " in sock.recv(4096).split(b"\r\n", 1)[0]


# ---- Cross-site requests ---------------------------------------------------


def test_a_cross_site_simple_post_is_refused(http):
    """What a page elsewhere can send without a preflight never plays a sound."""
    url = f"/api/sounds/{first_sound(http)}/play"
    before = len(http.get("/api/voices").json())
    # text/plain: the content type of fetch(url, {method: 'POST', mode: 'no-cors', body: '{}'}).
    assert_problem(
        http.post(url, content=b'{"volume": 0}', headers={"content-type": "text/plain"}), 415, "content-type"
    )
    # A Blob body sends no Content-Type at all.
    assert_problem(http.post(url, content=b'{"volume": 0}', headers={"content-type": ""}), 415, "content-type")
    answer = http.post(url, content=b"volume=0", headers={"content-type": "application/x-www-form-urlencoded"})
    assert "application/x-www-form-urlencoded" in assert_problem(answer, 415, "content-type")["detail"]
    # And with no body at all, the browser's Origin gives it away.
    assert_problem(http.post(url, headers={"Origin": "https://attacker.example"}), 403, "origin")
    assert_problem(http.post(url, json={}, headers={"Origin": "null"}), 403, "origin")
    assert len(http.get("/api/voices").json()) == before


def test_a_cross_site_upload_is_refused_and_a_same_origin_one_accepted(server, http, tmp_path):
    data = write_wav(tmp_path / "x.wav", seconds=0.05).read_bytes()
    files = {"file": ("x.wav", data, "audio/wav")}
    for origin in (
        "https://attacker.example",
        f"http://127.0.0.1:{server.port + 1}",
        f"http://localhost:{server.port}",
    ):
        assert_problem(http.post("/api/sounds", files=files, headers={"Origin": origin}), 403, "origin")
    same = http.post("/api/sounds", files=files, headers={"Origin": server.url})
    assert same.status_code == 201, same.text
    # Clients that are not browsers send no Origin.
    assert http.post("/api/sounds", files=files).status_code == 201


def test_same_origin_json_requests_pass(server, http):
    """The panel's own requests: same origin, application/json (with a charset), or no body."""
    sound = first_sound(http)
    headers = {"Origin": server.url}
    answer = http.post(f"/api/sounds/{sound}/play", content=b'{"volume": -40}',
                       headers={**headers, "content-type": "application/json; charset=utf-8"})  # fmt: skip
    assert answer.status_code == 201, answer.text
    voice = answer.json()["id"]
    assert http.post(f"/api/voices/{voice}/stop", headers=headers).status_code == 200
    clock = http.post("/api/clocks", json={"speed": {"ticks_per_second": 2}}, headers=headers).json()["id"]
    assert http.post(f"/api/clocks/{clock}/start", headers=headers).status_code == 200
    assert http.delete(f"/api/clocks/{clock}", headers=headers).status_code == 204


def test_reading_needs_no_origin_check(http):
    # A cross-site GET cannot read the answer without CORS, which the service never grants.
    answer = http.get("/api/health", headers={"Origin": "https://attacker.example"})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers


# ---- The schema and the token ---------------------------------------------


def test_with_a_token_the_schema_needs_it_and_the_docs_pages_are_off(make_server):
    server = make_server(token=TOKEN)
    with server.http(token=None) as anonymous:
        assert anonymous.get("/openapi.json").status_code == 401
        assert anonymous.get("/docs").status_code == 404
        assert anonymous.get("/redoc").status_code == 404
    with server.http() as allowed:
        answer = allowed.get("/openapi.json")
        assert answer.status_code == 200 and "/api/sounds" in answer.json()["paths"]
        assert allowed.get("/docs").status_code == 404


def test_without_a_token_the_docs_are_open(http):
    assert http.get("/docs").status_code == 200
    assert http.get("/openapi.json").status_code == 200


# ---- Tokens in logs --------------------------------------------------------


def test_the_log_filter_redacts_tokens_in_uvicorn_records():
    access = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", f"/api/ws?x=1&token={TOKEN}", "1.1", 101), None)  # fmt: skip
    handshake = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" %s',
                                  ("127.0.0.1:5000", f"/api/ws?token={TOKEN}", "[accepted]"), None)  # fmt: skip
    formatted = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, f"GET /api/ws?Token={TOKEN} done", (), None
    )
    for record in (access, handshake, formatted):
        assert RedactTokens().filter(record)
        text = record.getMessage()
        assert TOKEN not in text and "token=[redacted]" in text.lower(), text
    assert "x=1" in access.getMessage()


def test_the_token_in_a_websocket_url_stays_out_of_the_server_log(make_server, capfd):
    server = make_server(token=TOKEN)
    loggers = [logging.getLogger(name) for name in ("uvicorn.error", "uvicorn.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)

    async def scenario():
        async with websockets.connect(server.ws_url + f"?token={TOKEN}") as ws:
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "engine.health"}))
            await ws.recv()

    try:
        asyncio.run(asyncio.wait_for(scenario(), 30))
        with server.http() as http:
            assert http.get(f"/api/health?token={TOKEN}").status_code == 200
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
    out, err = capfd.readouterr()
    logged = out + err  # uvicorn's own handlers write there
    assert "/api/ws?token=[redacted]" in logged and "/api/health?token=[redacted]" in logged
    assert TOKEN not in logged
