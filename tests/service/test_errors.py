"""Every error status the API promises, as problem+json naming the field or id; and never a 500."""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
import pytest

from tests.service.support import wait_until, write_wav

PROBLEM = "application/problem+json"


def first_sound(http):
    return http.get("/api/sounds").json()[0]["id"]


def assert_problem(answer, status, field=None):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    body = answer.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


@pytest.mark.parametrize(
    "body, field",
    [
        ({"volume": 100}, "volume"),
        ({"volume": "loud"}, "volume"),
        ({"panning": 1.5}, "panning"),
        ({"playback_rate": -1}, "playback_rate"),
        ({"start_position": -1}, "start_position"),
        ({"start_position": 999}, "start_position"),
        ({"loop_region": {"start": 1, "end": 0.5}}, "loop_region.end"),
        ({"slice": {"start": 0}}, "slice.end"),
        ({"fade_in": {"duration": -1}}, "fade_in.duration"),
        ({"fade_in": {"easing": "bouncy"}}, "fade_in.easing"),
        ({"fade_in": {"easing": "in_powi", "power": 2.5}}, "fade_in.power"),
        ({"start_time": {"delay": 1, "clock": "clock-0-1", "ticks": 1}}, "start_time.clock"),
        ({"volume": {"modulator": "mod-0-1", "input_range": [1, 1]}}, "volume.input_range"),
        ({"loudness": 3}, "loudness"),
    ],
)
def test_bad_play_settings_are_422_naming_the_json_field(http, body, field):
    answer = http.post(f"/api/sounds/{first_sound(http)}/play", json=body)
    assert_problem(answer, 422, field)


def test_bad_json_is_422_naming_the_body(http):
    answer = http.patch("/api/main-track", content=b"{not json", headers={"content-type": "application/json"})
    assert_problem(answer, 422, "body")


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/api/voices/voice-99-7"),
        ("PATCH", "/api/voices/voice-99-7"),
        ("POST", "/api/voices/voice-99-7/stop"),
        ("GET", "/api/sounds/snd-999"),
        ("POST", "/api/sounds/snd-999/play"),
        ("GET", "/api/clocks/clock-3-3"),
        ("DELETE", "/api/modulators/mod-1-9"),
        ("GET", "/api/voices/not-an-id"),
    ],
)
def test_unknown_ids_are_404_naming_the_id(http, method, path):
    body = {"volume": -3} if method == "PATCH" else None
    answer = http.request(method, path, json=body)
    problem = assert_problem(answer, 404)
    assert path.split("/")[3] in problem["detail"]


def test_an_unknown_modulator_in_a_value_is_422_naming_it(http):
    # The sound exists; what the body refers to does not, so the request cannot be carried out (not a 404).
    answer = http.post(f"/api/sounds/{first_sound(http)}/play", json={"volume": {"modulator": "mod-9-9"}})
    assert "mod-9-9" in assert_problem(answer, 422, "volume.modulator")["detail"]


def test_a_full_voice_arena_is_409(make_server):
    server = make_server(max_voices=2)
    with server.http() as http:
        sound = first_sound(http)
        for _ in range(2):
            assert http.post(f"/api/sounds/{sound}/play", json={"loop": True}).status_code == 201
        assert_problem(http.post(f"/api/sounds/{sound}/play"), 409)


def test_a_full_command_queue_is_503_with_retry_after(make_server):
    # Offline output: nothing drains the queue until the test renders.
    server = make_server(output="offline", command_capacity=2)
    with server.http() as http:
        sound = first_sound(http)
        for _ in range(2):
            assert http.post(f"/api/sounds/{sound}/play").status_code == 201
        answer = http.post(f"/api/sounds/{sound}/play")
        assert_problem(answer, 503)
        assert int(answer.headers["retry-after"]) >= 1
        server.app.state.manager.render(512)
        assert http.post(f"/api/sounds/{sound}/play").status_code == 201


def test_an_upload_over_the_size_cap_is_413(make_server, tmp_path):
    server = make_server(max_upload_bytes=4096)
    path = write_wav(tmp_path / "big.wav", seconds=1.0)
    with server.http() as http:
        answer = http.post("/api/sounds", files={"file": ("big.wav", path.read_bytes(), "audio/wav")})
        assert_problem(answer, 413)
        small = write_wav(tmp_path / "small.wav", seconds=0.01)
        assert (
            http.post("/api/sounds", files={"file": ("small.wav", small.read_bytes(), "audio/wav")}).status_code == 201
        )


