"""The REST API over a real server on the null output."""

from __future__ import annotations

import math

import pytest

from tests.service.support import wait_until, write_wav


def upload(http, path, name=None):
    answer = http.post("/api/sounds", files={"file": (name or path.name, path.read_bytes(), "audio/wav")})
    assert answer.status_code == 201, answer.text
    return answer.json()


def voice_or_none(http, voice_id):
    answer = http.get(f"/api/voices/{voice_id}")
    return answer.json() if answer.status_code == 200 else None


def test_first_start_writes_and_loads_the_builtin_library(server, http):
    media = server.app.state.settings.media_dir
    assert sorted(p.name for p in media.glob("*.wav")) == [
        "chord.wav",
        "drum.wav",
        "noise.wav",
        "sweep.wav",
        "tone.wav",
    ]
    builtin = [s for s in http.get("/api/sounds").json() if s["builtin"]]
    assert sorted(s["name"] for s in builtin) == ["chord.wav", "drum.wav", "noise.wav", "sweep.wav", "tone.wav"]
    assert all(
        s["duration"] > 0 and s["sample_rate"] == 48000 for s in builtin
    )  # a sound's length in seconds, not a wall-clock time


def test_health_reports_the_null_output(http):
    body = http.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["output"]["kind"] == "null"
    assert body["output"]["sample_rate"] == 48000


def test_upload_play_control_and_observe_through_rest(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "beep.wav", seconds=3.0, channels=2))
    assert sound["name"] == "beep.wav"
    assert (
        sound["channels"] == 2 and sound["frames"] == 144000 and sound["duration"] == pytest.approx(3.0)
    )  # a sound's length in seconds, not a wall-clock time
    assert http.get(f"/api/sounds/{sound['id']}").json() == sound

    answer = http.post(f"/api/sounds/{sound['id']}/play", json={"volume": -6, "panning": 0.25, "loop": True})
    assert answer.status_code == 201, answer.text
    voice = answer.json()
    assert voice["sound"] == sound["id"] and voice["state"] == "playing" and voice["volume"] == -6
    assert voice["loop_region"] == {"start": 0.0, "end": 3.0}
    assert voice["id"] in [v["id"] for v in http.get("/api/voices").json()]
    wait_until(lambda: voice_or_none(http, voice["id"])["position"] > 0)

    patched = http.patch(
        f"/api/voices/{voice['id']}", json={"volume": -12, "playback_rate": 1.5, "tween": {"duration": 0.05}}
    )
    assert patched.status_code == 200, patched.text
    wait_until(lambda: voice_or_none(http, voice["id"])["volume"] == pytest.approx(-12))
    assert voice_or_none(http, voice["id"])["playback_rate"] == pytest.approx(1.5)

    assert (
        http.post(f"/api/voices/{voice['id']}/pause", json={"tween": {"duration": 0.01}}).status_code == 200
    )  # a tween's length in seconds, not a wall-clock time
    wait_until(lambda: voice_or_none(http, voice["id"])["state"] == "paused")
    assert http.post(f"/api/voices/{voice['id']}/resume").status_code == 200
    wait_until(lambda: voice_or_none(http, voice["id"])["state"] == "playing")
    assert http.post(f"/api/voices/{voice['id']}/seek", json={"to": 2.5}).status_code == 200
    wait_until(lambda: voice_or_none(http, voice["id"])["position"] >= 2.5)

    assert http.patch(f"/api/voices/{voice['id']}", json={"loop_region": None}).status_code == 200
    wait_until(lambda: voice_or_none(http, voice["id"])["loop_region"] is None)

    assert (
        http.post(f"/api/voices/{voice['id']}/stop", json={"tween": {"duration": 0.01}}).status_code == 200
    )  # a tween's length in seconds, not a wall-clock time
    wait_until(lambda: http.get(f"/api/voices/{voice['id']}").status_code == 404)
    assert voice["id"] not in [v["id"] for v in http.get("/api/voices").json()]


