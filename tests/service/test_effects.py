"""Effects on tracks over REST and WebSocket: levels on the offline output, the chain's order, bypass, errors.

Levels are read from the track meters after the offline output rendered a
known stretch, so they are exact: a volume control at -6 dB on a bus is the
bus's level times 10 ** (-6 / 20).
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile
import websockets

from mixdeck.engine import spec
from mixdeck.engine.effect.builders import BUILDERS
from mixdeck.service.ids import parse_keyed_id
from tests.emptying import remove_things, stop_voices
from tests.service.support import Rpc, amplitude, assert_problem, render, run, start_server, write_wav

RATE = 48000
LEVEL = 0.5  # every sample of flat.wav


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """An offline service with flat.wav (0.5 on both channels) and noise.wav (white noise)."""
    media = tmp_path_factory.mktemp("media")
    write_wav(media / "flat.wav", seconds=4.0, value=LEVEL)
    noise = np.random.default_rng(3).uniform(-0.5, 0.5, 4 * RATE)
    soundfile.write(str(media / "noise.wav"), noise, RATE, subtype="FLOAT")
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


def peak(http, path: str) -> list[float]:
    return http.get(path).json()["meters"]["peak"]


def rms(http, path: str) -> float:
    return http.get(path).json()["meters"]["rms"][0]


def test_a_volume_control_at_minus_6_db_on_a_bus_takes_the_bus_down_6_db(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    added = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "volume_control", "volume": -6})
    assert added.status_code == 201, added.text
    effect = added.json()
    assert (effect["kind"], effect["track"], effect["values"], effect["bypassed"]) == (
        "volume_control",
        bus,
        {"volume": -6.0},
        False,
    )
    assert parse_keyed_id(effect["id"])[0] == "fx"
    render(offline, 0.05)  # in, and glided in, before anything plays
    desk.post("/api/sounds/flat.wav/play", json={"track": bus, "loop": True})
    render(offline, 0.1)
    assert peak(desk, f"/api/tracks/{bus}") == pytest.approx([LEVEL * amplitude(-6)] * 2, rel=1e-4)
    track = desk.get(f"/api/tracks/{bus}").json()
    assert [e["id"] for e in track["effects"]] == [effect["id"]] and track["effects"][0]["position"] == 0


def test_a_low_pass_on_noise_lowers_the_level_and_bypass_brings_it_back(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    desk.post("/api/sounds/noise.wav/play", json={"track": bus, "loop": True})
    render(offline, 1.0)  # long enough for the RMS to settle
    open_level = rms(desk, f"/api/tracks/{bus}")
    assert open_level == pytest.approx(0.5 / np.sqrt(3), rel=0.05)  # uniform noise in ±0.5

    effect = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "filter", "mode": "low_pass", "cutoff": 200})
    assert effect.status_code == 201 and effect.json()["choices"] == {"mode": "low_pass"}
    fx = effect.json()["id"]
    render(offline, 1.0)
    filtered = rms(desk, f"/api/tracks/{bus}")
    assert filtered < 0.3 * open_level  # 200 Hz (12 dB an octave above it) of a 24 kHz band: a fifth of it

    answer = desk.patch(f"/api/tracks/{bus}/effects/{fx}", json={"bypassed": True})
    assert answer.status_code == 200
    render(offline, 1.0)
    assert desk.get(f"/api/tracks/{bus}/effects/{fx}").json()["bypassed"] is True
    assert rms(desk, f"/api/tracks/{bus}") == pytest.approx(open_level, rel=0.02)

    desk.patch(f"/api/tracks/{bus}/effects/{fx}", json={"bypassed": False, "mode": "high_pass", "cutoff": 20})
    render(offline, 1.0)
    back = desk.get(f"/api/tracks/{bus}/effects/{fx}").json()
    assert (back["bypassed"], back["choices"], back["values"]["cutoff"]) == (False, {"mode": "high_pass"}, 20.0)
    assert rms(desk, f"/api/tracks/{bus}") == pytest.approx(open_level, rel=0.02)  # a 20 Hz high-pass keeps it


def test_a_tween_moves_a_parameter_there_over_its_duration(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    fx = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "volume_control"}).json()["id"]
    render(offline, 0.05)
    answer = desk.patch(f"/api/tracks/{bus}/effects/{fx}", json={"volume": -12, "tween": {"duration": 0.2}})
    assert answer.status_code == 200
    render(offline, 0.1)
    halfway = desk.get(f"/api/tracks/{bus}/effects/{fx}").json()["values"]["volume"]
    assert -12.0 < halfway < 0.0
    render(offline, 0.2)
    assert desk.get(f"/api/tracks/{bus}/effects/{fx}").json()["values"]["volume"] == pytest.approx(-12.0)


def test_the_chain_keeps_its_order_and_index_moves_an_effect(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    kinds = ["filter", "compressor", "limiter"]
    made = [desk.post(f"/api/tracks/{bus}/effects", json={"kind": k}).json()["id"] for k in kinds]
    first = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "reverb", "index": 0}).json()["id"]
    render(offline, 0.05)
    listed = desk.get(f"/api/tracks/{bus}/effects").json()
    assert [e["id"] for e in listed] == [first, *made]
    assert [e["position"] for e in listed] == [0, 1, 2, 3]

    assert desk.patch(f"/api/tracks/{bus}/effects/{first}", json={"index": 99}).status_code == 200
    assert desk.patch(f"/api/tracks/{bus}/effects/{made[2]}", json={"index": 0}).status_code == 200
    render(offline, 0.05)
    assert [e["id"] for e in desk.get(f"/api/tracks/{bus}/effects").json()] == [made[2], made[0], made[1], first]
    assert [e["kind"] for e in desk.get(f"/api/tracks/{bus}").json()["effects"]] == [
        "limiter",
        "filter",
        "compressor",
        "reverb",
    ]

    assert desk.delete(f"/api/tracks/{bus}/effects/{made[0]}").status_code == 204
    assert_problem(desk.get(f"/api/tracks/{bus}/effects/{made[0]}"), 404, "effect")
    render(offline, 0.05)
    assert [e["id"] for e in desk.get(f"/api/tracks/{bus}/effects").json()] == [made[2], made[1], first]


def test_effects_on_the_main_track_and_on_a_send_track(desk, offline):
    reverb = desk.post("/api/sends").json()["id"]
    bus = desk.post("/api/tracks", json={"sends": {reverb: 0}}).json()["id"]
    on_send = desk.post(f"/api/sends/{reverb}/effects", json={"kind": "volume_control", "volume": -12})
    assert on_send.status_code == 201 and on_send.json()["track"] == reverb
    on_main = desk.post("/api/tracks/main/effects", json={"kind": "panning_control", "panning": -1})
    assert on_main.status_code == 201 and on_main.json()["track"] == "main"
    render(offline, 0.05)
    desk.post("/api/sounds/flat.wav/play", json={"track": bus, "loop": True, "volume": -20})
    render(offline, 0.1)

    send_level = LEVEL * amplitude(-20) * amplitude(-12)
    assert peak(desk, f"/api/sends/{reverb}") == pytest.approx([send_level] * 2, rel=1e-4)
    # The main track pans the sum hard left: the left channel gets sqrt(2) of it, the right nothing.
    total = LEVEL * amplitude(-20) + send_level
    out = offline.runtime.manager.render(256).astype(np.float64)
    np.testing.assert_allclose(out[:, 0], total * np.sqrt(2), rtol=1e-4)
    np.testing.assert_allclose(out[:, 1], 0.0, atol=1e-7)

    assert [e["id"] for e in desk.get(f"/api/sends/{reverb}/effects").json()] == [on_send.json()["id"]]
    assert desk.get(f"/api/sends/{reverb}").json()["effects"][0]["values"] == {"volume": -12.0}
    changed = desk.patch(f"/api/sends/{reverb}/effects/{on_send.json()['id']}", json={"volume": -6})
    assert changed.status_code == 200
    # An effect is reached through its own track only.
    assert_problem(desk.get(f"/api/tracks/main/effects/{on_send.json()['id']}"), 404, "effect")
    assert_problem(desk.get(f"/api/sends/{reverb}/effects/{on_main.json()['id']}"), 404, "effect")
    assert desk.delete(f"/api/sends/{reverb}/effects/{on_send.json()['id']}").status_code == 204


def test_a_delay_holds_its_feedback_effects_and_fixed_settings(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    body = {
        "kind": "delay",
        "delay_time": 0.25,
        "feedback": -12,
        "max_delay_time": 1,
        "feedback_effects": [{"kind": "filter", "cutoff": 2000}, {"kind": "eq_filter", "shape": "high_shelf"}],
    }
    answer = desk.post(f"/api/tracks/{bus}/effects", json=body)
    assert answer.status_code == 201, answer.text
    delay = answer.json()
    assert delay["settings"] == {"max_delay_time": 1.0}
    assert [(f["kind"], f["choices"]) for f in delay["feedback_effects"]] == [
        ("filter", {"mode": "low_pass"}),
        ("eq_filter", {"shape": "high_shelf"}),
    ]
    assert delay["feedback_effects"][0]["values"]["cutoff"] == 2000.0
    assert_problem(desk.patch(f"/api/tracks/{bus}/effects/{delay['id']}", json={"delay_time": 2}), 422, "delay_time")
    assert desk.patch(f"/api/tracks/{bus}/effects/{delay['id']}", json={"delay_time": 0.5}).status_code == 200


def test_a_parameter_can_follow_a_modulator(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    tweener = desk.post("/api/modulators", json={"type": "tweener", "value": 0}).json()["id"]
    follow = {"modulator": tweener, "input_range": [0, 1], "output_range": [200, 2000]}
    fx = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "filter", "cutoff": follow})
    assert fx.status_code == 201, fx.text
    render(offline, 0.05)
    fx_id = fx.json()["id"]
    assert desk.get(f"/api/tracks/{bus}/effects/{fx_id}").json()["values"]["cutoff"] == pytest.approx(200.0)
    desk.patch(f"/api/modulators/{tweener}", json={"value": 1, "tween": {"duration": 0}})
    render(offline, 0.05)
    assert desk.get(f"/api/tracks/{bus}/effects/{fx_id}").json()["values"]["cutoff"] == pytest.approx(2000.0)
    missing = {"modulator": "mod-9-9", "output_range": [200, 2000]}
    assert_problem(desk.patch(f"/api/tracks/{bus}/effects/{fx_id}", json={"cutoff": missing}), 422, "cutoff.modulator")
    # A refused change leaves what the parameter follows as it was.
    assert desk.get(f"/api/tracks/{bus}/effects/{fx_id}").json()["follows"] == {"cutoff": tweener}
    desk.delete(f"/api/modulators/{tweener}")


def test_removing_a_track_takes_its_effects_with_it(desk, offline):
    bus = desk.post("/api/tracks").json()["id"]
    fx = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "reverb"}).json()["id"]
    assert desk.delete(f"/api/tracks/{bus}", params={"fade": 0}).status_code == 204
    assert_problem(desk.get(f"/api/tracks/{bus}/effects/{fx}"), 404, "id")
    render(offline, 0.1)
    assert offline.runtime.effects.get(fx) is None


BAD_ADDS = [
    ({"kind": "chorus"}, "kind"),
    ({}, "kind"),
    ({"kind": 3}, "kind"),
    ({"kind": "filter", "cutoff": 5}, "cutoff"),
    ({"kind": "filter", "cutoff": "high"}, "cutoff"),
    ({"kind": "filter", "mode": "low_shelf"}, "mode"),
    ({"kind": "filter", "shape": "bell"}, "shape"),
    ({"kind": "eq_filter", "gain": 30}, "gain"),
    ({"kind": "eq_filter", "kind_of": "bell"}, "kind_of"),
    ({"kind": "volume_control", "volume": 99}, "volume"),
    ({"kind": "volume_control", "index": -1}, "index"),
    ({"kind": "volume_control", "bypassed": 1}, "bypassed"),
    ({"kind": "delay", "max_delay_time": 61}, "max_delay_time"),
    ({"kind": "delay", "max_delay_time": 1, "delay_time": 2}, "delay_time"),
    ({"kind": "delay", "feedback_effects": [{"kind": "delay"}]}, "feedback_effects.kind"),
    ({"kind": "delay", "feedback_effects": [{"kind": "filter", "cutoff": 1}]}, "feedback_effects.cutoff"),
    ({"kind": "delay", "feedback_effects": [{"kind": "filter", "index": 0}]}, "feedback_effects.index"),
    ({"kind": "limiter", "lookahead": 0.5}, "lookahead"),
    ({"kind": "compressor", "ratio": {"modulator": "mod-9-9"}}, "ratio.modulator"),
    ({"kind": "filter", "feedback_effects": []}, "feedback_effects"),
]


@pytest.mark.parametrize(("body", "field"), BAD_ADDS)
def test_a_bad_effect_is_a_4xx_naming_the_field(desk, body, field):
    assert_problem(desk.post("/api/tracks/main/effects", json=body), 422, field)


BAD_PATCHES = [
    ({"cutoff": 10}, "cutoff"),  # not a volume control's
    ({"volume": 99}, "volume"),
    ({"volume": -200}, "volume"),
    ({"mode": "low_pass"}, "mode"),
    ({"index": -1}, "index"),
    ({"bypassed": "yes"}, "bypassed"),
    ({"volume": -6, "tween": {"duration": -1}}, "tween.duration"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("body", "field"), BAD_PATCHES)
def test_a_bad_patch_is_a_422_naming_the_field_and_changes_nothing(desk, offline, body, field):
    bus = desk.post("/api/tracks").json()["id"]
    fx = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "volume_control", "volume": -3}).json()["id"]
    patch = {"bypassed": True, "volume": -9, **body}  # good changes beside the bad one, which must not happen
    assert_problem(desk.patch(f"/api/tracks/{bus}/effects/{fx}", json=patch), 422, field)
    render(offline, 0.05)
    effect = desk.get(f"/api/tracks/{bus}/effects/{fx}").json()
    assert (effect["values"], effect["bypassed"]) == ({"volume": -3.0}, False)


def test_a_filter_takes_only_its_own_modes(desk):
    bus = desk.post("/api/tracks").json()["id"]
    fx = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "filter"}).json()["id"]
    assert_problem(desk.patch(f"/api/tracks/{bus}/effects/{fx}", json={"mode": "soft_clip"}), 422, "mode")
    assert_problem(desk.patch(f"/api/tracks/{bus}/effects/{fx}", json={"shape": "bell"}), 422, "shape")
    distortion = desk.post(f"/api/tracks/{bus}/effects", json={"kind": "distortion", "mode": "soft_clip"}).json()
    assert distortion["choices"] == {"mode": "soft_clip"}
    answer = desk.patch(f"/api/tracks/{bus}/effects/{distortion['id']}", json={"mode": "hard_clip", "drive": 12})
    assert answer.status_code == 200 and answer.json()["choices"] == {"mode": "hard_clip"}


def test_unknown_tracks_and_effects_are_404s_naming_the_field(desk):
    assert_problem(desk.get("/api/tracks/track-99-1/effects"), 404, "id")
    assert_problem(desk.post("/api/tracks/track-99-1/effects", json={"kind": "reverb"}), 404, "id")
    assert_problem(desk.post("/api/sends/send-9-9/effects", json={"kind": "reverb"}), 404, "id")
    reverb = desk.post("/api/sends").json()["id"]
    assert_problem(desk.get(f"/api/tracks/{reverb}/effects"), 404, "id")  # a send track's are under /api/sends
    for path in ("/api/tracks/main/effects/fx-99-1", "/api/tracks/main/effects/nonsense"):
        assert_problem(desk.get(path), 404, "effect")
        assert_problem(desk.patch(path, json={"bypassed": True}), 404, "effect")
        assert_problem(desk.delete(path), 404, "effect")


def test_a_full_effect_arena_is_a_409_naming_its_setting(make_server):
    server = make_server(max_effects=2)
    with server.http() as http:
        for _ in range(2):
            assert http.post("/api/tracks/main/effects", json={"kind": "volume_control"}).status_code == 201
        full = assert_problem(http.post("/api/tracks/main/effects", json={"kind": "volume_control"}), 409)
        assert "MIXDECK_MAX_EFFECTS" in full["detail"]


def test_a_patch_too_big_for_the_command_queue_is_a_503_that_changes_nothing(make_server):
    server = make_server(output="offline", command_capacity=4)
    with server.http() as http:
        render(server, 0.02)
        fx = http.post("/api/tracks/main/effects", json={"kind": "filter"}).json()["id"]
        render(server, 0.02)
        for change in ({"cutoff": 500}, {"resonance": 0.5}):
            assert http.patch(f"/api/tracks/main/effects/{fx}", json=change).status_code == 200
        answer = http.patch(f"/api/tracks/main/effects/{fx}", json={"cutoff": 300, "bypassed": True, "index": 0})
        assert_problem(answer, 503)
        render(server, 0.05)
        effect = http.get(f"/api/tracks/main/effects/{fx}").json()
        assert (effect["values"]["cutoff"], effect["bypassed"]) == (500.0, False)


def test_the_effect_kinds_list_every_kind_with_its_parameters_choices_and_settings(http):
    kinds = {k["kind"]: k for k in http.get("/api/effect-kinds").json()}
    assert list(kinds) == list(BUILDERS)
    cutoff = next(p for p in kinds["filter"]["parameters"] if p["name"] == "cutoff")
    assert (cutoff["unit"], cutoff["low"], cutoff["high"], cutoff["scale"]) == ("Hz", 20.0, 20000.0, "log")
    assert kinds["filter"]["choices"] == [
        {"name": "mode", "options": ["low_pass", "band_pass", "high_pass", "notch"], "default": "low_pass"}
    ]
    assert kinds["eq_filter"]["choices"][0]["name"] == "shape"
    assert kinds["distortion"]["choices"][0]["name"] == "mode"
    assert [s["name"] for s in kinds["delay"]["settings"]] == ["max_delay_time"]
    assert kinds["delay"]["feedback_effects"] is True and kinds["reverb"]["feedback_effects"] is False
    # The same parameters are in the engine's one table, which /api/parameters lists.
    listed = {f"{p['group']}.{p['name']}" for p in http.get("/api/parameters").json()}
    assert {f"{kind}.{p.name}" for kind, b in BUILDERS.items() for p in b.SPECS} <= listed
    assert listed == set(spec.SPECS)


def test_the_websocket_methods_match_the_routes(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            bus = (await rpc.call("tracks.add", {}))["id"]
            fx = await rpc.call("effects.add", {"id": bus, "kind": "filter", "cutoff": 800, "mode": "band_pass"})
            assert (fx["track"], fx["choices"]) == (bus, {"mode": "band_pass"})
            limiter = await rpc.call("effects.add", {"id": bus, "kind": "limiter", "index": 0})
            assert (await rpc.call("effects.get", {"id": bus, "effect": fx["id"]}))["kind"] == "filter"
            changed = await rpc.call(
                "effects.set", {"id": bus, "effect": fx["id"], "cutoff": 400, "tween": {"duration": 0.05}}
            )
            assert changed["id"] == fx["id"]
            listed = await rpc.call("effects.list", {"id": bus})
            assert {e["id"] for e in listed} == {fx["id"], limiter["id"]}

            send = (await rpc.call("sends.add", {}))["id"]
            on_send = await rpc.call("send_effects.add", {"id": send, "kind": "reverb", "mix": 1})
            assert (await rpc.call("send_effects.list", {"id": send}))[0]["id"] == on_send["id"]
            assert (await rpc.call("send_effects.get", {"id": send, "effect": on_send["id"]}))["track"] == send
            await rpc.call("send_effects.set", {"id": send, "effect": on_send["id"], "bypassed": True})
            assert await rpc.call("send_effects.remove", {"id": send, "effect": on_send["id"]}) is None

            kinds = await rpc.call("effect_kinds.list")
            assert [k["kind"] for k in kinds] == list(BUILDERS)

            bad = await rpc.call("effects.add", {"id": bus, "kind": "filter", "cutoff": 5}, raw=True)
            assert bad["error"]["code"] == -32602 and bad["error"]["data"]["errors"][0]["field"] == "cutoff"
            unknown = await rpc.call("effects.add", {"id": bus, "kind": "flanger"}, raw=True)
            assert unknown["error"]["data"]["errors"][0]["field"] == "kind"
            missing = await rpc.call("effects.get", {"id": bus, "effect": "fx-99-1"}, raw=True)
            assert missing["error"]["code"] == -32404 and missing["error"]["data"]["errors"][0]["field"] == "effect"

            await rpc.call("subscribe", {"topics": ["tracks"]})

            def shows_chain(note):
                if note["method"] != "tracks":
                    return False
                track = next((t for t in note["params"]["main"]["tracks"] if t["id"] == bus), None)
                return track is not None and [e["id"] for e in track["effects"]] == [limiter["id"], fx["id"]]

            note = await rpc.note(shows_chain)
            shown = next(t for t in note["params"]["main"]["tracks"] if t["id"] == bus)["effects"]
            assert shown[1]["kind"] == "filter" and shown[1]["position"] == 1
            assert await rpc.call("effects.remove", {"id": bus, "effect": fx["id"]}) is None
            await rpc.call("tracks.remove", {"id": bus, "fade": 0})
            await rpc.call("sends.remove", {"id": send})

    run(scenario())


def test_the_schema_declares_the_effect_routes_and_links_them(http):
    paths = http.get("/openapi.json").json()["paths"]
    add = paths["/api/tracks/{id}/effects"]["post"]
    assert add["operationId"] == "effects_add" and {"404", "409", "422", "503"} <= set(add["responses"])
    links = add["responses"]["201"]["links"]
    assert set(links) == {"effects_get", "effects_set", "effects_remove"}
    assert links["effects_get"]["parameters"] == {"id": "$request.path.id", "effect": "$response.body#/id"}
    made = paths["/api/tracks"]["post"]["responses"]["201"]["links"]
    assert {"effects_list", "effects_add"} <= set(made) and "effects_get" not in made
    assert {op["operationId"] for op in paths["/api/sends/{id}/effects/{effect}"].values()} == {
        "send_effects_get",
        "send_effects_set",
        "send_effects_remove",
    }
