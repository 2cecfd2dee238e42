"""The mixer over REST and WebSocket: the track tree, send tracks, a voice's track, mute and solo, meters, removal.

Levels are checked on the offline output, which renders only when a test
asks, so a meter reads exactly what the blocks rendered so far put through
it. The WebSocket and topic tests run on the null output in real time.
"""

from __future__ import annotations

import pytest
import websockets

from mixdeck.service.ids import parse_keyed_id
from tests.emptying import remove_things, stop_voices
from tests.service.support import Rpc, amplitude, assert_problem, render, run, start_server, wait_until, write_wav

RATE = 48000
LEVEL = 0.5  # every sample of flat.wav


def find(track: dict, ident: str) -> dict | None:
    """The track `ident` in the tree under `track`."""
    if track["id"] == ident:
        return track
    for child in track["tracks"]:
        found = find(child, ident)
        if found is not None:
            return found
    return None


def node(track: dict, ident: str) -> dict:
    """The track `ident`, which must be in the tree under `track`."""
    found = find(track, ident)
    assert found is not None, f"{ident} is not in the tree"
    return found


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """A service on the offline output with one sound, flat.wav: four seconds of 0.5 on both channels."""
    media = tmp_path_factory.mktemp("media")
    write_wav(media / "flat.wav", seconds=4.0, value=LEVEL)
    running = start_server(media, output="offline")
    yield running
    running.stop()


@pytest.fixture
def desk(offline):
    """An HTTP client on the offline service; what the test added is removed after it (tests.emptying)."""
    with offline.http() as http:
        yield http
        stop_voices(http)
        remove_things(http)
        render(offline, 0.1)


def test_the_tree_holds_sub_tracks_under_their_parents_and_the_send_tracks(desk):
    reverb = desk.post("/api/sends", json={"volume": -3})
    assert reverb.status_code == 201
    reverb = reverb.json()
    music = desk.post("/api/tracks", json={"volume": -6, "sends": {reverb["id"]: -12}})
    assert music.status_code == 201
    music = music.json()
    strings = desk.post("/api/tracks", json={"parent": music["id"], "panning": -0.5, "sound_capacity": 8}).json()
    sfx = desk.post("/api/tracks").json()

    assert (music["kind"], music["parent"], music["sends"]) == ("sub", "main", {reverb["id"]: -12.0})
    assert (strings["parent"], strings["sound_capacity"], sfx["parent"]) == (music["id"], 8, "main")
    assert [parse_keyed_id(t["id"])[0] for t in (music, strings, sfx)] == ["track"] * 3
    assert parse_keyed_id(reverb["id"])[0] == "send"

    tree = desk.get("/api/tracks").json()
    main = tree["main"]
    assert (main["id"], main["kind"], main["parent"], main["sound_capacity"]) == ("main", "main", None, None)
    assert [t["id"] for t in main["tracks"]] == [music["id"], sfx["id"]]
    assert [t["id"] for t in node(main, music["id"])["tracks"]] == [strings["id"]]
    assert [s["id"] for s in tree["sends"]] == [reverb["id"]]
    assert desk.get(f"/api/tracks/{strings['id']}").json()["panning"] == -0.5
    assert desk.get("/api/tracks/main").json()["tracks"] == main["tracks"]
    assert desk.get("/api/sends").json() == tree["sends"]
    assert desk.get(f"/api/sends/{reverb['id']}").json()["volume"] == -3.0
    assert all(t["effects"] == [] for t in (main, music, strings, reverb))


