"""The panel's controls take their ranges, steps, scales and units from
GET /api/parameters, the engine's one table, not from numbers of their own."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from tests.web.panel_support import upload, wait_until

pytestmark = pytest.mark.browser


def parameters(service) -> dict[str, dict]:
    with service.http() as http:
        answer = http.get("/api/parameters")
    assert answer.status_code == 200, answer.text
    return {f"{p['group']}.{p['name']}": p for p in answer.json()}


def voice_state(service, voice_id):
    with service.http() as http:
        return http.get(f"/api/voices/{voice_id}").json()


def attributes(locator) -> tuple[float, float, str]:
    return (
        float(locator.get_attribute("min")),
        float(locator.get_attribute("max")),
        locator.get_attribute("step"),
    )


def test_voice_sliders_travel_the_tables_ui_range(page, service, playing_voice):
    table = parameters(service)
    volume, panning = table["sound.volume"], table["sound.panning"]
    assert attributes(playing_voice.locator("input[name=volume]")) == (
        volume["ui_low"],
        volume["ui_high"],
        str(volume["step"]),
    )
    assert attributes(playing_voice.locator("input[name=panning]")) == (
        panning["ui_low"],
        panning["ui_high"],
        str(panning["step"]),
    )
    # The labels say the units the table gives.
    expect(playing_voice.locator(".slider label").nth(0)).to_have_text("Volume (dB)")
    expect(playing_voice.locator(".slider label").nth(1)).to_have_text("Panning")
    expect(playing_voice.locator(".slider label").nth(2)).to_have_text("Playback rate (×)")
    fader = page.locator("#main-fader")
    assert attributes(fader)[:2] == (volume["ui_low"], volume["ui_high"])


def test_play_settings_accept_what_the_engine_accepts(page, service, open_panel, tone_wav):
    table = parameters(service)
    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = page.locator(f'#sound-list .sound[data-id="{sound["id"]}"]')
    row.locator("summary", has_text="Settings").click()
    for name, label in (("volume", "Volume (dB)"), ("panning", "Panning"), ("playback_rate", "Playback rate (×)")):
        spec = table[f"sound.{name}"]
        field = row.get_by_label(label, exact=True)
        expect(field).to_be_enabled()
        assert float(field.get_attribute("min")) == spec["low"]
        assert float(field.get_attribute("max")) == spec["high"]
        assert float(field.input_value()) == spec["default"]


def test_rate_slider_is_logarithmic_over_the_ui_range(page, service, playing_voice):
    rate = parameters(service)["sound.playback_rate"]
    assert rate["scale"] == "log"
    voice_id = playing_voice.get_attribute("data-id")
    slider = playing_voice.locator("input[name=playback_rate]")
    readout = playing_voice.locator(".slider output").nth(2)

    slider.focus()
    page.keyboard.press("End")
    wait_until(lambda: abs(voice_state(service, voice_id)["playback_rate"] - rate["ui_high"]) < 1e-6)
    expect(readout).to_have_text(f"{rate['ui_high']:.2f}×")
    page.keyboard.press("Home")
    wait_until(lambda: abs(voice_state(service, voice_id)["playback_rate"] - rate["ui_low"]) < 1e-6)
    expect(slider).to_have_attribute("aria-valuetext", f"{rate['ui_low']:.2f}×")

    # Half way along a log scale is the geometric mean: 1 for 0.25..4, not the 2.125 of a linear one.
    middle = (float(slider.get_attribute("min")) + float(slider.get_attribute("max"))) / 2
    slider.evaluate(
        "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }", middle
    )
    mean = math.sqrt(rate["ui_low"] * rate["ui_high"])
    wait_until(lambda: abs(voice_state(service, voice_id)["playback_rate"] - mean) < rate["step"])


def test_controls_follow_whatever_the_table_says(page, service, open_panel, tone_wav):
    """The same panel against a table with other ranges: every control moves with it."""
    table = parameters(service)
    changed = dict(table)
    changed["sound.volume"] = {
        **table["sound.volume"],
        "low": -90.0,
        "high": 18.0,
        "ui_low": -30.0,
        "ui_high": 6.0,
        "step": 1.0,
    }
    changed["sound.playback_rate"] = {**table["sound.playback_rate"], "ui_low": 0.5, "ui_high": 2.0}
    page.route("**/api/parameters", lambda route: route.fulfill(json=list(changed.values())))

    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = page.locator(f'#sound-list .sound[data-id="{sound["id"]}"]')
    row.locator("summary", has_text="Settings").click()
    volume = row.get_by_label("Volume (dB)", exact=True)
    expect(volume).to_have_attribute("max", "18")
    expect(volume).to_have_attribute("min", "-90")
    row.get_by_label("Loop").check()
    row.get_by_role("button", name="Play").click()
    voice = page.locator("#voice-list .voice").first
    slider = voice.locator("input[name=volume]")
    expect(slider).to_have_attribute("min", "-30")
    expect(slider).to_have_attribute("max", "6")
    expect(slider).to_have_attribute("step", "1")
    expect(page.locator("#main-fader")).to_have_attribute("max", "6")

    voice_id = voice.get_attribute("data-id")
    rate = voice.locator("input[name=playback_rate]")
    rate.focus()
    page.keyboard.press("End")
    wait_until(lambda: abs(voice_state(service, voice_id)["playback_rate"] - 2.0) < 1e-6)
