"""Listeners and spatial tracks over REST and WebSocket, and the `spatial` topic.

Levels are checked on the offline output, which renders only when a test
asks, so a meter reads exactly what the blocks rendered so far put through
it. The WebSocket and topic tests run on the null output in real time.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import websockets

from mixdeck.engine.spatial.geometry import from_yaw_pitch_roll
from mixdeck.service.ids import parse_keyed_id
from mixdeck.service.settings import ServiceSettings
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


def listener(desk, **body) -> str:
    answer = desk.post("/api/listeners", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def spatial_track(desk, **body) -> dict:
    answer = desk.post("/api/spatial-tracks", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def peak_of(desk, track: str) -> list[float]:
    return desk.get(f"/api/tracks/{track}").json()["meters"]["peak"]


# ---- listeners ------------------------------------------------------------------------


def test_a_listener_is_added_where_it_is_asked_and_reports_its_orientation_both_ways(desk):
    answer = desk.post("/api/listeners", json={"position": [1, 2, -3], "orientation": {"yaw": 90}})
    assert answer.status_code == 201
    made = answer.json()
    assert parse_keyed_id(made["id"])[0] == "listener"
    assert made["position"] == [1.0, 2.0, -3.0]
    assert made["orientation"]["quaternion"] == pytest.approx(list(from_yaw_pitch_roll(90, 0, 0)))
    assert (made["orientation"]["yaw"], made["orientation"]["pitch"], made["orientation"]["roll"]) == (90, 0, 0)
    assert made["tracks"] == []

    plain = desk.post("/api/listeners").json()
    assert plain["position"] == [0.0, 0.0, 0.0]
    assert plain["orientation"] == {"quaternion": [0.0, 0.0, 0.0, 1.0], "yaw": 0.0, "pitch": 0.0, "roll": 0.0}
    assert [item["id"] for item in desk.get("/api/listeners").json()] == [made["id"], plain["id"]]
    assert desk.get(f"/api/listeners/{made['id']}").json() == made


@pytest.mark.parametrize(("yaw", "pitch", "roll"), [(30, 20, 10), (-135, -45, 170), (179, 89, -60), (0, 0, -90)])
def test_a_quaternion_reads_back_as_the_yaw_pitch_and_roll_that_make_it(desk, yaw, pitch, roll):
    q = from_yaw_pitch_roll(yaw, pitch, roll)
    # Given unnormalised, and as -q (the same turn): both are the same orientation.
    given = [-2 * c for c in q]
    shown = desk.post("/api/listeners", json={"orientation": {"quaternion": given}}).json()["orientation"]
    assert (shown["yaw"], shown["pitch"], shown["roll"]) == pytest.approx((yaw, pitch, roll), abs=1e-6)
    back = from_yaw_pitch_roll(shown["yaw"], shown["pitch"], shown["roll"])
    assert abs(sum(a * b for a, b in zip(back, shown["quaternion"]))) == pytest.approx(1.0)


def test_moving_and_turning_a_listener_glides_over_the_tween(desk, offline):
    ident = listener(desk)
    answer = desk.patch(
        f"/api/listeners/{ident}",
        json={"position": [10, 0, 0], "orientation": {"yaw": 180}, "tween": {"duration": 1.0}},
    )
    assert answer.status_code == 200
    render(offline, 0.5)
    halfway = desk.get(f"/api/listeners/{ident}").json()
    assert 2 < halfway["position"][0] < 8
    assert 30 < halfway["orientation"]["yaw"] < 150
    render(offline, 0.6)
    there = desk.get(f"/api/listeners/{ident}").json()
    assert there["position"] == pytest.approx([10, 0, 0])
    assert abs(there["orientation"]["yaw"]) == pytest.approx(180)

    desk.patch(f"/api/listeners/{ident}", json={"orientation": {"quaternion": [0, 0, 0, 1]}})
    render(offline, 0.05)
    assert desk.get(f"/api/listeners/{ident}").json()["orientation"]["yaw"] == pytest.approx(0, abs=1e-9)


def test_a_listener_patch_that_fails_moves_nothing(desk, offline):
    ident = listener(desk, position=[1, 1, 1])
    answer = desk.patch(f"/api/listeners/{ident}", json={"position": [5, 5, 5], "orientation": {"quaternion": [0] * 4}})
    assert_problem(answer, 422, "orientation.quaternion")
    answer = desk.patch(
        f"/api/listeners/{ident}",
        json={"position": [5, 5, 5], "tween": {"duration": 1, "start_clock": {"clock": "clock-9-9", "ticks": 1}}},
    )
    assert_problem(answer, 422, "tween.start_clock.clock")
    render(offline, 0.05)
    assert desk.get(f"/api/listeners/{ident}").json()["position"] == [1.0, 1.0, 1.0]


def test_removing_a_listener_silences_the_spatial_tracks_that_heard_through_it(desk, offline):
    ident = listener(desk)
    track = spatial_track(desk, listener=ident, position=[0, 0, -0.5], spatialization_strength=0)["id"]
    desk.post("/api/sounds/flat.wav/play", json={"track": track, "loop": True})
    render(offline, 0.1)
    assert peak_of(desk, track) == pytest.approx([LEVEL, LEVEL], rel=1e-4)
    assert desk.get(f"/api/listeners/{ident}").json()["tracks"] == [track]

    assert desk.delete(f"/api/listeners/{ident}").status_code == 204
    assert_problem(desk.get(f"/api/listeners/{ident}"), 404, "id")
    assert_problem(desk.delete(f"/api/listeners/{ident}"), 404, "id")
    render(offline, 0.1)
    spatial = desk.get(f"/api/spatial-tracks/{track}").json()["spatial"]
    assert (spatial["listener"], spatial["distance"]) == (None, None)
    assert (offline.runtime.manager.render(256) == 0).all()
    assert_problem(desk.post("/api/spatial-tracks", json={"listener": ident}), 422, "listener")


# ---- spatial tracks ---------------------------------------------------------------------


def test_a_spatial_track_is_a_sub_track_of_the_tree_with_its_spatial_details(desk):
    ident = listener(desk)
    bus = desk.post("/api/tracks").json()["id"]
    made = spatial_track(
        desk,
        listener=ident,
        parent=bus,
        position=[3, 0, -4],
        distances={"min": 2, "max": 50},
        attenuation={"easing": "in_powi", "power": 3},
        spatialization_strength=0.5,
        doppler=True,
        speed_of_sound=340,
        volume=-3,
        sound_capacity=4,
    )
    assert parse_keyed_id(made["id"])[0] == "track"
    assert (made["kind"], made["parent"], made["volume"], made["sound_capacity"]) == ("sub", bus, -3.0, 4)
    assert made["spatial"] == {
        "listener": ident,
        "position": [3.0, 0.0, -4.0],
        "distance": 5.0,
        "distances": {"min": 2.0, "max": 50.0},
        "attenuation": {"easing": "in_powi", "power": 3.0},
        "spatialization_strength": 0.5,
        "doppler": True,
        "speed_of_sound": 340.0,
    }
    tree = desk.get("/api/tracks").json()["main"]
    assert find(tree, made["id"]) == made
    parent = find(tree, bus)
    assert parent is not None and parent["spatial"] is None and tree["spatial"] is None
    assert desk.get(f"/api/tracks/{made['id']}").json() == made
    assert desk.get("/api/spatial-tracks").json() == [made]
    assert desk.get(f"/api/spatial-tracks/{made['id']}").json() == made
    assert desk.get(f"/api/listeners/{ident}").json()["tracks"] == [made["id"]]

    flat = spatial_track(desk, listener=ident, attenuation=None)
    assert flat["spatial"]["attenuation"] is None and flat["parent"] == "main"
    assert [t["id"] for t in desk.get("/api/spatial-tracks").json()] == [made["id"], flat["id"]]


def test_level_follows_distance_between_min_and_max_along_the_attenuation(desk, offline):
    ident = listener(desk)
    # Straight ahead (-Z) and with no panning, so only distance shapes the level.
    at = {"near": 0.5, "min": 2.0, "middle": 6.0, "far": 12.0}
    tracks = {
        name: spatial_track(
            desk, listener=ident, position=[0, 0, -metres], distances={"min": 2, "max": 10}, spatialization_strength=0
        )["id"]
        for name, metres in at.items()
    }
    unattenuated = spatial_track(desk, listener=ident, position=[0, 0, -50], attenuation=None)["id"]
    for track in (*tracks.values(), unattenuated):
        desk.post("/api/sounds/flat.wav/play", json={"track": track, "loop": True})
    render(offline, 0.1)

    assert peak_of(desk, tracks["near"]) == pytest.approx([LEVEL, LEVEL], rel=1e-4)
    assert peak_of(desk, tracks["min"]) == pytest.approx([LEVEL, LEVEL], rel=1e-4)
    # Halfway from min to max along a linear easing: halfway from 0 dB to silence (-60 dB).
    assert peak_of(desk, tracks["middle"]) == pytest.approx([LEVEL * amplitude(-30)] * 2, rel=1e-3)
    assert peak_of(desk, tracks["far"]) == [0.0, 0.0]
    assert peak_of(desk, unattenuated)[0] > LEVEL * 0.5


def test_direction_pans_a_track_as_strongly_as_its_strength_and_turning_the_listener_swaps_sides(desk, offline):
    ahead = listener(desk)
    behind = listener(desk, orientation={"yaw": 180})
    right = {"position": [0.5, 0, 0], "distances": {"min": 1, "max": 10}}  # within the min distance: full level
    heard = {
        "ahead": spatial_track(desk, listener=ahead, spatialization_strength=1, **right)["id"],
        "behind": spatial_track(desk, listener=behind, spatialization_strength=1, **right)["id"],
        "centred": spatial_track(desk, listener=ahead, spatialization_strength=0, **right)["id"],
    }
    for track in heard.values():
        desk.post("/api/sounds/flat.wav/play", json={"track": track, "loop": True})
    render(offline, 0.1)

    left, right_level = peak_of(desk, heard["ahead"])
    assert left == pytest.approx(0, abs=1e-6) and right_level > LEVEL
    assert peak_of(desk, heard["behind"]) == pytest.approx([right_level, left], abs=1e-6)
    assert peak_of(desk, heard["centred"]) == pytest.approx([LEVEL, LEVEL], rel=1e-4)


def test_a_spatial_track_moves_over_the_tween_and_its_level_falls_as_it_goes(desk, offline):
    ident = listener(desk)
    track = spatial_track(
        desk, listener=ident, position=[0, 0, -1], distances={"min": 1, "max": 20}, spatialization_strength=0
    )["id"]
    desk.post("/api/sounds/flat.wav/play", json={"track": track, "loop": True})
    render(offline, 0.1)
    near = peak_of(desk, track)[0]

    answer = desk.patch(f"/api/spatial-tracks/{track}", json={"position": [0, 0, -40], "tween": {"duration": 1.0}})
    assert answer.status_code == 200
    render(offline, 0.5)
    moving = desk.get(f"/api/spatial-tracks/{track}").json()["spatial"]
    assert -30 < moving["position"][2] < -10
    assert moving["distance"] == pytest.approx(-moving["position"][2])
    render(offline, 1.0)
    arrived = desk.get(f"/api/spatial-tracks/{track}").json()
    assert arrived["spatial"]["position"] == pytest.approx([0, 0, -40])
    assert arrived["spatial"]["distance"] == pytest.approx(40)
    assert near == pytest.approx(LEVEL, rel=1e-4) and arrived["meters"]["rms"][0] < near * amplitude(-20)
    assert (offline.runtime.manager.render(256) == 0).all()


def test_an_effect_on_a_spatial_track_follows_the_listener_distance_through_its_mapping(desk, offline):
    ident = listener(desk)
    track = spatial_track(desk, listener=ident, position=[0, 0, -5], distances={"min": 1, "max": 100})["id"]
    # A low-pass that closes as the emitter goes: 20 kHz at 0 m down to 500 Hz at 50 m and beyond.
    cutoff = {"listener_distance": True, "input_range": [0, 50], "output_range": [20000, 500]}
    added = desk.post(f"/api/tracks/{track}/effects", json={"kind": "filter", "cutoff": cutoff})
    assert added.status_code == 201, added.text
    effect = added.json()["id"]
    assert added.json()["follows"] == {"cutoff": "listener_distance"}
    render(offline, 0.1)

    def live_cutoff() -> float:
        return desk.get(f"/api/tracks/{track}/effects/{effect}").json()["values"]["cutoff"]

    assert live_cutoff() == pytest.approx(20000 + (500 - 20000) * 5 / 50)
    desk.patch(f"/api/spatial-tracks/{track}", json={"position": [0, 0, -30], "tween": {"duration": 0}})
    render(offline, 0.1)
    assert live_cutoff() == pytest.approx(20000 + (500 - 20000) * 30 / 50)
    desk.patch(f"/api/spatial-tracks/{track}", json={"position": [0, 0, -80], "tween": {"duration": 0}})
    render(offline, 0.1)
    assert live_cutoff() == pytest.approx(500)  # the mapping clamps, as Kira's
    # A PATCH may hand the parameter to the distance too, with a mapping of its own (the default input
    # range is 0 to 100 m).
    answer = desk.patch(
        f"/api/tracks/{track}/effects/{effect}",
        json={"resonance": {"listener_distance": True, "output_range": [0, 1]}, "tween": {"duration": 0}},
    )
    assert answer.status_code == 200, answer.text
    render(offline, 0.1)
    assert desk.get(f"/api/tracks/{track}/effects/{effect}").json()["values"]["resonance"] == pytest.approx(0.8)
    # A number makes a parameter hold still again.
    answer = desk.patch(f"/api/tracks/{track}/effects/{effect}", json={"cutoff": 2000, "tween": {"duration": 0}})
    assert answer.json()["follows"] == {"resonance": "listener_distance"}


def test_only_an_effect_on_a_spatial_track_may_follow_the_listener_distance(desk):
    distance = {"listener_distance": True, "output_range": [20000, 500]}
    sub = desk.post("/api/tracks", json={}).json()["id"]
    for path in (f"/api/tracks/{sub}/effects", "/api/tracks/main/effects"):
        assert_problem(desk.post(path, json={"kind": "filter", "cutoff": distance}), 422, "cutoff.listener_distance")
    sound = desk.get("/api/sounds").json()[0]["id"]
    played = desk.post(
        f"/api/sounds/{sound}/play", json={"volume": {"listener_distance": True, "output_range": [0, -20]}}
    )
    assert_problem(played, 422, "volume.listener_distance")
    # Inside a delay's loop there is no track to measure from either.
    ident = listener(desk)
    track = spatial_track(desk, listener=ident, position=[0, 0, -5])["id"]
    body = {"kind": "delay", "feedback_effects": [{"kind": "filter", "cutoff": distance}]}
    assert_problem(
        desk.post(f"/api/tracks/{track}/effects", json=body), 422, "feedback_effects.cutoff.listener_distance"
    )
    # A mapped value follows one thing: a modulator or the distance.
    both = {"listener_distance": True, "modulator": "mod-0-1"}
    assert_problem(
        desk.post(f"/api/tracks/{track}/effects", json={"kind": "filter", "cutoff": both}), 422, "cutoff.modulator"
    )
    neither = {"output_range": [20000, 500]}
    assert_problem(
        desk.post(f"/api/tracks/{track}/effects", json={"kind": "filter", "cutoff": neither}), 422, "cutoff.modulator"
    )


def test_a_spatial_track_patch_changes_its_mixer_fields_and_strength_together(desk, offline):
    ident = listener(desk)
    reverb = desk.post("/api/sends").json()["id"]
    track = spatial_track(desk, listener=ident, position=[2, 0, 0], spatialization_strength=1)["id"]
    answer = desk.patch(
        f"/api/spatial-tracks/{track}",
        json={
            "volume": -6,
            "muted": True,
            "sends": {reverb: -12},
            "spatialization_strength": 0.25,
            "position": [0, 0, 3],
        },
    )
    assert answer.status_code == 200
    assert answer.json()["spatial"]["spatialization_strength"] == 0.25
    render(offline, 0.05)
    shown = desk.get(f"/api/tracks/{track}").json()
    assert (shown["volume"], shown["muted"], shown["sends"]) == (-6.0, True, {reverb: -12.0})
    assert shown["spatial"]["position"] == [0.0, 0.0, 3.0]

    tweener = desk.post("/api/modulators", json={"type": "tweener", "value": 0}).json()["id"]
    follow = {"modulator": tweener, "input_range": [-1, 1], "output_range": [0, 1]}
    answer = desk.patch(f"/api/spatial-tracks/{track}", json={"spatialization_strength": follow})
    assert answer.status_code == 200
    assert answer.json()["spatial"]["spatialization_strength"]["modulator"] == tweener
    # The tracks routes change it too, as the sub track it is.
    assert desk.patch(f"/api/tracks/{track}", json={"muted": False}).status_code == 200
    desk.delete(f"/api/modulators/{tweener}")
    desk.delete(f"/api/sends/{reverb}", params={"fade": 0})


def test_a_spatial_track_patch_that_fails_changes_nothing(desk, offline):
    ident = listener(desk)
    track = spatial_track(desk, listener=ident, position=[1, 2, 3], volume=-6)["id"]
    failing = [
        ({"position": [9, 9, 9], "volume": -20, "sends": {"send-9-9": -6}}, 422, "sends.send-9-9"),
        (
            {"position": [9, 9, 9], "spatialization_strength": {"modulator": "mod-9-9"}},
            422,
            "spatialization_strength.modulator",
        ),
        ({"position": [9, 9, 9], "spatialization_strength": 1.5}, 422, "spatialization_strength"),
        ({"position": [9, 9], "volume": -20}, 422, "position"),
        (
            {"position": [9, 9, 9], "spatialization_strength": {"modulator": "x", "output_range": [0, 2]}},
            422,
            "spatialization_strength.modulator",
        ),
    ]
    for body, status, field in failing:
        assert_problem(desk.patch(f"/api/spatial-tracks/{track}", json=body), status, field)
    render(offline, 0.05)
    shown = desk.get(f"/api/spatial-tracks/{track}").json()
    assert (shown["volume"], shown["spatial"]["position"]) == (-6.0, [1.0, 2.0, 3.0])


def test_a_spatial_patch_too_big_for_the_command_queue_is_a_503_that_changes_nothing(make_server):
    server = make_server(output="offline", command_capacity=4)
    with server.http() as http:
        ident = http.post("/api/listeners").json()["id"]
        render(server, 0.02)
        track = http.post("/api/spatial-tracks", json={"listener": ident, "position": [1, 0, 0]}).json()["id"]
        render(server, 0.02)
        for change in ({"volume": -3}, {"panning": 0.5}, {"muted": True}):
            assert http.patch(f"/api/tracks/{track}", json=change).status_code == 200
        answer = http.patch(f"/api/spatial-tracks/{track}", json={"position": [5, 0, 0], "spatialization_strength": 0})
        assert_problem(answer, 503)
        assert answer.headers["retry-after"] == "1"
        answer = http.patch(f"/api/listeners/{ident}", json={"position": [5, 0, 0], "orientation": {"yaw": 9}})
        assert_problem(answer, 503)
        render(server, 0.05)
        assert http.get(f"/api/spatial-tracks/{track}").json()["spatial"]["position"] == [1.0, 0.0, 0.0]
        assert http.get(f"/api/listeners/{ident}").json()["position"] == [0.0, 0.0, 0.0]


def test_removing_a_spatial_track_fades_it_out_and_takes_it_from_the_tree(desk, offline):
    ident = listener(desk)
    first, second = (spatial_track(desk, listener=ident)["id"] for _ in range(2))
    voice = desk.post("/api/sounds/flat.wav/play", json={"track": first, "loop": True}).json()["id"]
    assert desk.delete(f"/api/spatial-tracks/{first}", params={"fade": 0.05}).status_code == 204
    assert_problem(desk.get(f"/api/spatial-tracks/{first}"), 404, "id")
    assert_problem(desk.get(f"/api/tracks/{first}"), 404, "id")
    render(offline, 0.1)
    assert_problem(desk.get(f"/api/voices/{voice}"), 404, "id")
    # The tracks route removes one as well: it is a sub track.
    assert desk.delete(f"/api/tracks/{second}", params={"fade": 0}).status_code == 204
    assert desk.get("/api/spatial-tracks").json() == []
    assert desk.get(f"/api/listeners/{ident}").json()["tracks"] == []


def test_a_sub_track_or_the_main_track_is_not_a_spatial_track(desk):
    bus = desk.post("/api/tracks").json()["id"]
    for ident in (bus, "main", "track-99-1", "listener-0-1", "nonsense"):
        assert_problem(desk.get(f"/api/spatial-tracks/{ident}"), 404, "id")
        assert_problem(desk.patch(f"/api/spatial-tracks/{ident}", json={"position": [0, 0, 0]}), 404, "id")
        assert_problem(desk.delete(f"/api/spatial-tracks/{ident}"), 404, "id")
    assert desk.get(f"/api/tracks/{bus}").status_code == 200
    for path in ("/api/listeners/listener-99-1", "/api/listeners/track-1-1"):
        assert_problem(desk.get(path), 404, "id")
        assert_problem(desk.patch(path, json={"position": [0, 0, 0]}), 404, "id")
        assert_problem(desk.delete(path), 404, "id")


def test_unknown_ids_in_a_spatial_track_body_are_422s_naming_the_field(desk):
    ident = listener(desk)
    cases = [
        ({"listener": "listener-9-9"}, "listener"),
        ({"listener": ident, "parent": "track-99-1"}, "parent"),
        ({"listener": ident, "sends": {"send-9-9": -6}}, "sends.send-9-9"),
        ({"listener": ident, "spatialization_strength": {"modulator": "mod-9-9"}}, "spatialization_strength.modulator"),
    ]
    for body, field in cases:
        assert_problem(desk.post("/api/spatial-tracks", json=body), 422, field)
    assert desk.get("/api/spatial-tracks").json() == []


BAD_BODIES = [
    ("post", "/api/listeners", {"position": [1, 2]}, "position"),
    ("post", "/api/listeners", {"position": [1, 2, 3, 4]}, "position"),
    ("post", "/api/listeners", {"position": [0, "up", 0]}, "position"),
    ("post", "/api/listeners", {"position": [0, 1e9, 0]}, "position"),
    ("post", "/api/listeners", {"position": {"x": 0}}, "position"),
    ("post", "/api/listeners", {"orientation": {"quaternion": [0, 0, 0, 0]}}, "orientation.quaternion"),
    ("post", "/api/listeners", {"orientation": {"quaternion": [0, 0, 1]}}, "orientation.quaternion"),
    ("post", "/api/listeners", {"orientation": {"quaternion": [0, 0, 0, 1], "yaw": 9}}, "orientation.quaternion"),
    ("post", "/api/listeners", {"orientation": {}}, "orientation.quaternion"),
    ("post", "/api/listeners", {"orientation": {"yaw": 361}}, "orientation.yaw"),
    ("post", "/api/listeners", {"orientation": {"pitch": True}}, "orientation.pitch"),
    ("post", "/api/listeners", {"orientation": [0, 0, 0, 1]}, "orientation"),
    ("post", "/api/listeners", {"height": 2}, "height"),
    ("post", "/api/spatial-tracks", {}, "listener"),
    ("post", "/api/spatial-tracks", {"listener": "l", "distances": {"min": 5, "max": 5}}, "distances.max"),
    ("post", "/api/spatial-tracks", {"listener": "l", "distances": {"min": -1}}, "distances.min"),
    ("post", "/api/spatial-tracks", {"listener": "l", "attenuation": {"easing": "wobbly"}}, "attenuation.easing"),
    (
        "post",
        "/api/spatial-tracks",
        {"listener": "l", "attenuation": {"easing": "in_powi", "power": 1.5}},
        "attenuation.power",
    ),
    ("post", "/api/spatial-tracks", {"listener": "l", "spatialization_strength": -0.1}, "spatialization_strength"),
    ("post", "/api/spatial-tracks", {"listener": "l", "doppler": "yes"}, "doppler"),
    ("post", "/api/spatial-tracks", {"listener": "l", "speed_of_sound": 0}, "speed_of_sound"),
    ("post", "/api/spatial-tracks", {"listener": "l", "volume": 99}, "volume"),
    ("post", "/api/spatial-tracks", {"listener": "l", "orientation": {"yaw": 0}}, "orientation"),
    ("post", "/api/spatial-tracks", {"listener": 4}, "listener"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_BODIES)
def test_bad_input_is_a_422_naming_the_field(desk, method, path, body, field):
    assert_problem(desk.request(method, path, json=body), 422, field)


def test_bad_patches_are_422s_naming_the_field(desk):
    ident = listener(desk)
    track = spatial_track(desk, listener=ident)["id"]
    for path, body, field in [
        (f"/api/listeners/{ident}", {"orientation": {"roll": -400}}, "orientation.roll"),
        (f"/api/listeners/{ident}", {"tween": {"duration": -1}}, "tween.duration"),
        (f"/api/spatial-tracks/{track}", {"position": [0, 0]}, "position"),
        (f"/api/spatial-tracks/{track}", {"listener": ident}, "listener"),
        (f"/api/spatial-tracks/{track}", {"distances": {"min": 1, "max": 2}}, "distances"),
        (f"/api/spatial-tracks/{track}", {"spatialization_strength": "full"}, "spatialization_strength"),
    ]:
        assert_problem(desk.patch(path, json=body), 422, field)
    infinite = desk.patch(
        f"/api/listeners/{ident}",
        content=b'{"position": [0, 0, Infinity]}',
        headers={"content-type": "application/json"},
    )
    assert assert_problem(infinite, 422, "position")["errors"][0]["message"] == "must be a finite number"


def test_full_listeners_and_a_full_mixer_are_409s_naming_their_limit(make_server):
    server = make_server(max_listeners=1, max_tracks=1)
    with server.http() as http:
        ident = http.post("/api/listeners").json()["id"]
        assert "MIXDECK_MAX_LISTENERS" in assert_problem(http.post("/api/listeners"), 409)["detail"]
        track = http.post("/api/spatial-tracks", json={"listener": ident}).json()["id"]
        assert (
            "MIXDECK_MAX_TRACKS"
            in assert_problem(http.post("/api/spatial-tracks", json={"listener": ident}), 409)["detail"]
        )
        assert_problem(http.post("/api/tracks"), 409)
        assert http.delete(f"/api/listeners/{ident}").status_code == 204
        wait_until(lambda: http.post("/api/listeners").status_code == 201)
        assert http.delete(f"/api/spatial-tracks/{track}", params={"fade": 0}).status_code == 204


def test_the_listener_limit_is_a_setting():
    assert ServiceSettings.from_env({"MIXDECK_MAX_LISTENERS": "3"}).max_listeners == 3
    assert ServiceSettings.from_env({}).max_listeners == 8
    with pytest.raises(ValueError, match="max_listeners"):
        ServiceSettings.from_env({"MIXDECK_MAX_LISTENERS": "-1"})


def test_a_voice_plays_on_a_spatial_track_up_to_its_sound_capacity(desk):
    ident = listener(desk)
    track = spatial_track(desk, listener=ident, sound_capacity=1)["id"]
    voice = desk.post("/api/sounds/flat.wav/play", json={"track": track, "loop": True})
    assert voice.status_code == 201 and voice.json()["track"] == track
    assert_problem(desk.post("/api/sounds/flat.wav/play", json={"track": track}), 409, "track")


# ---- WebSocket and the spatial topic ----------------------------------------------------------


def test_the_websocket_methods_match_the_routes(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            made = await rpc.call("listeners.add", {"position": [0, 1, 0], "orientation": {"yaw": -90}})
            assert made["orientation"]["yaw"] == -90 and made["position"] == [0.0, 1.0, 0.0]
            assert [item["id"] for item in await rpc.call("listeners.list")] == [made["id"]]
            assert (await rpc.call("listeners.get", {"id": made["id"]}))["id"] == made["id"]
            turned = await rpc.call("listeners.set", {"id": made["id"], "orientation": {"quaternion": [0, 0, 0, 1]}})
            assert turned["id"] == made["id"]

            track = await rpc.call("spatial_tracks.add", {"listener": made["id"], "position": [4, 1, 0]})
            assert (track["spatial"]["listener"], track["spatial"]["distance"]) == (made["id"], 4.0)
            assert [t["id"] for t in await rpc.call("spatial_tracks.list")] == [track["id"]]
            assert (await rpc.call("spatial_tracks.get", {"id": track["id"]}))["id"] == track["id"]
            moved = await rpc.call("spatial_tracks.set", {"id": track["id"], "position": [8, 1, 0], "volume": -6})
            assert moved["id"] == track["id"]
            sound = (await rpc.call("sounds.list"))[0]["id"]
            voice = await rpc.call("sounds.play", {"id": sound, "track": track["id"], "volume": -40})
            assert voice["track"] == track["id"]

            bad = await rpc.call("listeners.add", {"position": [0, 0]}, raw=True)
            assert bad["error"]["code"] == -32602 and bad["error"]["data"]["errors"][0]["field"] == "position"
            bad = await rpc.call(
                "spatial_tracks.add", {"listener": made["id"], "distances": {"min": 3, "max": 1}}, raw=True
            )
            assert bad["error"]["code"] == -32602 and bad["error"]["data"]["errors"][0]["field"] == "distances.max"
            missing = await rpc.call("spatial_tracks.set", {"id": "track-99-1", "position": [0, 0, 0]}, raw=True)
            assert missing["error"]["code"] == -32404 and missing["error"]["data"]["errors"][0]["field"] == "id"
            missing = await rpc.call("spatial_tracks.add", {"listener": "listener-9-9"}, raw=True)
            assert missing["error"]["code"] == -32602 and missing["error"]["data"]["errors"][0]["field"] == "listener"

            assert await rpc.call("spatial_tracks.remove", {"id": track["id"], "fade": 0}) is None
            assert await rpc.call("listeners.remove", {"id": made["id"]}) is None
            gone = await rpc.call("listeners.get", {"id": made["id"]}, raw=True)
            assert gone["error"]["data"]["status"] == 404
            return await rpc.call("spatial_tracks.list")

    assert run(scenario()) == []


def test_the_spatial_topic_carries_listener_and_track_positions(server):
    async def scenario():
        async with websockets.connect(server.ws_url) as ws:
            rpc = Rpc(ws)
            await rpc.call("subscribe", {"topics": ["spatial"]})
            first = await rpc.note(lambda n: n["method"] == "spatial")
            assert set(first["params"]) == {"listeners", "tracks"}
            made = await rpc.call("listeners.add", {"position": [1, 0, 1]})
            track = await rpc.call(
                "spatial_tracks.add",
                {"listener": made["id"], "position": [1, 0, -2], "distances": {"min": 1, "max": 9}},
            )

            def place(note):
                if note["method"] != "spatial":
                    return None
                tracks = {t["id"]: t for t in note["params"]["tracks"]}
                listeners = {item["id"]: item for item in note["params"]["listeners"]}
                return tracks.get(track["id"]), listeners.get(made["id"])

            shown = await rpc.note(lambda n: (p := place(n)) is not None and p[0] is not None)
            where, who = place(shown)
            assert where == {
                "id": track["id"],
                "listener": made["id"],
                "position": [1.0, 0.0, -2.0],
                "distance": 3.0,
                "distances": {"min": 1.0, "max": 9.0},
            }
            assert who["position"] == [1.0, 0.0, 1.0] and who["tracks"] == [track["id"]]

            await rpc.call("spatial_tracks.set", {"id": track["id"], "position": [5, 0, 1], "tween": {"duration": 0.1}})
            await rpc.call("listeners.set", {"id": made["id"], "orientation": {"yaw": 45}})

            def arrived(note):
                p = place(note)
                return (
                    p is not None
                    and p[0] is not None
                    and p[0]["position"] == [5.0, 0.0, 1.0]
                    and abs(p[1]["orientation"]["yaw"] - 45) < 1e-6
                )

            moved = await rpc.note(arrived)
            assert place(moved)[0]["distance"] == pytest.approx(4.0)
            await rpc.call("listeners.remove", {"id": made["id"]})
            orphan = await rpc.note(lambda n: (p := place(n)) is not None and p[1] is None)
            assert (place(orphan)[0]["listener"], place(orphan)[0]["distance"]) == (None, None)
            await rpc.call("spatial_tracks.remove", {"id": track["id"], "fade": 0})
            await rpc.note(lambda n: n["method"] == "spatial" and n["params"]["tracks"] == [])

    run(scenario())


def test_the_schema_declares_the_spatial_routes_and_links_them(http):
    paths = http.get("/openapi.json").json()["paths"]
    assert {op["operationId"] for op in paths["/api/listeners/{id}"].values()} == {
        "listeners_get",
        "listeners_set",
        "listeners_remove",
    }
    assert {op["operationId"] for op in paths["/api/spatial-tracks/{id}"].values()} == {
        "spatial_tracks_get",
        "spatial_tracks_set",
        "spatial_tracks_remove",
    }
    assert paths["/api/spatial-tracks/{id}"]["patch"]["summary"] == "spatial_tracks.set"
    assert set(paths["/api/listeners"]["post"]["responses"]["201"]["links"]) >= {"listeners_get", "listeners_set"}
    assert set(paths["/api/spatial-tracks"]["post"]["responses"]["201"]["links"]) >= {"spatial_tracks_set"}
    assert {"404", "422", "503"} <= set(paths["/api/spatial-tracks/{id}"]["delete"]["responses"])


def test_the_readmes_spatial_commands_run_against_a_service(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    shell = next(b for b in re.findall(r"```sh\n(.*?)```", readme, re.S) if "EARS=$(" in b)
    server = start_server(tmp_path / "media")
    try:
        script = shell.replace("localhost:8000", f"127.0.0.1:{server.port}")
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        with server.http() as http:
            [track] = http.get("/api/spatial-tracks").json()
            [ears] = http.get("/api/listeners").json()
            assert track["spatial"]["listener"] == ears["id"] and ears["tracks"] == [track["id"]]
            [voice] = http.get("/api/voices").json()
            assert voice["track"] == track["id"]
            # Both glides end (in real time, on the null output) where the tour sent them.
            wait_until(
                lambda: http.get(f"/api/spatial-tracks/{track['id']}").json()["spatial"]["position"] == [0, 0, -30]
            )
            wait_until(lambda: abs(http.get(f"/api/listeners/{ears['id']}").json()["orientation"]["yaw"] - 90) < 1e-6)
            # Thirty metres off, the low-pass that follows the distance is at the end of its mapping.
            [effect] = http.get(f"/api/tracks/{track['id']}/effects").json()
            assert effect["kind"] == "filter" and effect["values"]["cutoff"] == pytest.approx(800)
    finally:
        server.stop()
