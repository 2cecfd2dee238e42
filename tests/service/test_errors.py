"""Every error status the API promises, as problem+json naming the field or id; and never a 500."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from tests.service.support import write_wav

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
        ({"playback_rate": 0}, "playback_rate"),
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


def test_an_unknown_modulator_in_a_value_is_404_naming_it(http):
    answer = http.post(f"/api/sounds/{first_sound(http)}/play", json={"volume": {"modulator": "mod-9-9"}})
    assert "mod-9-9" in assert_problem(answer, 404)["detail"]


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
        assert http.post("/api/sounds", files={"file": ("small.wav", small.read_bytes(), "audio/wav")}).status_code == 201


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
