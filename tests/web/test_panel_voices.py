"""Voices: a played sound shows up live, answers its controls and leaves when stopped."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.panel_support import wait_until

pytestmark = pytest.mark.browser

LOUDEST_PEAK = """() => Math.max(...[...document.querySelectorAll('#main-track [role=meter]')]
  .map(m => Number(m.getAttribute('aria-valuenow'))))"""


def voice_state(service, voice_id):
    with service.http() as http:
        return http.get(f"/api/voices/{voice_id}").json()


def test_played_voice_moves_and_the_meter_rises(page, playing_voice, shot):
    bar = playing_voice.locator(".position")
    before = bar.get_attribute("aria-valuenow")
    expect(bar).not_to_have_attribute("aria-valuenow", before)
    width = bar.locator(".fill").evaluate("el => el.style.width")
    expect(bar.locator(".fill")).not_to_have_attribute("style", f"width: {width};")
    # The tone peaks at half scale (about -6 dBFS); silence reads -60.
    page.wait_for_function(f"() => ({LOUDEST_PEAK})() > -30")
    shot(page, "playing", full_page=True)


def test_volume_slider_drag_reaches_the_engine(page, service, playing_voice):
    voice_id = playing_voice.get_attribute("data-id")
    slider = playing_voice.locator("input[name=volume]")
    slider.scroll_into_view_if_needed()
    with service.http() as http:
        volume = next(p for p in http.get("/api/parameters").json() if (p["group"], p["name"]) == ("sound", "volume"))
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    start = box["x"] + box["width"] * (-volume["ui_low"] / (volume["ui_high"] - volume["ui_low"]))  # 0 dB
    page.mouse.move(start, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(start - step * box["width"] * 0.04, y)
    page.mouse.up()
    wanted = float(slider.input_value())
    assert wanted < -20
    wait_until(lambda: abs(voice_state(service, voice_id)["volume"] - wanted) < 0.01)


def test_volume_slider_answers_arrow_keys(page, service, playing_voice):
    voice_id = playing_voice.get_attribute("data-id")
    slider = playing_voice.locator("input[name=volume]")
    slider.focus()
    for _ in range(6):
        page.keyboard.press("ArrowLeft")
    assert float(slider.input_value()) == -3.0
    wait_until(lambda: abs(voice_state(service, voice_id)["volume"] + 3.0) < 0.01)


def test_pause_then_click_on_the_bar_seeks(page, service, playing_voice):
    voice_id = playing_voice.get_attribute("data-id")
    playing_voice.get_by_role("button", name="Pause desk-tone.wav").click()
    expect(playing_voice).to_have_attribute("data-state", "paused")
    bar = playing_voice.locator(".position")
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    bar.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    wait_until(lambda: abs(voice_state(service, voice_id)["position"] - 1.5) < 0.05)
    page.wait_for_function(
        "el => Math.abs(Number(el.getAttribute('aria-valuenow')) - 1.5) < 0.05", arg=bar.element_handle()
    )
    playing_voice.get_by_role("button", name="Resume desk-tone.wav").click()
    expect(playing_voice).to_have_attribute("data-state", "playing")


def test_lfo_attaches_to_volume_and_detaches(page, service, playing_voice):
    voice_id = playing_voice.get_attribute("data-id")
    playing_voice.locator(".lfo summary").click()
    playing_voice.get_by_label("Frequency (Hz)").fill("4")
    playing_voice.get_by_role("button", name="Attach LFO").click()
    expect(playing_voice.get_by_role("button", name="Detach LFO")).to_be_visible()
    with service.http() as http:
        modulators = http.get("/api/modulators").json()
    assert [m["type"] for m in modulators] == ["lfo"]
    seen = set()

    def sample() -> bool:
        seen.add(round(voice_state(service, voice_id)["volume"], 1))
        return len(seen) >= 3

    wait_until(sample)

    playing_voice.get_by_role("button", name="Detach LFO").click()
    expect(playing_voice.get_by_role("button", name="Attach LFO")).to_be_visible()
    with service.http() as http:
        wait_until(lambda: http.get("/api/modulators").json() == [])


def test_stopped_voice_leaves(page, service, playing_voice, shot):
    voice_id = playing_voice.get_attribute("data-id")
    playing_voice.get_by_role("button", name="Stop desk-tone.wav").click()
    expect(page.locator("#voice-list .voice")).to_have_count(0)
    expect(page.locator("#voices .empty")).to_be_visible()
    with service.http() as http:
        wait_until(lambda: http.get(f"/api/voices/{voice_id}").status_code == 404)
    shot(page, "stopped")