def test_a_voice_plays_on_its_track_and_every_level_on_the_way_multiplies(desk, offline):
    reverb = desk.post("/api/sends", json={"volume": -3}).json()["id"]
    music = desk.post("/api/tracks", json={"volume": -6, "sends": {reverb: -12}}).json()["id"]
    strings = desk.post("/api/tracks", json={"parent": music}).json()["id"]
    voice = desk.post("/api/sounds/flat.wav/play", json={"track": strings})
    assert voice.status_code == 201 and voice.json()["track"] == strings
    on_main = desk.post("/api/sounds/flat.wav/play", json={"volume": -40}).json()
    assert on_main["track"] == "main"
    render(offline, 0.1)

    assert desk.get(f"/api/voices/{voice.json()['id']}").json()["track"] == strings
    tree = desk.get("/api/tracks").json()
    peak = {t: node(tree["main"], t)["meters"]["peak"] for t in (strings, music)}
    send_peak = tree["sends"][0]["meters"]["peak"]
    assert peak[strings] == pytest.approx([LEVEL, LEVEL], rel=1e-4)
    assert peak[music] == pytest.approx([LEVEL * amplitude(-6)] * 2, rel=1e-4)
    assert send_peak == pytest.approx([LEVEL * amplitude(-6) * amplitude(-12) * amplitude(-3)] * 2, rel=1e-4)
    # The main track adds the bus, the send and the quiet voice on it once each.
    expected_main = LEVEL * (amplitude(-6) + amplitude(-6) * amplitude(-12) * amplitude(-3) + amplitude(-40))
    assert tree["main"]["meters"]["peak"] == pytest.approx([expected_main] * 2, rel=1e-4)


def test_a_send_level_and_a_track_volume_follow_a_patch(desk, offline):
    reverb = desk.post("/api/sends").json()["id"]
    music = desk.post("/api/tracks", json={"sends": {reverb: -24}}).json()["id"]
    desk.post("/api/sounds/flat.wav/play", json={"track": music, "loop": True})
    render(offline, 0.1)
    before = desk.get(f"/api/sends/{reverb}").json()["meters"]["peak"][0]
    assert before == pytest.approx(LEVEL * amplitude(-24), rel=1e-4)

    changed = desk.patch(
        f"/api/tracks/{music}", json={"sends": {reverb: -6}, "volume": -3, "tween": {"duration": 0.05}}
    )
    assert changed.status_code == 200 and changed.json()["sends"] == {reverb: -6.0}
    render(offline, 0.1)
    track = desk.get(f"/api/tracks/{music}").json()
    assert track["volume"] == pytest.approx(-3.0)
    after = desk.get(f"/api/sends/{reverb}").json()["meters"]["peak"][0]
    assert after == pytest.approx(LEVEL * amplitude(-3) * amplitude(-6), rel=1e-4)


def test_a_track_volume_and_a_route_can_follow_a_modulator(desk, offline):
    reverb = desk.post("/api/sends").json()["id"]
    music = desk.post("/api/tracks").json()["id"]
    tweener = desk.post("/api/modulators", json={"type": "tweener", "value": 0}).json()["id"]
    follow = {"modulator": tweener, "input_range": [-1, 1], "output_range": [-12, 0]}
    answer = desk.patch(f"/api/tracks/{music}", json={"volume": follow, "sends": {reverb: follow}})
    assert answer.status_code == 200
    assert answer.json()["sends"][reverb]["modulator"] == tweener
    render(offline, 0.05)
    assert desk.get(f"/api/tracks/{music}").json()["volume"] == pytest.approx(-6.0)
    desk.patch(f"/api/modulators/{tweener}", json={"value": 1, "tween": {"duration": 0}})
    render(offline, 0.05)
    assert desk.get(f"/api/tracks/{music}").json()["volume"] == pytest.approx(0.0)
    desk.delete(f"/api/modulators/{tweener}")


def test_a_send_track_takes_volume_panning_mute_and_solo(desk, offline):
    reverb = desk.post("/api/sends", json={"muted": True}).json()["id"]
    assert desk.get(f"/api/sends/{reverb}").json()["muted"] is True
    answer = desk.patch(
        f"/api/sends/{reverb}", json={"volume": -9, "panning": 0.25, "muted": False, "tween": {"duration": 0}}
    )
    assert answer.status_code == 200
    render(offline, 0.05)
    send = desk.get(f"/api/sends/{reverb}").json()
    assert (send["volume"], send["panning"], send["muted"], send["audible"]) == (-9.0, 0.25, False, True)


