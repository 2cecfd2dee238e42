"""Streaming sounds in the service: which sounds stream, their voices' controls, a file that breaks off, underflows.

The files are written by the tests. Most play on the offline output, where
the stream's decoder catches up before every block, so what the output holds
is exact: ramp.wav's sample at frame f is f / FRAMES / 2, and reading the
output back tells where in the file a voice is.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile
import websockets

from tests.service.support import Rpc, assert_problem, render, run, wait_until, write_wav

RATE = 48000
SECONDS = 8.0
FRAMES = int(RATE * SECONDS)


def write_ramp(path, seconds: float = SECONDS):
    """A mono ramp from 0 to 0.5 over the file (32-bit float, so each frame's value is exact)."""
    frames = int(RATE * seconds)
    soundfile.write(str(path), (np.arange(frames) / FRAMES / 2).astype(np.float32), RATE, subtype="FLOAT")
    return path


def where(sample: float) -> float:
    """Seconds into ramp.wav of an output sample (a voice at centre panning passes it at unity)."""
    return float(sample) * 2 * FRAMES / RATE


def upload(http, path, streaming: str | None = None):
    data = {} if streaming is None else {"streaming": streaming}
    return http.post("/api/sounds", files={"file": (path.name, path.read_bytes(), "audio/wav")}, data=data)


@pytest.fixture
def offline(make_server, tmp_path):
    """An offline service whose media folder holds ramp.wav (8 s) and nothing else."""
    media = tmp_path / "media"
    media.mkdir()
    write_ramp(media / "ramp.wav")
    return make_server(media_dir=media, output="offline", stream_above_seconds=5)


def test_a_wav_longer_than_the_default_threshold_streams_and_a_shorter_one_does_not(server, http, tmp_path):
    long = write_wav(tmp_path / "long.wav", seconds=61, rate=8000)  # past the default 60 s
    short = write_wav(tmp_path / "short.wav", seconds=2)
    added = upload(http, long)
    assert added.status_code == 201, added.text
    assert (added.json()["streaming"], added.json()["duration"]) == (True, 61.0)
    assert upload(http, short).json()["streaming"] is False
    shown = {s["name"]: s["streaming"] for s in http.get("/api/sounds").json()}
    assert (shown["long.wav"], shown["short.wav"]) == (True, False)
    assert http.get(f"/api/sounds/{added.json()['id']}").json()["streaming"] is True


def test_streaming_is_chosen_per_file_with_the_upload_or_the_path(make_server, tmp_path):
    server = make_server()
    media = server.app.state.settings.media_dir
    write_wav(media / "beside.wav", seconds=1)
    with server.http() as http:
        asked = upload(http, write_wav(tmp_path / "short.wav", seconds=1), streaming="true")
        assert asked.status_code == 201 and asked.json()["streaming"] is True
        long = write_wav(tmp_path / "long.wav", seconds=61, rate=8000)
        assert upload(http, long, streaming="false").json()["streaming"] is False  # decoded whole, as asked
        loaded = http.post("/api/sounds", json={"path": "beside.wav", "streaming": True})
        assert loaded.status_code == 201 and loaded.json()["streaming"] is True
        # Asked the other way, the loaded file changes over and keeps its id.
        back = http.post("/api/sounds", json={"path": "beside.wav", "streaming": False})
        assert back.status_code == 200 and (back.json()["id"], back.json()["streaming"]) == (loaded.json()["id"], False)
        assert_problem(upload(http, long, streaming="yes"), 422, "streaming")
        assert_problem(http.post("/api/sounds", json={"path": "beside.wav", "streaming": "true"}), 422, "streaming")
    server.stop()
    # The choice is kept with the file: after a restart the short upload still streams, under its id.
    again = make_server(media_dir=media)
    with again.http() as http:
        sound = http.get(f"/api/sounds/{asked.json()['id']}").json()
        assert (sound["name"], sound["streaming"]) == ("short.wav", True)
        assert http.get("/api/sounds/long.wav").json()["streaming"] is False
        assert http.get("/api/sounds/beside.wav").json()["streaming"] is False


def test_a_streaming_voice_plays_seeks_and_stops_with_the_file_s_samples(offline):
    with offline.http() as http:
        [ramp] = http.get("/api/sounds").json()
        assert ramp["streaming"] is True  # 8 s, past the 5 s this service streams above
        answer = http.post("/api/sounds/ramp.wav/play", json={"start_position": 1.0})
        assert answer.status_code == 201, answer.text
        voice = answer.json()
        assert (voice["streaming"], voice["underflows"], voice["duration"]) == (True, 0, SECONDS)
        render(offline, 0.5)
        out = render(offline, 0.01)
        assert where(out[-1, 0]) == pytest.approx(1.51, abs=0.002)
        playing = http.get(f"/api/voices/{voice['id']}").json()
        assert playing["state"] == "playing" and playing["position"] == pytest.approx(1.51, abs=0.02)

        assert http.post(f"/api/voices/{voice['id']}/seek", json={"to": 6.0}).status_code == 200
        render(offline, 0.1)  # the seek crossfades, then plays from 6 s
        out = render(offline, 0.01)
        assert where(out[-1, 0]) == pytest.approx(6.11, abs=0.002)
        assert http.post(f"/api/voices/{voice['id']}/seek", json={"by": -4.0}).status_code == 200
        render(offline, 0.1)
        assert where(render(offline, 0.01)[-1, 0]) == pytest.approx(2.22, abs=0.002)

        assert http.post(f"/api/voices/{voice['id']}/stop", json={"tween": {"duration": 0.05}}).status_code == 200
        render(offline, 0.1)
        assert np.all(render(offline, 0.01) == 0)
        assert wait_until(lambda: http.get(f"/api/voices/{voice['id']}").status_code == 404)


def test_a_streaming_voice_takes_the_controls_of_any_voice(offline):
    with offline.http() as http:
        bus = http.post("/api/tracks").json()["id"]
        body = {"track": bus, "volume": -6, "loop_region": {"start": 2, "end": 3}, "start_position": 2.5}
        voice = http.post("/api/sounds/ramp.wav/play", json=body).json()
        assert (voice["track"], voice["loop_region"]) == (bus, {"start": 2.0, "end": 3.0})
        for _ in range(4):  # 2.5 s to 3 s, back to 2 s and on: always inside the loop
            render(offline, 0.3)
            now = http.get(f"/api/voices/{voice['id']}").json()
            assert 2.0 <= now["position"] < 3.0 and now["volume"] == pytest.approx(-6.0)

        changed = http.patch(
            f"/api/voices/{voice['id']}", json={"panning": -1, "playback_rate": {"semitones": 12}, "loop_region": None}
        )
        assert changed.status_code == 200, changed.text
        render(offline, 0.1)
        now = http.get(f"/api/voices/{voice['id']}").json()
        assert (now["panning"], now["playback_rate"], now["loop_region"]) == (-1.0, pytest.approx(2.0), None)
        out = render(offline, 0.01)
        assert np.all(out[:, 1] == 0) and out[-1, 0] > 0  # hard left

        assert http.post(f"/api/voices/{voice['id']}/pause", json={"tween": {"duration": 0}}).status_code == 200
        render(offline, 0.05)
        held = http.get(f"/api/voices/{voice['id']}").json()
        assert held["state"] == "paused"
        render(offline, 0.2)
        assert http.get(f"/api/voices/{voice['id']}").json()["position"] == held["position"]
        assert http.post(f"/api/voices/{voice['id']}/resume", json={}).status_code == 200
        render(offline, 0.1)
        resumed = http.get(f"/api/voices/{voice['id']}").json()
        assert resumed["state"] == "playing" and resumed["position"] > held["position"]


def test_a_streaming_voice_refuses_reverse_and_slice_naming_them(offline):
    with offline.http() as http:
        assert_problem(http.post("/api/sounds/ramp.wav/play", json={"reverse": True}), 422, "reverse")
        assert_problem(http.post("/api/sounds/ramp.wav/play", json={"slice": {"start": 1, "end": 2}}), 422, "slice")
        assert http.get("/api/voices").json() == []


def test_a_streaming_sound_s_waveform_is_the_decoded_one_s(make_server, tmp_path):
    server = make_server()
    media = server.app.state.settings.media_dir
    write_wav(media / "a.wav", seconds=1.5)
    write_wav(media / "b.wav", seconds=1.5)
    write_wav(media / "c.wav", seconds=0.05, rate=8000)  # 400 frames: fewer than the points asked for
    write_wav(media / "d.wav", seconds=0.05, rate=8000)
    with server.http() as http:
        streamed = http.post("/api/sounds", json={"path": "a.wav", "streaming": True}).json()["id"]
        decoded = http.post("/api/sounds", json={"path": "b.wav", "streaming": False}).json()["id"]
        for points in (7, 512, 10_000):
            a = http.get(f"/api/sounds/{streamed}/waveform", params={"points": points}).json()
            b = http.get(f"/api/sounds/{decoded}/waveform", params={"points": points}).json()
            assert a["points"] == points and np.max(np.abs(np.array(a["max"]) - b["max"])) <= 1e-5
            assert np.max(np.abs(np.array(a["min"]) - b["min"])) <= 1e-5
        tiny = http.post("/api/sounds", json={"path": "c.wav", "streaming": True}).json()["id"]
        whole = http.post("/api/sounds", json={"path": "d.wav"}).json()["id"]
        a = http.get(f"/api/sounds/{tiny}/waveform", params={"points": 1000}).json()
        b = http.get(f"/api/sounds/{whole}/waveform", params={"points": 1000}).json()
        assert np.max(np.abs(np.array(a["max"]) - b["max"])) <= 1e-5 and max(a["max"]) > 0.4


def test_a_file_cut_short_while_it_plays_stops_its_voice_with_an_event_and_the_rest_play_on(offline):
    media = offline.app.state.settings.media_dir
    write_wav(media / "hum.wav", seconds=1)

    async def scenario():
        async with websockets.connect(offline.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["voices"]})
            hum = await rpc.call("sounds.add", {"path": "hum.wav"})
            other = await rpc.call("sounds.play", {"id": hum["id"], "loop": True})
            voice = await rpc.call("sounds.play", {"id": "ramp.wav"})
            render(offline, 1.0)
            # Cut the file to 2 s of its 8 while the voice is 1 s in: the decoder finds the end early.
            path = media / "ramp.wav"
            header = path.stat().st_size - FRAMES * 4
            with open(path, "r+b") as f:
                f.truncate(header + 2 * RATE * 4)
            render(offline, 3.0)
            note = await rpc.note(lambda n: n["method"] == "event" and n["params"]["type"] == "error")
            event = note["params"]
            assert (event["voice"], event["sound"], event["thing"]) == (voice["id"], voice["sound"], voice["id"])
            assert "ramp.wav" in event["message"]
            render(offline, 0.1)
            finished = {"type": "voice_finished", "voice": voice["id"]}
            await rpc.note(lambda n: n["method"] == "event" and n["params"] == finished)
            playing = await rpc.call("voices.get", {"id": other["id"]})
            assert playing["state"] == "playing"
            assert (await rpc.call("engine.health"))["status"] == "ok"
            gone = await rpc.call("voices.get", {"id": voice["id"]}, raw=True)
            assert gone["error"]["code"] == -32404

    run(scenario())


