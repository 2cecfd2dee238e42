"""A playback rate in semitones, wherever a rate is taken: play, a voice's PATCH, fixed or following a modulator."""

from __future__ import annotations

import pytest

from tests.service.support import assert_problem, render, write_wav

RATE = 48000


@pytest.fixture
def offline(make_server, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    write_wav(media / "tone.wav", seconds=4)
    return make_server(media_dir=media, output="offline")


def rate_of(http, voice: str) -> float:
    return http.get(f"/api/voices/{voice}").json()["playback_rate"]


def test_semitones_are_a_rate_at_play_and_in_a_patch(offline):
    with offline.http() as http:
        down = http.post("/api/sounds/tone.wav/play", json={"playback_rate": {"semitones": -12}})
        assert down.status_code == 201, down.text
        voice = down.json()["id"]
        render(offline, 0.05)
        assert rate_of(http, voice) == pytest.approx(0.5)
        assert http.patch(f"/api/voices/{voice}", json={"playback_rate": {"semitones": 19}}).status_code == 200
        render(offline, 0.05)
        assert rate_of(http, voice) == pytest.approx(2 ** (19 / 12))
        assert http.patch(f"/api/voices/{voice}", json={"playback_rate": 1.5}).status_code == 200  # a factor still
        render(offline, 0.05)
        assert rate_of(http, voice) == pytest.approx(1.5)


def test_a_rate_in_semitones_can_follow_a_modulator(offline):
    with offline.http() as http:
        tweener = http.post("/api/modulators", json={"type": "tweener", "value": 0}).json()["id"]
        follow = {"semitones": {"modulator": tweener, "input_range": [0, 1], "output_range": [0, 7]}}
        voice = http.post("/api/sounds/tone.wav/play", json={"playback_rate": follow}).json()["id"]
        render(offline, 0.05)
        assert rate_of(http, voice) == pytest.approx(1.0)
        http.patch(f"/api/modulators/{tweener}", json={"value": 1, "tween": {"duration": 0}})
        render(offline, 0.05)
        assert rate_of(http, voice) == pytest.approx(2 ** (7 / 12))


@pytest.mark.parametrize(
    ("rate", "status", "field"),
    [
        ({"semitones": 73}, 422, "playback_rate.semitones"),
        ({"semitones": -73}, 422, "playback_rate.semitones"),
        ({"semitones": "12"}, 422, "playback_rate.semitones"),
        ({"semitones": True}, 422, "playback_rate.semitones"),
        ({"semitones": 1, "factor": 2}, 422, "playback_rate.factor"),
        ({"semitones": {"modulator": "mod-9-9"}}, 422, "playback_rate.semitones.modulator"),
    ],
)
def test_a_bad_rate_in_semitones_names_its_field_and_changes_nothing(offline, rate, status, field):
    with offline.http() as http:
        assert_problem(http.post("/api/sounds/tone.wav/play", json={"playback_rate": rate}), status, field)
        voice = http.post("/api/sounds/tone.wav/play", json={"playback_rate": {"semitones": 24}}).json()["id"]
        render(offline, 0.05)
        assert_problem(http.patch(f"/api/voices/{voice}", json={"playback_rate": rate, "volume": -6}), status, field)
        render(offline, 0.05)
        now = http.get(f"/api/voices/{voice}").json()
        assert (now["playback_rate"], now["volume"]) == (pytest.approx(4.0), 0.0)