def test_muting_the_main_track_silences_the_output_and_unmuting_brings_it_back(desk, offline):
    desk.post("/api/sounds/flat.wav/play", json={"loop": True})
    render(offline, 0.1)
    assert desk.patch("/api/tracks/main", json={"muted": True}).status_code == 200
    render(offline, 0.1)
    main = desk.get("/api/tracks/main").json()
    assert main["muted"] and not main["audible"]
    assert (offline.runtime.manager.render(256) == 0).all()
    desk.patch("/api/tracks/main", json={"muted": False})
    render(offline, 0.1)
    assert (offline.runtime.manager.render(256) == LEVEL).all()


def test_removing_a_track_fades_it_out_then_ends_the_voices_on_it_and_below(desk, offline):
    music = desk.post("/api/tracks").json()["id"]
    strings = desk.post("/api/tracks", json={"parent": music}).json()["id"]
    voices = [
        desk.post("/api/sounds/flat.wav/play", json={"track": track, "loop": True, "volume": -6}).json()["id"]
        for track in (music, strings)
    ]
    render(offline, 1.0)  # long enough for the RMS to settle
    full = desk.get("/api/tracks/main").json()["meters"]["rms"][0]

    assert desk.delete(f"/api/tracks/{music}", params={"fade": 0.5}).status_code == 204
    assert_problem(desk.get(f"/api/tracks/{music}"), 404, "id")
    assert_problem(desk.get(f"/api/tracks/{strings}"), 404, "id")
    assert_problem(desk.post("/api/sounds/flat.wav/play", json={"track": strings}), 422, "track")
    render(offline, 0.25)  # halfway through the fade: still heard, more quietly
    assert [desk.get(f"/api/voices/{v}").json()["state"] for v in voices] == ["playing", "playing"]
    assert 0 < desk.get("/api/tracks/main").json()["meters"]["rms"][0] < full
    render(offline, 0.35)
    for voice in voices:
        assert_problem(desk.get(f"/api/voices/{voice}"), 404, "id")
    assert desk.get("/api/tracks").json()["main"]["tracks"] == []

    again = desk.post("/api/tracks").json()["id"]
    slot, old_slot = parse_keyed_id(again), parse_keyed_id(music)
    assert slot is not None and old_slot is not None
    assert (slot[1], slot[2]) == (old_slot[1], old_slot[2] + 1)  # the slot is reused, with a new generation


def test_removing_a_send_track_drops_the_routes_to_it(desk, offline):
    reverb = desk.post("/api/sends").json()["id"]
    music = desk.post("/api/tracks", json={"sends": {reverb: -6}}).json()["id"]
    assert desk.delete(f"/api/sends/{reverb}", params={"fade": 0.1}).status_code == 204
    assert_problem(desk.get(f"/api/sends/{reverb}"), 404, "id")
    assert desk.get(f"/api/tracks/{music}").json()["sends"] == {}
    assert_problem(desk.patch(f"/api/tracks/{music}", json={"sends": {reverb: -6}}), 422, f"sends.{reverb}")
    assert_problem(desk.delete(f"/api/sends/{reverb}"), 404, "id")


def test_a_patch_that_fails_changes_nothing(desk, offline):
    music = desk.post("/api/tracks", json={"volume": -6}).json()["id"]
    answer = desk.patch(f"/api/tracks/{music}", json={"volume": -20, "muted": True, "sends": {"send-9-9": -6}})
    assert_problem(answer, 422, "sends.send-9-9")
    answer = desk.patch(f"/api/tracks/{music}", json={"volume": -20, "panning": {"modulator": "mod-9-9"}})
    assert_problem(answer, 422, "panning.modulator")
    render(offline, 0.05)
    track = desk.get(f"/api/tracks/{music}").json()
    assert (track["volume"], track["panning"], track["muted"]) == (-6.0, 0.0, False)


def test_a_patch_too_big_for_the_command_queue_is_a_503_that_changes_nothing(make_server):
    server = make_server(output="offline", command_capacity=4)
    with server.http() as http:
        render(server, 0.02)
        music = http.post("/api/tracks").json()["id"]
        render(server, 0.02)
        for change in ({"volume": -3}, {"panning": 0.5}, {"muted": True}):
            assert http.patch(f"/api/tracks/{music}", json=change).status_code == 200
        answer = http.patch(f"/api/tracks/{music}", json={"volume": -20, "panning": -0.5})
        assert_problem(answer, 503)
        assert answer.headers["retry-after"] == "1"
        render(server, 0.05)
        track = http.get(f"/api/tracks/{music}").json()
        assert (track["volume"], track["panning"], track["muted"]) == (-3.0, 0.5, True)