def test_a_sound_over_the_decoded_length_cap_is_413(make_server, tmp_path):
    server = make_server(max_sound_seconds=0.5)
    path = write_wav(tmp_path / "long.wav", seconds=1.0)
    with server.http() as http:
        answer = http.post("/api/sounds", files={"file": ("long.wav", path.read_bytes(), "audio/wav")})
        assert "limit" in assert_problem(answer, 413, "file")["detail"]


def test_files_that_are_not_audio_are_415(http, tmp_path):
    whole = write_wav(tmp_path / "whole.wav", seconds=0.5).read_bytes()
    cases = {
        "random.wav": np.random.default_rng(1).bytes(5000),
        "truncated.wav": whole[: len(whole) // 2],
        "header-only.wav": whole[:44],
        "text.ogg": b"hello, this is not audio\n" * 20,
        "empty.wav": b"",
    }
    for name, content in cases.items():
        answer = http.post("/api/sounds", files={"file": (name, content, "audio/wav")})
        assert_problem(answer, 415, "file")


@pytest.mark.parametrize(
    "path, status",
    [("../outside.wav", 422), ("sub/../../outside.wav", 422), ("/etc/passwd", 422), ("missing.wav", 404)],
)
def test_paths_outside_the_media_folder_are_refused(http, path, status):
    assert_problem(http.post("/api/sounds", json={"path": path}), status, "path")


def test_a_symlink_out_of_the_media_folder_is_403(server, http, tmp_path):
    outside = write_wav(tmp_path / "secret.wav", seconds=0.1)
    link = server.app.state.settings.media_dir / "escape.wav"
    os.symlink(outside, link)
    try:
        assert_problem(http.post("/api/sounds", json={"path": "escape.wav"}), 403, "path")
    finally:
        link.unlink()


def test_a_wrong_content_type_on_add_sound_is_415(http):
    answer = http.post("/api/sounds", content=b"RIFF", headers={"content-type": "audio/wav"})
    assert_problem(answer, 415)


FUZZ_BODIES = [
    None, b"", b"null", b"[]", b"[1,2]", b'"text"', b"1e999", b"{", b"{}", b'{"volume": null}',
    b'{"volume": 1e308}', b'{"volume": -1e308}', b'{"volume": true}', b'{"volume": [1]}', b'{"volume": {}}',
    b'{"volume": {"modulator": null}}', b'{"tween": {"duration": 1e300}}', b'{"tween": []}',
    b'{"tween": {"start_clock": {"clock": "clock-0-0", "ticks": -1}}}', b'{"speed": {"ticks_per_minute": 0}}',
    b'{"speed": {"ticks_per_second": NaN}}', b'{"to": "x"}', b'{"by": 1e30}', b'{"type": "lfo", "frequency": -1}',
    b'{"type": "noise"}', b'{"path": ""}', b'{"path": "\\u0000"}', b'{"path": "a/../../b"}', b'{"loop_region": false}',
    b'{"loop_region": {"start": 1e9}}', b'{"slice": {"start": 0, "end": 1e9}}', b'{"start_time": {"clock": "x", "ticks": 1}}',
    json.dumps({"volume": {"modulator": "mod-0-1", "output_range": [0, 1e300]}}).encode(),
    b'{"a":' * 2000 + b"1" + b"}" * 2000, "{\"name\": \"\u00e9\u00e8\"}".encode(),
]  # fmt: skip
FUZZ_PATHS = [
    ("POST", "/api/sounds/{sound}/play"), ("POST", "/api/sounds"), ("PATCH", "/api/voices/{voice}"),
    ("POST", "/api/voices/{voice}/seek"), ("POST", "/api/voices/{voice}/resume"), ("PATCH", "/api/main-track"),
    ("POST", "/api/clocks"), ("PATCH", "/api/clocks/{clock}"), ("POST", "/api/modulators"),
    ("PATCH", "/api/modulators/{modulator}"), ("GET", "/api/sounds/{sound}/waveform?points=0"),
    ("GET", "/api/sounds/{sound}/waveform?points=abc"), ("GET", "/api/sounds/%00"), ("GET", "/api/voices/" + "9" * 300),
]  # fmt: skip


def test_no_bad_input_gives_a_server_error(http):
    sound = first_sound(http)
    voice = http.post(f"/api/sounds/{sound}/play", json={"loop": True, "volume": -60}).json()["id"]
    clock = http.post("/api/clocks", json={"speed": {"ticks_per_second": 4}}).json()["id"]
    modulator = http.post("/api/modulators", json={"type": "lfo"}).json()["id"]
    ids = {"sound": sound, "voice": voice, "clock": clock, "modulator": modulator}
    failures = []
    for method, template in FUZZ_PATHS:
        for body in FUZZ_BODIES:
            headers = {"content-type": "application/json"} if body is not None else {}
            answer = http.request(method, template.format(**ids), content=body, headers=headers)
            if answer.status_code >= 500 and answer.status_code != 503:
                failures.append((method, template, body[:60] if body else body, answer.status_code, answer.text[:200]))
            elif answer.status_code >= 400:
                assert answer.headers["content-type"].startswith(PROBLEM), (template, body, answer.text)
    assert not failures, failures
    http.post(f"/api/voices/{voice}/stop")


def test_a_refused_upload_names_the_clients_file_not_the_servers_temporary_path(http):
    answer = http.post("/api/sounds", files={"file": ("mine.wav", b"not audio at all" * 50, "audio/wav")})
    detail = assert_problem(answer, 415, "file")["detail"]
    assert "mine.wav" in detail and "/tmp" not in detail and "upload" not in detail


# ---- Fields as the API names them ------------------------------------------


def errors_of(answer):
    return {e["field"]: e["message"] for e in answer.json()["errors"]}


def test_a_body_field_named_path_is_named_path(http):
    assert_problem(http.post("/api/sounds", json={"path": ""}), 422, "path")


def test_unknown_things_inside_a_body_are_named_where_they_sit(http):
    sound = first_sound(http)
    cases = [
        ({"volume": {"modulator": "mod-9-9"}}, "volume.modulator", "mod-9-9"),
        ({"panning": {"modulator": "mod-8-8"}}, "panning.modulator", "mod-8-8"),
        ({"start_time": {"clock": "clock-9-9", "ticks": 1}}, "start_time.clock", "clock-9-9"),
        ({"fade_in": {"duration": 0.1, "start_clock": {"clock": "clock-7-7", "ticks": 0}}}, "fade_in.start_clock.clock", "clock-7-7"),
    ]  # fmt: skip
    for body, field, ident in cases:
        problem = assert_problem(http.post(f"/api/sounds/{sound}/play", json=body), 422, field)
        assert ident in problem["detail"]


def test_engine_field_names_do_not_leak_and_messages_do_not_repeat_the_field(http):
    sound = first_sound(http)
    mod = http.post("/api/modulators", json={"type": "lfo"}).json()["id"]
    answer = http.post(f"/api/sounds/{sound}/play", json={"volume": {"modulator": mod, "input_range": [0, 1e-9]}})
    assert_problem(answer, 422, "volume.input_range")
    assert errors_of(answer)["volume.input_range"].startswith("its two ends")
    answer = http.post(f"/api/sounds/{sound}/play", json={"volume": {"modulator": mod, "output_range": [0, 1e300]}})
    assert_problem(answer, 422, "volume.output_range")
    voice = http.post(f"/api/sounds/{sound}/play", json={"volume": -60, "loop": True}).json()["id"]
    answer = http.patch(f"/api/voices/{voice}", json={"loop_region": {"start": 0, "end": 9999}})
    problem = assert_problem(answer, 422, "loop_region.end")
    message = errors_of(answer)["loop_region.end"]
    assert not message.startswith("loop_region") and problem["detail"] == f"loop_region.end: {message}"
    http.post(f"/api/voices/{voice}/stop")
    http.delete(f"/api/modulators/{mod}")


def test_a_modulator_without_a_type_names_type(http):
    assert_problem(http.post("/api/modulators", json={}), 422, "type")
    assert_problem(http.post("/api/modulators", json={"type": "noise"}), 422, "type")


def test_a_media_file_that_is_not_audio_names_path(server, http):
    (server.app.state.settings.media_dir / "notes.wav").write_bytes(b"not audio" * 100)
    problem = assert_problem(http.post("/api/sounds", json={"path": "notes.wav"}), 415, "path")
    assert "notes.wav" in problem["detail"] and str(server.app.state.settings.media_dir) not in problem["detail"]


# ---- Strict numbers and booleans -------------------------------------------


@pytest.mark.parametrize(
    "route, body, field",
    [
        ("play", {"volume": True}, "volume"),
        ("play", {"panning": "0.5"}, "panning"),
        ("play", {"playback_rate": "2"}, "playback_rate"),
        ("play", {"loop": 1}, "loop"),
        ("play", {"reverse": "true"}, "reverse"),
        ("play", {"start_position": False}, "start_position"),
        ("play", {"fade_in": {"duration": "0.1"}}, "fade_in.duration"),
        ("play", {"loop_region": True}, "loop_region"),
        ("clock", {"speed": {"ticks_per_second": "4"}}, "speed.ticks_per_second"),
        ("clock", {"speed": {"ticks_per_second": 4}, "start": "yes"}, "start"),
        ("modulator", {"type": "lfo", "frequency": True}, "frequency"),
    ],
)
def test_booleans_and_numeric_strings_are_not_numbers(http, route, body, field):
    path = {"play": f"/api/sounds/{first_sound(http)}/play", "clock": "/api/clocks", "modulator": "/api/modulators"}[
        route
    ]
    assert_problem(http.post(path, json=body), 422, field)


def test_rest_and_websocket_word_the_same_error_the_same(server, http):
    import asyncio

    import websockets

    sound = first_sound(http)
    voice = http.post(f"/api/sounds/{sound}/play", json={"volume": -60, "loop": True}).json()["id"]
    cases: list[tuple[str, str, str, dict[str, Any], dict[str, Any]]] = [
        ("POST", f"/api/sounds/{sound}/play", "sounds.play", {"id": sound}, {"loop_region": True}),
        ("PATCH", f"/api/voices/{voice}", "voices.set", {"id": voice}, {"loop_region": True}),
        ("POST", f"/api/sounds/{sound}/play", "sounds.play", {"id": sound}, {"volume": "0.5"}),
        ("POST", "/api/modulators", "modulators.add", {}, {}),
        ("POST", "/api/sounds", "sounds.add", {}, {"path": ""}),
    ]

    async def over_ws():
        found: list[Any] = []
        async with websockets.connect(server.ws_url) as ws:
            for n, (_m, _p, method, ids, body) in enumerate(cases):
                await ws.send(json.dumps({"jsonrpc": "2.0", "id": n, "method": method, "params": {**ids, **body}}))
                found.append(json.loads(await ws.recv())["error"]["data"])
        return found

    rpc = asyncio.run(asyncio.wait_for(over_ws(), 30))
    for (method, path, _name, _ids, body), problem in zip(cases, rpc):
        rest = http.request(method, path, json=body).json()
        assert (rest["detail"], rest["errors"]) == (problem["detail"], problem["errors"]), (path, body)
    http.post(f"/api/voices/{voice}/stop")


# ---- Statuses ----------------------------------------------------------------


def test_a_chunked_json_body_over_the_limit_is_413(http):
    def chunks():
        yield b'{"volume": -3, "pad": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    answer = http.patch("/api/main-track", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(answer, 413, "body")


def test_json_to_add_sound_is_held_to_the_json_limit(http):
    body = json.dumps({"path": "x" * (2 * 1024 * 1024)}).encode()
    assert_problem(http.post("/api/sounds", content=body, headers={"content-type": "application/json"}), 413, "body")


@pytest.mark.parametrize(
    "content, content_type",
    [
        (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\r\n'
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="b.wav"\r\n\r\nRIFF\r\n--b--\r\n',
            "multipart/form-data; boundary=b",
        ),
        (b"whatever", "multipart/form-data"),
        (
            b'--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--b--\r\n',
            "multipart/form-data; boundary=b",
        ),
    ],
    ids=["two files", "no boundary", "no file field"],
)
def test_a_malformed_upload_is_422_naming_file(http, content, content_type):
    assert_problem(http.post("/api/sounds", content=content, headers={"content-type": content_type}), 422, "file")


def test_a_long_unknown_id_is_404_naming_it(http):
    long_id = "voice-" + "9" * 300
    for method, path in (("GET", f"/api/voices/{long_id}"), ("GET", f"/api/sounds/snd-{'1' * 200}"),
                         ("DELETE", f"/api/clocks/clock-{'2' * 200}")):  # fmt: skip
        problem = assert_problem(http.request(method, path), 404, "id")
        assert path.rsplit("/", 1)[1][:100] in problem["detail"] and len(problem["detail"]) < 300


def test_a_client_leaving_mid_upload_is_no_server_error(server, http, caplog):
    import socket

    head = (
        f"POST /api/sounds HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
        '--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF'
    ).encode()
    with caplog.at_level("DEBUG", logger="mixdeck.service"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(head)
        # The server notices on its next read; wait until it has, then look at what it logged.
        wait_until(lambda: any("disconnected" in r.getMessage() for r in caplog.records))
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text
    assert http.get("/api/health").status_code == 200


# ---- All or nothing -----------------------------------------------------------


def test_a_patch_with_one_bad_field_changes_nothing(make_server):
    server = make_server(output="offline")
    manager = server.app.state.manager
    with server.http() as http:
        sound = first_sound(http)
        voice = http.post(f"/api/sounds/{sound}/play", json={"loop": True, "volume": -6}).json()["id"]
        manager.render(512)
        answer = http.patch(f"/api/voices/{voice}", json={"volume": -20, "panning": 0.5, "loop_region": {"start": 999}})
        assert_problem(answer, 422, "loop_region.start")
        manager.render(4096)
        after = http.get(f"/api/voices/{voice}").json()
        assert (after["volume"], after["panning"]) == (pytest.approx(-6), 0.0)
        assert after["loop_region"] is not None

        lfo = http.post("/api/modulators", json={"type": "lfo", "frequency": 3}).json()["id"]
        answer = http.patch(f"/api/modulators/{lfo}", json={"frequency": 5, "waveform": "square", "value": 1})
        assert_problem(answer, 422, "value")
        assert http.get(f"/api/modulators/{lfo}").json()["frequency"] == 3


def test_a_full_queue_changes_nothing_and_leaves_no_clock_behind(make_server):
    server = make_server(output="offline", command_capacity=2, max_clocks=1)
    manager = server.app.state.manager
    with server.http() as http:
        sound = first_sound(http)
        voice = http.post(f"/api/sounds/{sound}/play", json={"loop": True, "volume": -6}).json()["id"]
        lfo = http.post("/api/modulators", json={"type": "lfo", "frequency": 3}).json()["id"]
        manager.render(512)
        # Three commands do not fit in a queue of two: none is sent.
        answer = http.patch(f"/api/voices/{voice}", json={"volume": -20, "panning": 0.5, "playback_rate": 2})
        assert_problem(answer, 503)
        answer = http.patch(f"/api/modulators/{lfo}", json={"frequency": 5, "amplitude": 0.5, "offset": 0.1})
        assert_problem(answer, 503)
        manager.render(4096)
        after = http.get(f"/api/voices/{voice}").json()
        assert (after["volume"], after["panning"], after["playback_rate"]) == (pytest.approx(-6), 0.0, 1.0)
        assert http.get(f"/api/modulators/{lfo}").json()["frequency"] == 3

        http.post(f"/api/sounds/{sound}/play", json={"volume": -60})
        http.post(f"/api/sounds/{sound}/play", json={"volume": -60})  # the queue is full now
        assert_problem(http.post("/api/clocks", json={"speed": {"ticks_per_second": 10}, "start": True}), 503)
        assert http.get("/api/clocks").json() == []
        manager.render(512)
        # The only clock slot was given back: a clock can still be added, and it ticks.
        clock = http.post("/api/clocks", json={"speed": {"ticks_per_second": 1000}, "start": True})
        assert clock.status_code == 201, clock.text
        manager.render(48000 // 10)
        assert http.get(f"/api/clocks/{clock.json()['id']}").json()["ticks"] > 0
