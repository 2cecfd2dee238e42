"""The sound library's memory: decoded-size caps, the library budget, decodes at once, loading a path twice."""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest
import soundfile

from mixdeck.service.errors import Busy
from mixdeck.service.library import DecodeSlots
from tests.service.support import wait_until, write_wav

PROBLEM = "application/problem+json"


def assert_problem(answer, status, field):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    return answer.json()


def upload(http, path):
    return http.post("/api/sounds", files={"file": (path.name, path.read_bytes(), "audio/flac")})


def test_a_small_file_that_decodes_large_is_413_naming_the_byte_cap(make_server, tmp_path):
    """Eight channels at 96 kHz of silence compress to almost nothing; the cap counts what it decodes to."""
    path = tmp_path / "bomb.flac"
    frames = 96000 * 10
    soundfile.write(str(path), np.zeros((frames, 8), dtype=np.int16), 96000, subtype="PCM_16", format="FLAC")
    assert path.stat().st_size < 100_000
    server = make_server(max_sound_bytes=4 * 1024 * 1024)  # 10 s easily passes the seconds cap
    with server.http() as http:
        detail = assert_problem(upload(http, path), 413, "file")["detail"]
        assert str(frames * 8) in detail and "MIXDECK_MAX_SOUND_BYTES" in detail
        names = [s["name"] for s in http.get("/api/sounds").json()]
        assert "bomb.flac" not in names
        # The same cap holds for a file in the media folder, named by its path.
        os.replace(path, server.app.state.settings.media_dir / "bomb.flac")
        assert_problem(http.post("/api/sounds", json={"path": "bomb.flac"}), 413, "path")


def test_the_library_budget_is_507_naming_it_and_frees_on_delete(make_server, tmp_path):
    media = tmp_path / "own-media"
    media.mkdir()
    write_wav(media / "first.wav", seconds=0.1)  # 4800 frames: 38400 bytes decoded
    server = make_server(media_dir=media, max_library_bytes=60_000)
    second = write_wav(tmp_path / "second.wav", seconds=0.1)
    with server.http() as http:
        sounds = http.get("/api/sounds").json()
        assert [s["name"] for s in sounds] == ["first.wav"]
        detail = assert_problem(upload(http, second), 507, "file")["detail"]
        assert "60000" in detail and "MIXDECK_MAX_LIBRARY_BYTES" in detail
        assert http.delete(f"/api/sounds/{sounds[0]['id']}").status_code == 204
        assert upload(http, second).status_code == 201


def test_decodes_beyond_the_slots_wait_and_beyond_the_line_are_503():
    async def scenario():
        slots = DecodeSlots(size=2, max_waiting=1)
        release = asyncio.Event()
        entered = []

        async def decode(n):
            async with slots.hold():
                entered.append(n)
                await release.wait()

        running = [asyncio.create_task(decode(n)) for n in range(3)]
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert entered == [0, 1] and slots.waiting == 1  # two decode, the third waits its turn
        with pytest.raises(Busy) as busy:
            async with slots.hold():
                pass
        assert busy.value.headers["Retry-After"] == "1" and busy.value.status == 503
        release.set()
        await asyncio.gather(*running)
        assert entered == [0, 1, 2] and slots.waiting == 0

    asyncio.run(scenario())


def test_loading_the_same_path_again_returns_the_sound_already_loaded(server, http):
    media = server.app.state.settings.media_dir
    path = write_wav(media / "again.wav", seconds=0.2)
    first = http.post("/api/sounds", json={"path": "again.wav"})
    assert first.status_code == 201, first.text
    second = http.post("/api/sounds", json={"path": "./again.wav", "name": "other"})
    assert second.status_code == 200 and second.json() == first.json()
    assert [s["id"] for s in http.get("/api/sounds").json()].count(first.json()["id"]) == 1
    # A changed file is loaded anew and replaces the old sound.
    write_wav(path, seconds=0.3)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    third = http.post("/api/sounds", json={"path": "again.wav"})
    assert third.status_code == 201 and third.json()["id"] != first.json()["id"]
    assert third.json()["duration"] == pytest.approx(0.3)  # a sound's length in seconds, not a wall-clock time
    assert http.get(f"/api/sounds/{first.json()['id']}").status_code == 404
    # Builtins loaded at start-up are found by path too.
    tone = next(s for s in http.get("/api/sounds").json() if s["name"] == "tone.wav")
    assert http.post("/api/sounds", json={"path": "tone.wav"}).json()["id"] == tone["id"]


def test_a_sliced_voice_reports_the_slices_duration_and_positions(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "three.wav", seconds=3.0)).json()
    answer = http.post(f"/api/sounds/{sound['id']}/play",
                       json={"slice": {"start": 1.0, "end": 2.5}, "loop": True, "volume": -60})  # fmt: skip
    assert answer.status_code == 201, answer.text
    voice = answer.json()
    assert voice["duration"] == pytest.approx(1.5)  # a sound's length in seconds, not a wall-clock time
    assert voice["loop_region"] == {"start": 0.0, "end": pytest.approx(1.5)}
    assert 0 <= voice["position"] <= 1.5
    # Positions inside the slice count from its start: 2.0 s is past a 1.5 s slice.
    beyond = http.post(
        f"/api/sounds/{sound['id']}/play", json={"slice": {"start": 1.0, "end": 2.5}, "start_position": 2.0}
    )
    assert "slice" in assert_problem(beyond, 422, "start_position")["detail"]
    http.post(f"/api/voices/{voice['id']}/stop")


def test_deleting_a_sound_leaves_its_voices_playing_with_its_id(tmp_path, http):
    sound = upload(http, write_wav(tmp_path / "held.wav", seconds=1.0)).json()
    voice = http.post(f"/api/sounds/{sound['id']}/play", json={"loop": True, "volume": -60}).json()
    assert http.delete(f"/api/sounds/{sound['id']}").status_code == 204
    wait_until(lambda: http.get(f"/api/voices/{voice['id']}").json()["position"] > 0)
    still = http.get(f"/api/voices/{voice['id']}").json()
    assert still["state"] == "playing" and still["sound"] == sound["id"]
    assert http.get(f"/api/sounds/{sound['id']}").status_code == 404
    http.post(f"/api/voices/{voice['id']}/stop")