def test_a_finished_voice_leaves_the_list_and_its_id_becomes_404(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "blip.wav", seconds=0.05))
    voice = http.post(f"/api/sounds/{sound['id']}/play").json()
    wait_until(lambda: http.get(f"/api/voices/{voice['id']}").status_code == 404)
    answer = http.get(f"/api/voices/{voice['id']}")
    assert voice["id"] in answer.json()["detail"]
    assert voice["id"] not in [v["id"] for v in http.get("/api/voices").json()]
    assert http.patch(f"/api/voices/{voice['id']}", json={"volume": -3}).status_code == 404


def test_add_a_sound_from_the_media_folder_by_path(server, http):
    media = server.app.state.settings.media_dir
    (media / "sub").mkdir(exist_ok=True)
    write_wav(media / "sub" / "kick.wav", seconds=0.25)
    answer = http.post("/api/sounds", json={"path": "sub/kick.wav", "name": "Kick"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["name"] == "Kick" and answer.json()["builtin"] is False


def test_waveform_gives_min_and_max_peaks_of_the_mono_mix(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "sine.wav", seconds=1.0))
    body = http.get(f"/api/sounds/{sound['id']}/waveform", params={"points": 16}).json()
    assert body["points"] == 16 and len(body["min"]) == 16 and len(body["max"]) == 16
    assert all(-1 <= lo <= hi <= 1 for lo, hi in zip(body["min"], body["max"]))
    assert max(body["max"]) == pytest.approx(0.5, abs=0.01) and min(body["min"]) == pytest.approx(-0.5, abs=0.01)


def test_deleted_sound_is_gone(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "gone.wav", seconds=0.1))
    assert http.delete(f"/api/sounds/{sound['id']}").status_code == 204
    answer = http.get(f"/api/sounds/{sound['id']}")
    assert answer.status_code == 404 and sound["id"] in answer.json()["detail"]


def test_main_track_volume_follows_a_patch(http):
    answer = http.patch(
        "/api/main-track", json={"volume": -3, "tween": {"duration": 0.02, "easing": "out_powi", "power": 2}}
    )
    assert answer.status_code == 200, answer.text
    wait_until(lambda: http.get("/api/main-track").json()["volume"] == pytest.approx(-3))
    body = http.get("/api/main-track").json()
    assert set(body["meters"]) == {"peak", "rms"} and len(body["meters"]["peak"]) == 2
    http.patch("/api/main-track", json={"volume": 0})


def test_clock_ticks_pauses_and_is_removed(http):
    clock = http.post("/api/clocks", json={"speed": {"ticks_per_second": 50}, "start": True})
    assert clock.status_code == 201, clock.text
    clock_id = clock.json()["id"]
    assert clock.json()["speed"] == {"ticks_per_second": 50}
    wait_until(lambda: http.get(f"/api/clocks/{clock_id}").json()["ticks"] >= 3)
    assert http.post(f"/api/clocks/{clock_id}/pause").status_code == 200
    wait_until(lambda: not http.get(f"/api/clocks/{clock_id}").json()["ticking"])
    patched = http.patch(f"/api/clocks/{clock_id}", json={"speed": {"ticks_per_minute": 120}})
    assert patched.json()["speed"] == {"ticks_per_minute": 120}
    assert http.post(f"/api/clocks/{clock_id}/stop").status_code == 200
    wait_until(lambda: http.get(f"/api/clocks/{clock_id}").json()["ticks"] == 0)
    assert clock_id in [c["id"] for c in http.get("/api/clocks").json()]
    assert http.delete(f"/api/clocks/{clock_id}").status_code == 204
    assert http.get(f"/api/clocks/{clock_id}").status_code == 404


def test_a_sound_can_start_on_a_clock_tick(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "tick.wav", seconds=0.5))
    clock_id = http.post("/api/clocks", json={"speed": {"ticks_per_second": 20}}).json()["id"]
    voice = http.post(f"/api/sounds/{sound['id']}/play", json={"start_time": {"clock": clock_id, "ticks": 2}}).json()
    # Held back while the clock is stopped: playing but silent at position 0.
    assert voice_or_none(http, voice["id"])["position"] == 0
    http.post(f"/api/clocks/{clock_id}/start")
    wait_until(lambda: (voice_or_none(http, voice["id"]) or {"position": 1})["position"] > 0)
    http.delete(f"/api/clocks/{clock_id}")


