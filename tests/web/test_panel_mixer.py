"""The mixer in the panel: a channel strip per track, built, played on, moved,
muted and taken apart from the browser, each change read back through REST."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.mixer_support import add_sub_track, get, play_on, strip, sub_track_ids, wait_for_level
from tests.web.panel_support import wait_until

# The mix these tests build names its tracks by slot (Track 1, Track 2): the service is emptied between
# tests down to its slots, and a new Thing takes the lowest free slot.
pytestmark = [pytest.mark.browser]


@pytest.fixture
def two_buses(page, service, open_panel):
    """The panel with two sub tracks of the main track added from it, noise playing on the first, tone on the second."""
    open_panel(page, service)
    first = add_sub_track(page)
    second = add_sub_track(page)
    voices = {
        first: play_on(page, service, "noise.wav", "Track 1"),
        second: play_on(page, service, "tone.wav", "Track 2"),
    }
    return first, second, voices


def test_a_two_bus_mix_is_built_in_the_panel(page, service, two_buses, shot):
    first, second, voices = two_buses
    assert (first, second) == ("track-1-1", "track-2-1")
    assert sub_track_ids(service) == [first, second]
    for track_id, voice_id in voices.items():
        assert get(service, f"/api/voices/{voice_id}").json()["track"] == track_id
        expect(strip(page, track_id).locator(".strip-voice")).to_have_attribute("data-voice", voice_id)
        wait_for_level(page, track_id, above=-40)
    expect(strip(page, first).locator(".strip-voice")).to_have_text("noise.wav")
    expect(strip(page, second).locator(".strip-voice")).to_have_text("tone.wav")
    # The main strip comes last, after the buses, and carries both of them.
    strips = page.locator("#mixer-desk .channel-strip")
    expect(strips).to_have_count(3)
    expect(strips.last).to_have_attribute("data-kind", "main")
    wait_for_level(page, "main", above=-40)
    desk = page.locator("#mixer")
    desk.scroll_into_view_if_needed()
    shot(desk, "desk")


def test_a_strips_fader_and_pan_reach_the_engine(page, service, two_buses):
    first, second, _ = two_buses
    fader = page.get_by_label("Volume of Track 2")
    fader.focus()
    for _ in range(12):
        page.keyboard.press("ArrowDown")
    assert float(fader.input_value()) == -6.0
    expect(strip(page, second).locator(".fader-readout")).to_have_text("−6.0 dB")
    wait_until(lambda: abs(get(service, f"/api/tracks/{second}").json()["volume"] + 6.0) < 0.01)

    # A pointer drag moves it too: down the slot is quieter.
    box = fader.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.3)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x, box["y"] + box["height"] * (0.3 + step * 0.05))
    page.mouse.up()
    dragged = float(fader.input_value())
    assert dragged < -20
    wait_until(lambda: abs(get(service, f"/api/tracks/{second}").json()["volume"] - dragged) < 0.01)

    pan = page.get_by_role("slider", name="Panning of Track 1")
    pan.focus()
    page.keyboard.press("PageDown")  # ten steps of 0.01
    page.keyboard.press("ArrowLeft")
    expect(pan).to_have_attribute("aria-valuetext", "L11")
    wait_until(lambda: abs(get(service, f"/api/tracks/{first}").json()["panning"] + 0.11) < 1e-6)
    # The other bus did not move.
    assert get(service, f"/api/tracks/{first}").json()["volume"] == 0.0


def test_muting_a_bus_makes_its_meter_fall_and_leaves_the_other(page, service, two_buses):
    first, second, _ = two_buses
    wait_for_level(page, first, above=-40)
    mute = page.get_by_role("button", name="Mute Track 1")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    wait_until(lambda: get(service, f"/api/tracks/{first}").json()["muted"] is True)
    wait_for_level(page, first, below=-59)
    expect(strip(page, first)).to_have_attribute("data-audible", "false")
    wait_for_level(page, second, above=-40)

    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "false")
    wait_for_level(page, first, above=-40)
    assert get(service, f"/api/tracks/{first}").json()["muted"] is False


def test_soloing_a_bus_silences_the_other(page, service, two_buses):
    first, second, _ = two_buses
    page.get_by_role("button", name="Solo Track 2").click()
    wait_until(lambda: get(service, f"/api/tracks/{second}").json()["soloed"] is True)
    wait_for_level(page, first, below=-59)
    expect(strip(page, first)).to_have_attribute("data-audible", "false")
    expect(strip(page, second)).to_have_attribute("data-audible", "true")
    wait_for_level(page, second, above=-40)


def test_a_send_track_gets_a_strip_and_a_knob_on_each_bus(page, service, open_panel):
    open_panel(page, service)
    bus = add_sub_track(page)
    page.get_by_role("button", name="Add send track").click()
    sends = page.locator("#mixer-desk .channel-strip[data-kind=send]")
    expect(sends).to_have_count(1)
    send_id = sends.get_attribute("data-id")
    # Send strips stand between the buses and the main strip.
    kinds = page.locator("#mixer-desk .channel-strip").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert kinds == ["sub", "send", "main"]

    knob = page.get_by_role("slider", name="Track 1 send to Send A")
    expect(knob).to_have_attribute("aria-valuetext", "–∞ dB")
    knob.focus()
    page.keyboard.press("End")
    wait_until(lambda: get(service, f"/api/tracks/{bus}").json()["sends"].get(send_id) == 12.0)
    for _ in range(4):
        page.keyboard.press("PageDown")  # ten steps of 0.5 dB each
    expect(knob).to_have_attribute("aria-valuetext", "−8.0 dB")
    wait_until(lambda: get(service, f"/api/tracks/{bus}").json()["sends"].get(send_id) == -8.0)

    # A noise on the bus reaches the send track through the route.
    play_on(page, service, "noise.wav", "Track 1")
    wait_for_level(page, send_id, above=-50)

    page.get_by_role("button", name="Remove Send A").click()
    expect(sends).to_have_count(0)
    expect(page.get_by_role("slider", name="Track 1 send to Send A")).to_have_count(0)
    assert get(service, f"/api/sends/{send_id}").status_code == 404
    assert get(service, f"/api/tracks/{bus}").json()["sends"] == {}


def test_removing_a_track_takes_its_sub_tracks_and_the_keyboard_goes_to_the_main_fader(page, service, open_panel):
    open_panel(page, service)
    bus = add_sub_track(page)
    inner = add_sub_track(page, under="Track 1")
    other = add_sub_track(page)
    assert get(service, f"/api/tracks/{inner}").json()["parent"] == bus
    # The sub track stands inside its parent's group, named for where it goes.
    expect(page.locator(f'.strip-group[data-id="{bus}"] .strip-children .channel-strip')).to_have_attribute(
        "data-id", inner
    )
    expect(strip(page, inner).locator(".strip-route")).to_have_text("→ Track 1")
    voice = play_on(page, service, "tone.wav", "Track 2")
    assert get(service, f"/api/voices/{voice}").json()["track"] == inner

    remove = page.get_by_role("button", name="Remove Track 1")
    remove.focus()
    page.keyboard.press("Enter")
    expect(strip(page, bus)).to_have_count(0)
    expect(strip(page, inner)).to_have_count(0)
    expect(strip(page, other)).to_have_count(1)
    expect(page.locator("#main-fader")).to_be_focused()
    assert get(service, f"/api/tracks/{bus}").status_code == 404
    assert get(service, f"/api/tracks/{inner}").status_code == 404
    assert sub_track_ids(service) == [other]
    # The voice on the removed sub track ends with it, and leaves the panel.
    expect(page.locator(f'#voice-list .voice[data-id="{voice}"]')).to_have_count(0)
    # The play form no longer offers the tracks that went.
    options = page.locator("#sound-list .sound").first.locator("select[name=track] option")
    expect(options).to_have_text(["Main", "Track 3"])


def test_the_main_strip_is_a_channel_strip_that_mutes_the_output(page, service, open_panel):
    open_panel(page, service)
    main = strip(page, "main")
    expect(main).to_have_attribute("id", "main-track")
    expect(main.get_by_role("button", name="Solo Main")).to_have_count(0)
    play_on(page, service, "noise.wav", "Main")
    wait_for_level(page, "main", above=-40)
    main.get_by_role("button", name="Mute Main").click()
    wait_for_level(page, "main", below=-59)
    assert get(service, "/api/tracks/main").json()["muted"] is True


def test_a_spatial_track_has_a_strip_like_any_sub_track(page, service, open_panel):
    with service.http() as http:
        listener = http.post("/api/listeners", json={}).json()["id"]
        spatial = http.post("/api/spatial-tracks", json={"listener": listener, "position": [0, 0, -2]}).json()["id"]
    open_panel(page, service)
    expect(strip(page, spatial)).to_have_attribute("data-spatial", "true")
    page.get_by_label(f"Volume of {strip(page, spatial).get_attribute('aria-label')}").focus()
    page.keyboard.press("PageDown")
    wait_until(lambda: get(service, f"/api/tracks/{spatial}").json()["volume"] < -1)
    assert get(service, f"/api/spatial-tracks/{spatial}").json()["spatial"] is not None