def test_full_arenas_and_a_full_track_are_409s(make_server, tmp_path):
    server = make_server(max_tracks=2, max_sends=1)
    with server.http() as http:
        first = http.post("/api/tracks", json={"sound_capacity": 1}).json()["id"]
        assert http.post("/api/tracks").status_code == 201
        assert "MIXDECK_MAX_TRACKS" in assert_problem(http.post("/api/tracks"), 409)["detail"]
        assert http.post("/api/sends").status_code == 201
        assert "MIXDECK_MAX_SENDS" in assert_problem(http.post("/api/sends"), 409)["detail"]

        sound = http.get("/api/sounds").json()[0]["id"]
        assert http.post(f"/api/sounds/{sound}/play", json={"track": first, "loop": True}).status_code == 201
        assert_problem(http.post(f"/api/sounds/{sound}/play", json={"track": first}), 409, "track")
        assert http.post(f"/api/sounds/{sound}/play", json={"volume": -60}).status_code == 201  # main has room

        slots = http.get("/api/state").json()["engine"]["slots"]
        assert slots["tracks"] == {"used": 2, "capacity": 2} and slots["sends"] == {"used": 1, "capacity": 1}
        assert slots["voices"]["used"] == 2 and set(slots) == {
            "voices", "tracks", "sends", "effects", "clocks", "modulators", "listeners"}  # fmt: skip

        # A removed track's slot comes back once the audio thread has let it go, and is the one reused.
        assert http.delete(f"/api/tracks/{first}", params={"fade": 0}).status_code == 204
        wait_until(lambda: http.get("/api/state").json()["engine"]["slots"]["tracks"]["used"] == 1)
        again = http.post("/api/tracks")
        assert again.status_code == 201
        (_, slot, generation), (_, old_slot, old_generation) = parse_keyed_id(again.json()["id"]), parse_keyed_id(first)
        assert slot == old_slot and generation > old_generation


