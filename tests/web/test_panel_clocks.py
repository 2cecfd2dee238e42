"""Clocks: add, start and watch the counter; play a sound on the next beat;
and listen to the monitor stream."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.panel_support import upload, wait_until

pytestmark = pytest.mark.browser


def test_added_clock_counts_when_started(page, service, open_panel, shot):
    open_panel(page, service)
    page.get_by_label("Speed (BPM)").fill("600")
    page.get_by_role("button", name="Add clock").click()
    clock = page.locator("#clock-list .clock").first
    expect(clock).to_have_attribute("data-ticking", "false")

    clock.get_by_role("button", name="Start").click()
    expect(clock).to_have_attribute("data-ticking", "true")
    expect(clock).not_to_have_attribute("data-ticks", "0")
    first = clock.get_attribute("data-ticks")
    expect(clock).not_to_have_attribute("data-ticks", first)
    shot(page, "clock")

    clock.get_by_role("button", name="Stop").click()
    expect(clock).to_have_attribute("data-ticking", "false")


def test_play_on_next_beat_starts_on_the_clock(page, service, open_panel, tone_wav):
    sound = upload(service, tone_wav)
    with service.http() as http:
        clock = http.post("/api/clocks", json={"speed": {"ticks_per_minute": 300}, "start": True}).json()
    open_panel(page, service)
    row = page.locator(f'#sound-list .sound[data-id="{sound["id"]}"]')
    row.locator("summary", has_text="Settings").click()
    beat = row.get_by_label("Start on beat")
    expect(beat.locator(f'option[value="{clock["id"]}"]')).to_have_count(1)
    beat.select_option(clock["id"])
    expect(row.get_by_label("Start delay (s)")).to_be_disabled()
    row.get_by_role("button", name="Play desk-tone.wav").click()
    voice = page.locator("#voice-list .voice").first
    expect(voice).to_be_visible()
    voice_id = voice.get_attribute("data-id")
    with service.http() as http:
        wait_until(lambda: (v := http.get(f"/api/voices/{voice_id}")).status_code == 404 or v.json()["position"] > 0)


def test_listen_plays_the_monitor_stream(page, service, open_panel):
    open_panel(page, service)
    listen = page.get_by_role("button", name="Listen", exact=True)
    listen.click()
    expect(listen).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => Number(document.getElementById('listen').dataset.blocks || 0) > 5")
    listen.click()
    expect(listen).to_have_attribute("aria-pressed", "false")
