"""Pressing Play shows its result where the user looks: the sound's row says
it is playing, the new voice comes into view on a laptop and on a phone, a
voice waiting for its start says so, its controls are named after it, and
the keyboard lands somewhere sensible when a voice stops."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.panel_support import upload, wait_until

pytestmark = pytest.mark.browser

FOCUSED = "() => { const el = document.activeElement; return el && (el.getAttribute('aria-label') || el.tagName); }"


def sound_row(page, sound):
    return page.locator(f'#sound-list .sound[data-id="{sound["id"]}"]')


def press_play(row, loop: bool = True, delay: float | None = None) -> None:
    if loop or delay is not None:
        row.locator("summary", has_text="Settings").click()
    if loop:
        row.get_by_label("Loop").check()
    if delay is not None:
        row.get_by_label("Start delay (s)").fill(str(delay))
    row.get_by_role("button", name="Play").click()


def test_play_brings_the_new_voice_into_view_and_marks_the_sound(screen_page, service, open_panel, full_library, shot):
    page = screen_page
    open_panel(page, service)
    row = sound_row(page, full_library)
    expect(page.locator("#sound-list .sound")).to_have_count(24)
    row.scroll_into_view_if_needed()
    voices = page.locator("#voice-list .voice")
    activity = row.locator(".activity")
    # The third voice lands below the fold on a laptop too, the first already on a phone.
    for n in (1, 2, 3):
        if n == 1:
            press_play(row)
        else:
            row.get_by_role("button", name="Play").click()
        expect(voices).to_have_count(n)
        voice = voices.last
        expect(voice).to_have_attribute("data-state", "playing")
        # All of it, give or take the fraction of a pixel a smooth scroll may stop short.
        expect(voice).to_be_in_viewport(ratio=0.99)
        expect(activity).to_have_text(f"{n} playing")
        expect(row).to_have_attribute("data-activity", "playing")
        if n == 1 and page.viewport_size["width"] > 960:
            # A wide screen has room for both: the sound that was played stays in sight.
            expect(activity).to_be_in_viewport()
    shot(page, "after-play")

    for vid in [v.get_attribute("data-id") for v in voices.all()]:
        page.get_by_role("button", name=f"Stop desk-tone.wav ({vid})").click()
    expect(voices).to_have_count(0)
    expect(activity).to_be_hidden()
    expect(row).to_have_attribute("data-activity", "none")


def test_two_voices_are_counted_on_their_sounds_row(page, service, open_panel, tone_wav):
    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = sound_row(page, sound)
    press_play(row)
    row.get_by_role("button", name="Play").click()
    expect(page.locator("#voice-list .voice")).to_have_count(2)
    expect(row.locator(".activity")).to_have_text("2 playing")
    expect(row.locator(".activity")).to_have_attribute("role", "status")


def test_each_voices_controls_are_named_after_the_voice(page, service, open_panel, tone_wav):
    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = sound_row(page, sound)
    press_play(row)
    row.get_by_role("button", name="Play").click()
    voices = page.locator("#voice-list .voice")
    expect(voices).to_have_count(2)
    for voice in voices.all():
        vid = voice.get_attribute("data-id")
        who = f"desk-tone.wav ({vid})"
        for label in ("Volume", "Panning", "Playback rate"):
            expect(page.get_by_role("slider", name=f"{label} of {who}", exact=True)).to_have_count(1)
        expect(page.get_by_role("slider", name=f"Position of {who}", exact=True)).to_have_count(1)
        for verb in ("Pause", "Resume", "Stop"):
            expect(page.get_by_role("button", name=f"{verb} {who}", exact=True)).to_have_count(1)


def test_focus_after_stop_goes_to_the_next_voice_then_to_play(page, service, open_panel, tone_wav):
    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = sound_row(page, sound)
    press_play(row)
    row.get_by_role("button", name="Play").click()
    voices = page.locator("#voice-list .voice")
    expect(voices).to_have_count(2)
    first, second = (v.get_attribute("data-id") for v in voices.all())

    page.get_by_role("button", name=f"Stop desk-tone.wav ({first})").focus()
    page.keyboard.press("Enter")
    expect(voices).to_have_count(1)
    wait_until(lambda: page.evaluate(FOCUSED) == f"Stop desk-tone.wav ({second})")

    page.keyboard.press("Enter")
    expect(voices).to_have_count(0)
    wait_until(lambda: page.evaluate(FOCUSED) == "Play desk-tone.wav")
    # And the keyboard goes on from there: Enter plays the sound again.
    page.keyboard.press("Enter")
    expect(voices).to_have_count(1)
    # Stopped with the mouse, the focus lands in the same place rather than on the page's body.
    voices.first.get_by_role("button", name="Stop").click()
    expect(voices).to_have_count(0)
    wait_until(lambda: page.evaluate(FOCUSED) == "Play desk-tone.wav")


def test_a_delayed_voice_shows_waiting_then_playing(page, service, open_panel, tone_wav, shot):
    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = sound_row(page, sound)
    press_play(row, delay=2.5)
    voice = page.locator("#voice-list .voice").first
    badge = voice.locator(".badge.state")
    expect(voice).to_have_attribute("data-state", "waiting")
    expect(badge).to_have_text("waiting")
    expect(row.locator(".activity")).to_have_text("1 waiting")
    expect(row).to_have_attribute("data-activity", "waiting")
    waiting_colour = badge.evaluate("el => getComputedStyle(el).color")
    waiting_border = badge.evaluate("el => getComputedStyle(el).borderStyle")
    shot(page, "waiting")

    expect(voice).to_have_attribute("data-state", "playing")
    expect(badge).to_have_text("playing")
    expect(row.locator(".activity")).to_have_text("1 playing")
    assert badge.evaluate("el => getComputedStyle(el).color") != waiting_colour
    assert waiting_border == "dashed"
    assert badge.evaluate("el => getComputedStyle(el).borderStyle") != "dashed"
    shot(page, "playing")
