"""The scene view: add a listener and a spatial track from the panel, hear
its level, drag it away and move it with the keys, and turn the listener;
each change read back through REST, as any client sees it."""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from tests.web.panel_support import wait_until

pytestmark = pytest.mark.browser

BLANK = '<!doctype html><title>scene</title><link rel="icon" href="data:,">'


def level(dot) -> float:
    """The level (dB) the scene shows on a dot."""
    return float(dot.get_attribute("data-level"))


def wait_for_level(page, track_id: str, test: str) -> None:
    """Wait until the level (dB) of `track_id`'s row satisfies `test`, a JS expression of `db`."""
    page.wait_for_function(
        f"""(id) => {{
          const meter = document.querySelector(`#scene-list .scene-track[data-id="${{id}}"] [role=meter]`);
          if (!meter) return false;
          const db = Number(meter.getAttribute('aria-valuenow'));
          return {test};
        }}""",
        arg=track_id,
    )


def spatial(service, track_id: str) -> dict:
    with service.http() as http:
        answer = http.get(f"/api/spatial-tracks/{track_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()["spatial"]


@pytest.fixture
def noisy_scene(page, service, open_panel):
    """The panel with a listener and, three metres from it, a spatial track playing the built-in noise."""
    open_panel(page, service)
    page.get_by_role("button", name="Add listener").click()
    expect(page.locator("#scene-view .listener")).to_have_count(1)
    scene = page.locator("#scene")
    scene.get_by_label("Sound").select_option(label="noise.wav")
    scene.get_by_label("Max (m)").fill("20")
    scene.get_by_role("button", name="Add spatial track").click()
    dot = page.locator("#scene-view .emitter")
    expect(dot).to_have_count(1)
    track_id = dot.get_attribute("data-id")
    # The track plays near the listener: it is loud.
    wait_for_level(page, track_id, "db > -30")
    return dot, track_id


def test_dragging_an_emitter_away_lets_its_meter_fall_and_moves_it_in_the_service(page, service, noisy_scene, shot):
    dot, track_id = noisy_scene
    with service.http() as http:
        [voice] = http.get("/api/voices").json()
        [listener] = http.get("/api/listeners").json()
    assert voice["track"] == track_id and listener["tracks"] == [track_id]
    start = spatial(service, track_id)
    assert start["distance"] == pytest.approx(3.0, abs=0.01)
    loud = float(page.locator(f'#scene-list [data-id="{track_id}"] [role=meter]').get_attribute("aria-valuenow"))
    shot(page.locator("#scene"), "near")

    box = dot.locator(".core").bounding_box()
    view = page.locator("#scene-view").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    # To the view's top right corner: about 34 m from the listener, past the track's 20 m.
    target = (view["x"] + view["width"] * 0.96, view["y"] + view["height"] * 0.04)
    page.mouse.move(*target, steps=25)
    page.mouse.up()

    wait_for_level(page, track_id, "db <= -59")
    moved = wait_until(lambda: (s := spatial(service, track_id))["distance"] > 30 and s)
    assert moved["position"][0] > 20 and moved["position"][2] < -20
    assert moved["listener"] == listener["id"]
    assert float(dot.get_attribute("data-x")) == pytest.approx(moved["position"][0], abs=0.01)
    assert level(dot) < loud
    shot(page.locator("#scene"), "far")


def test_arrow_keys_move_the_focused_emitter(page, service, noisy_scene):
    dot, track_id = noisy_scene
    before = spatial(service, track_id)["position"]
    dot.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")

    want = [before[0] + 2.0, before[1], before[2] - 5.0]
    after = wait_until(lambda: (p := spatial(service, track_id)["position"]) == pytest.approx(want, abs=1e-6) and p)
    assert after == pytest.approx(want, abs=1e-6)
    expect(dot).to_be_focused()
    page.keyboard.press("ArrowDown")
    wait_until(lambda: spatial(service, track_id)["position"][2] == pytest.approx(want[2] + 0.5, abs=1e-6))


def test_the_facing_slider_turns_the_listener_and_the_arrow(page, service, noisy_scene):
    page.locator("#scene").get_by_label("Facing (°)").fill("90")
    with service.http() as http:
        turned = wait_until(
            lambda: (ear := http.get("/api/listeners").json()[0])["orientation"]["yaw"] == pytest.approx(90) and ear
        )
    assert turned["orientation"]["quaternion"] == pytest.approx([0, math.sqrt(0.5), 0, math.sqrt(0.5)])
    expect(page.locator("#scene-view .listener")).to_have_attribute("data-yaw", "90")


def test_removing_a_spatial_track_takes_it_from_the_scene_and_the_service(page, service, noisy_scene):
    _dot, track_id = noisy_scene
    page.locator("#scene-list").get_by_role("button", name="Remove noise.wav").click()
    expect(page.locator("#scene-view .emitter")).to_have_count(0)
    with service.http() as http:
        wait_until(lambda: http.get(f"/api/spatial-tracks/{track_id}").status_code == 404)
        assert http.get("/api/voices").json() == []


def test_a_spatial_track_added_without_a_listener_brings_one(page, service, open_panel):
    open_panel(page, service)
    scene = page.locator("#scene")
    expect(scene.get_by_text("No spatial tracks yet.")).to_be_visible()
    scene.get_by_role("button", name="Add spatial track").click()
    expect(page.locator("#scene-view .emitter")).to_have_count(1)
    expect(page.locator("#scene-view .listener")).to_have_count(1)
    with service.http() as http:
        [track] = http.get("/api/spatial-tracks").json()
        [listener] = http.get("/api/listeners").json()
    assert track["spatial"]["listener"] == listener["id"]
    assert track["spatial"]["distances"] == {"min": 1.0, "max": 20.0}
    expect(scene.locator(".scene-name")).to_have_text(re.compile(r"^Emitter \d+$"))


def test_the_scene_store_keeps_the_levels_of_spatial_tracks_only(page, service):
    # A blank page on the panel's origin: its modules load from there, and nothing runs them.
    page.route(f"{service.url}/blank", lambda route: route.fulfill(body=BLANK, content_type="text/html"))
    page.goto(f"{service.url}/blank")
    result = page.evaluate(
        """async () => {
          const { createSceneStore } = await import('/scene-store.js');
          const scene = createSceneStore();
          let changes = 0;
          scene.on(() => { changes += 1; });
          const place = (id) => ({ id, listener: 'listener-0-1', position: [1, 0, 0], distance: 1, distances: { min: 1, max: 9 } });
          scene.receive('spatial', { listeners: [{ id: 'listener-0-1' }], tracks: [place('track-2-1')] });
          const meters = (p) => ({ peak: [p, p / 2], rms: [0, 0] });
          const bus = { id: 'track-1-1', spatial: null, meters: meters(0.9), tracks: [
            { id: 'track-2-1', spatial: { listener: 'listener-0-1' }, meters: meters(0.5), tracks: [] },
          ] };
          scene.receive('tracks', { main: { id: 'main', spatial: null, meters: meters(1), tracks: [bus] }, sends: [] });
          const before = [scene.peak('track-2-1'), scene.peak('track-1-1'), [...scene.state.meters.keys()]];
          scene.receive('spatial', { listeners: [], tracks: [] });
          return { before, after: [scene.peak('track-2-1'), scene.state.meters.size], changes };
        }"""
    )
    assert result["before"] == [0.5, 0, ["track-2-1"]]
    assert result["after"] == [0, 0]
    assert result["changes"] == 3