def test_modulators_drive_a_voice_and_can_be_changed(tmp_path, http):
    lfo = http.post("/api/modulators", json={"type": "lfo", "waveform": "triangle", "frequency": 5, "amplitude": 1})
    assert lfo.status_code == 201, lfo.text
    lfo_id = lfo.json()["id"]
    assert lfo.json()["type"] == "lfo" and lfo.json()["waveform"] == "triangle"
    values = set()

    def sample() -> bool:
        values.add(round(http.get(f"/api/modulators/{lfo_id}").json()["value"], 3))
        return len(values) > 2

    wait_until(sample)

    sound = upload(http, write_wav(tmp_path / "mod.wav", seconds=2.0))
    body = {"volume": {"modulator": lfo_id, "input_range": [-1, 1], "output_range": [-24, 0]}}
    voice = http.post(f"/api/sounds/{sound['id']}/play", json=body)
    assert voice.status_code == 201, voice.text

    patched = http.patch(f"/api/modulators/{lfo_id}", json={"frequency": 2, "waveform": "square"})
    assert patched.json()["frequency"] == 2 and patched.json()["waveform"] == "square"
    wrong = http.patch(f"/api/modulators/{lfo_id}", json={"value": 1})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "value"

    tweener = http.post("/api/modulators", json={"type": "tweener", "value": 0}).json()
    http.patch(f"/api/modulators/{tweener['id']}", json={"value": 5, "tween": {"duration": 0.05}})
    wait_until(lambda: http.get(f"/api/modulators/{tweener['id']}").json()["value"] == pytest.approx(5))
    assert {m["id"] for m in http.get("/api/modulators").json()} >= {lfo_id, tweener["id"]}
    http.post(f"/api/voices/{voice.json()['id']}/stop")
    for mid in (lfo_id, tweener["id"]):
        assert http.delete(f"/api/modulators/{mid}").status_code == 204
        assert http.get(f"/api/modulators/{mid}").status_code == 404


def test_state_snapshot_has_every_part(http):
    listener = http.post("/api/listeners", json={"position": [1.0, 0.0, -2.0]}).json()
    body = http.get("/api/state").json()
    http.delete(f"/api/listeners/{listener['id']}")
    assert [(x["id"], x["position"]) for x in body["listeners"]] == [(listener["id"], [1.0, 0.0, -2.0])]
    assert set(body) == {"engine", "main_track", "tracks", "sounds", "voices", "clocks", "modulators", "listeners"}
    assert body["tracks"]["main"]["id"] == "main" and body["tracks"]["main"]["kind"] == "main"
    assert body["engine"]["output"] == "null" and body["engine"]["block_size"] == 512


def test_metrics_are_prometheus_text_with_the_engine_counters(http):
    answer = http.get("/api/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    for name in ("mixdeck_callbacks_total", "mixdeck_underflows_total", "mixdeck_late_blocks_total",
                 "mixdeck_block_render_seconds_bucket", "mixdeck_command_queue_depth", "mixdeck_voices",
                 "mixdeck_websocket_clients"):  # fmt: skip
        assert name in text, name
    callbacks = [line for line in text.splitlines() if line.startswith("mixdeck_callbacks_total")]
    assert float(callbacks[0].split()[-1]) > 0


def test_devices_answers_a_list(http):
    answer = http.get("/api/devices")
    assert answer.status_code == 200 and isinstance(answer.json(), list)


def test_every_request_field_in_the_openapi_schema_has_a_description(http):
    schemas = http.get("/openapi.json").json()["components"]["schemas"]
    missing = [
        f"{name}.{field}"
        for name, schema in schemas.items()
        if name not in ("HTTPValidationError", "ValidationError") and not name.startswith("Body_")
        for field, prop in schema.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert not missing, missing


def test_nan_never_reaches_the_engine_as_a_number(http):
    sounds = http.get("/api/sounds").json()
    for raw in (b'{"volume": NaN}', b'{"panning": Infinity}', b'{"playback_rate": -Infinity}'):
        answer = http.post(
            f"/api/sounds/{sounds[0]['id']}/play", content=raw, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["message"] == "must be a finite number"
    assert not math.isnan(http.get("/api/main-track").json()["volume"])
