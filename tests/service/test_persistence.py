"""The library survives a restart: uploads are kept in the media folder, every file keeps its id, names address sounds."""

from __future__ import annotations

import json

from tests.service.support import wait_until, write_wav


def upload(http, path, name=None):
    answer = http.post("/api/sounds", files={"file": (name or path.name, path.read_bytes(), "audio/wav")})
    assert answer.status_code == 201, answer.text
    return answer.json()


def library(http):
    return {s["name"]: s["id"] for s in http.get("/api/sounds").json()}


def test_an_upload_is_kept_in_the_media_folder_and_comes_back_with_its_id(make_server, tmp_path):
    media = tmp_path / "media"
    first = make_server(media_dir=media)
    with first.http() as http:
        kick = upload(http, write_wav(tmp_path / "kick.wav", seconds=0.3))
        before = library(http)
    first.stop()
    assert (media / "kick.wav").is_file()
    again = make_server(media_dir=media)
    with again.http() as http:
        assert library(http) == before
        assert http.get(f"/api/sounds/{kick['id']}").json()["name"] == "kick.wav"


def test_ids_do_not_shift_when_a_file_that_sorts_earlier_is_added(make_server, tmp_path):
    media = tmp_path / "media"
    first = make_server(media_dir=media)
    with first.http() as http:
        before = library(http)
    first.stop()
    write_wav(media / "aaa-first.wav", seconds=0.2)  # sorts before every built-in sound
    again = make_server(media_dir=media)
    with again.http() as http:
        after = library(http)
    assert {name: after[name] for name in before} == before
    assert after["aaa-first.wav"] not in before.values()


def test_a_second_upload_of_a_name_is_kept_beside_the_first(server, http, tmp_path):
    one = upload(http, write_wav(tmp_path / "twice.wav", seconds=0.2))
    two = upload(http, write_wav(tmp_path / "twice.wav", seconds=0.4))
    assert (one["name"], two["name"]) == ("twice.wav", "twice-2.wav")
    media = server.app.state.settings.media_dir
    assert (media / "twice.wav").is_file() and (media / "twice-2.wav").is_file()


def test_a_deleted_upload_leaves_the_folder_and_a_deleted_file_stays_gone_after_a_restart(make_server, tmp_path):
    media = tmp_path / "media"
    first = make_server(media_dir=media)
    with first.http() as http:
        gone = upload(http, write_wav(tmp_path / "gone.wav", seconds=0.2))
        noise = library(http)["noise.wav"]
        assert http.delete(f"/api/sounds/{gone['id']}").status_code == 204
        assert http.delete(f"/api/sounds/{noise}").status_code == 204
    first.stop()
    assert not (media / "gone.wav").exists()
    assert (media / "noise.wav").is_file()  # not the service's to delete: it was not uploaded
    again = make_server(media_dir=media)
    with again.http() as http:
        names = library(http)
        assert "gone.wav" not in names and "noise.wav" not in names
        # Loading it again by its path brings it back, under a new id.
        back = http.post("/api/sounds", json={"path": "noise.wav"})
        assert back.status_code == 201 and back.json()["id"] != noise


def test_a_sound_is_addressed_by_its_name(server, http):
    assert http.get("/api/sounds/drum.wav").json()["id"] == library(http)["drum.wav"]
    played = http.post("/api/sounds/drum.wav/play", json={"volume": -20})
    assert played.status_code == 201, played.text
    assert played.json()["sound"] == library(http)["drum.wav"]
    missing = http.post("/api/sounds/no-such.wav/play", json={})
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "id"


def test_a_name_two_sounds_share_is_a_409_asking_for_the_id(server, http):
    media = server.app.state.settings.media_dir
    (media / "sub").mkdir(exist_ok=True)
    write_wav(media / "sub" / "tone.wav", seconds=0.2)
    assert http.post("/api/sounds", json={"path": "sub/tone.wav"}).status_code == 201
    answer = http.get("/api/sounds/tone.wav")
    assert answer.status_code == 409 and "use an id" in answer.json()["detail"]
    assert answer.json()["errors"][0]["field"] == "id"


def test_the_index_in_the_media_folder_names_each_file_once(server, http, tmp_path):
    upload(http, write_wav(tmp_path / "indexed.wav", seconds=0.2))
    index = json.loads((server.app.state.settings.media_dir / ".mixdeck-library.json").read_text())
    ids = [f["id"] for f in index["files"].values()]
    assert len(ids) == len(set(ids)) and index["files"]["indexed.wav"]["uploaded"] is True
    assert index["next"] > max(int(i.removeprefix("snd-")) for i in ids)


def test_a_voice_waiting_for_its_start_time_says_waiting(server, http):
    clock = http.post("/api/clocks", json={"speed": {"ticks_per_minute": 60}}).json()  # never started
    waiting = http.post("/api/sounds/chord.wav/play", json={"start_time": {"clock": clock["id"], "ticks": 2}})
    assert waiting.status_code == 201 and waiting.json()["state"] == "waiting"
    assert http.get(f"/api/voices/{waiting.json()['id']}").json()["state"] == "waiting"
    delayed = http.post("/api/sounds/chord.wav/play", json={"start_time": {"delay": 0.2}, "volume": -30}).json()
    assert delayed["state"] == "waiting"
    wait_until(lambda: http.get(f"/api/voices/{delayed['id']}").json()["state"] == "playing")
    now = http.post("/api/sounds/chord.wav/play", json={"volume": -30}).json()
    assert now["state"] == "playing"