def test_a_decoder_slowed_down_on_purpose_shows_in_the_voice_s_underflows(make_server, tmp_path):
    server = make_server(stream_above_seconds=5)
    write_ramp(server.app.state.settings.media_dir / "slow.wav")
    decoder = server.runtime.manager.stream_decoder()
    decoder.budget, decoder.throttle = 256, 0.05  # about 5000 frames a second for a voice that needs 48000
    with server.http() as http:
        added = http.post("/api/sounds", json={"path": "slow.wav"}).json()
        assert added["streaming"] is True
        voice = http.post(f"/api/sounds/{added['id']}/play", json={"loop": True}).json()["id"]
        shown = wait_until(lambda: http.get(f"/api/voices/{voice}").json()["underflows"])
        assert shown > 0
        decoder.budget, decoder.throttle = 1 << 16, 0.0
        assert http.get("/api/health").json()["status"] == "ok"
        assert http.post(f"/api/voices/{voice}/stop", json={}).status_code == 200


def test_the_sounds_and_voices_topics_say_which_stream(offline):
    async def scenario():
        async with websockets.connect(offline.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["sounds", "voices"]})
            sounds = await rpc.note(lambda n: n["method"] == "sounds")
            assert [(s["name"], s["streaming"]) for s in sounds["params"]["sounds"]] == [("ramp.wav", True)]
            voice = await rpc.call("sounds.play", {"id": "ramp.wav"})
            render(offline, 0.05)
            note = await rpc.note(lambda n: n["method"] == "voices" and n["params"]["voices"])
            [shown] = note["params"]["voices"]
            assert (shown["id"], shown["streaming"], shown["underflows"]) == (voice["id"], True, 0)

    run(scenario())