BAD_BODIES = [
    ("post", "/api/tracks", {"volume": 99}, "volume"),
    ("post", "/api/tracks", {"panning": "left"}, "panning"),
    ("post", "/api/tracks", {"sound_capacity": 0}, "sound_capacity"),
    ("post", "/api/tracks", {"muted": 1}, "muted"),
    ("post", "/api/tracks", {"sends": {"send-0-1": 999}}, "sends.send-0-1"),
    ("post", "/api/tracks", {"sends": ["send-0-1"]}, "sends"),
    ("post", "/api/tracks", {"colour": "red"}, "colour"),
    ("post", "/api/tracks", {"parent": 7}, "parent"),
    ("patch", "/api/tracks/main", {"soloed": True}, "soloed"),
    ("patch", "/api/tracks/main", {"sends": {}}, "sends"),
    ("patch", "/api/tracks/main", {"volume": 0, "tween": {"duration": -1}}, "tween.duration"),
    ("post", "/api/sends", {"volume": "loud"}, "volume"),
    ("post", "/api/sends", {"sends": {}}, "sends"),
    ("post", "/api/sounds/flat.wav/play", {"track": 5}, "track"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_BODIES)
def test_bad_input_is_a_422_naming_the_field(desk, method, path, body, field):
    assert_problem(desk.request(method, path, json=body), 422, field)


def test_a_bad_fade_is_a_422_naming_it(desk):
    music = desk.post("/api/tracks").json()["id"]
    for fade in ("-1", "soon", "inf"):
        assert_problem(desk.delete(f"/api/tracks/{music}", params={"fade": fade}), 422, "fade")
    assert desk.get(f"/api/tracks/{music}").status_code == 200


def test_unknown_ids_are_404s_in_the_path_and_422s_in_the_body_naming_the_field(desk):
    assert_problem(desk.post("/api/tracks", json={"parent": "track-99-1"}), 422, "parent")
    assert_problem(desk.post("/api/tracks", json={"sends": {"send-9-9": -6}}), 422, "sends.send-9-9")
    assert_problem(desk.post("/api/sounds/flat.wav/play", json={"track": "track-99-1"}), 422, "track")
    reverb = desk.post("/api/sends").json()["id"]
    assert_problem(desk.get(f"/api/tracks/{reverb}"), 404, "id")  # a send track is not a track of the tree
    assert_problem(desk.post("/api/tracks", json={"parent": reverb}), 422, "parent")
    for path in ("/api/tracks/track-99-1", "/api/sends/send-9-9", "/api/tracks/nonsense"):
        assert_problem(desk.get(path), 404, "id")
        assert_problem(desk.patch(path, json={"volume": -3}), 404, "id")
        assert_problem(desk.delete(path), 404, "id")
    assert_problem(desk.delete("/api/tracks/main"), 409, "id")


def test_the_websocket_methods_match_the_routes(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            reverb = await rpc.call("sends.add", {"volume": -6})
            music = await rpc.call("tracks.add", {"volume": -3, "sends": {reverb["id"]: -12}})
            assert (music["parent"], music["sends"]) == ("main", {reverb["id"]: -12.0})
            child = await rpc.call("tracks.add", {"parent": music["id"]})
            assert (await rpc.call("tracks.get", {"id": child["id"]}))["parent"] == music["id"]
            tree = await rpc.call("tracks.list")
            assert [t["id"] for t in node(tree["main"], music["id"])["tracks"]] == [child["id"]]
            assert [s["id"] for s in await rpc.call("sends.list")] == [reverb["id"]]
            assert (await rpc.call("sends.get", {"id": reverb["id"]}))["volume"] == -6.0
            changed = await rpc.call("tracks.set", {"id": music["id"], "sends": {reverb["id"]: -3}, "muted": True})
            assert changed["sends"] == {reverb["id"]: -3.0}
            assert (await rpc.call("sends.set", {"id": reverb["id"], "soloed": True}))["id"] == reverb["id"]
            await rpc.call("sends.set", {"id": reverb["id"], "soloed": False})

            sound = (await rpc.call("sounds.list"))[0]["id"]
            voice = await rpc.call("sounds.play", {"id": sound, "track": child["id"], "volume": -40})
            assert voice["track"] == child["id"]

            bad = await rpc.call("tracks.add", {"volume": 99}, raw=True)
            assert bad["error"]["code"] == -32602 and bad["error"]["data"]["errors"][0]["field"] == "volume"
            missing = await rpc.call("tracks.set", {"id": "track-99-1", "volume": 0}, raw=True)
            assert missing["error"]["code"] == -32404 and missing["error"]["data"]["errors"][0]["field"] == "id"
            main = await rpc.call("tracks.remove", {"id": "main"}, raw=True)
            assert main["error"]["code"] == -32409

            assert await rpc.call("tracks.remove", {"id": music["id"], "fade": 0.05}) is None
            assert await rpc.call("sends.remove", {"id": reverb["id"]}) is None
            gone = await rpc.call("tracks.get", {"id": child["id"]}, raw=True)
            assert gone["error"]["data"]["status"] == 404
            return await rpc.call("tracks.list")

    after = run(scenario())
    with server.http() as http:
        assert after["main"]["id"] == "main" and after["sends"] == []
        assert http.get("/api/tracks").json()["sends"] == after["sends"]


def test_mute_and_solo_show_in_the_tracks_topic(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["tracks"]})
            first = await rpc.note(lambda n: n["method"] == "tracks")
            assert first["params"]["main"]["id"] == "main"
            drums = (await rpc.call("tracks.add", {}))["id"]
            keys = (await rpc.call("tracks.add", {}))["id"]

            def shows(**wanted):
                """A notification in which each named track has the flags given (drums_audible=False)."""

                def match(note):
                    if note["method"] != "tracks":
                        return False
                    for key, value in wanted.items():
                        name, flag = key.split("_")
                        track = find(note["params"]["main"], {"drums": drums, "keys": keys}[name])
                        if track is None or track[flag] is not value:
                            return False
                    return True

                return match

            await rpc.call("tracks.set", {"id": drums, "muted": True})
            await rpc.note(shows(drums_muted=True, drums_audible=False, keys_audible=True))
            await rpc.call("tracks.set", {"id": drums, "muted": False})
            await rpc.call("tracks.set", {"id": keys, "soloed": True})
            await rpc.note(shows(keys_soloed=True, keys_audible=True, drums_muted=False, drums_audible=False))
            await rpc.call("tracks.set", {"id": keys, "soloed": False})
            await rpc.note(shows(keys_soloed=False, drums_audible=True, keys_audible=True))
            for track in (drums, keys):
                await rpc.call("tracks.remove", {"id": track, "fade": 0})

    run(scenario())


def test_a_tracks_meter_rises_while_a_sound_plays_and_falls_after(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["tracks"]})
            bus = (await rpc.call("tracks.add", {}))["id"]
            sounds = {s["name"]: s["id"] for s in await rpc.call("sounds.list")}
            voice = await rpc.call("sounds.play", {"id": sounds["tone.wav"], "track": bus, "loop": True})

            def level(note):
                track = find(note["params"]["main"], bus) if note["method"] == "tracks" else None
                return None if track is None else track["meters"]

            def loud(note):
                meters = level(note)
                return meters is not None and meters["peak"][0] > 0.1 and meters["rms"][0] > 0.05

            playing = await rpc.note(loud)
            await rpc.call("voices.stop", {"id": voice["id"], "tween": {"duration": 0}})
            quiet = await rpc.note(lambda n: level(n) is not None and level(n)["rms"][0] < 0.001)
            assert level(quiet)["peak"][0] < level(playing)["peak"][0]
            await rpc.call("tracks.remove", {"id": bus, "fade": 0})

    run(scenario())


def test_the_voices_on_a_removed_track_end_with_the_reason(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["voices"]})
            bus = (await rpc.call("tracks.add", {}))["id"]
            sound = (await rpc.call("sounds.list"))[0]["id"]
            voice = await rpc.call("sounds.play", {"id": sound, "track": bus, "loop": True, "volume": -30})
            await rpc.call("tracks.remove", {"id": bus, "fade": 0.1})
            event = await rpc.note(lambda n: n["method"] == "event" and n["params"].get("voice") == voice["id"])
            assert event["params"] == {"type": "voice_finished", "voice": voice["id"], "reason": "track removed"}

    run(scenario())


def test_the_main_track_is_the_same_in_the_tracks_main_track_and_meters_topics(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["tracks", "main_track", "meters"]})
            await rpc.call("main_track.set", {"volume": -6})
            seen: dict[str, dict] = {}

            def collect(note):
                params = note["params"]
                if note["method"] == "tracks" and params["main"]["volume"] == -6:
                    seen["tracks"] = params["main"]
                elif note["method"] == "main_track" and params["volume"] == -6:
                    seen["main_track"] = params
                elif note["method"] == "meters":
                    seen["meters"] = {"meters": params}
                return len(seen) == 3

            await rpc.note(collect)
            assert set(seen["tracks"]["meters"]) == set(seen["main_track"]["meters"]) == set(seen["meters"]["meters"])
            await rpc.call("tracks.set", {"id": "main", "volume": 0})
            await rpc.note(lambda n: n["method"] == "main_track" and n["params"]["volume"] == 0)

    run(scenario())


def test_the_schema_declares_the_mixers_routes_and_their_problems(http):
    paths = http.get("/openapi.json").json()["paths"]
    remove = paths["/api/tracks/{id}"]["delete"]
    assert remove["operationId"] == "tracks_remove" and remove["summary"] == "tracks.remove"
    assert {"404", "409", "422", "503"} <= set(remove["responses"])
    assert [p["name"] for p in remove["parameters"]] == ["id", "fade"]
    assert paths["/api/tracks"]["post"]["operationId"] == "tracks_add"
    assert set(paths["/api/tracks"]["post"]["responses"]["201"]["links"]) >= {"tracks_get", "tracks_set"}
    assert {op["operationId"] for op in paths["/api/sends/{id}"].values()} == {"sends_get", "sends_set", "sends_remove"}
