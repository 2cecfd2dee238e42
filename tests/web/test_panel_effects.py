"""Effect racks in the panel: effects added from a strip's menu, turned,
bypassed, reordered by dragging and from the keyboard, and removed, each read
back through REST; and the frequency response the panel draws for a filter or
an EQ band, checked against the engine's own filter measured here."""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from mixdeck.engine.effect import EqFilterBuilder, FilterBuilder
from tests.engine.effects.harness import RATE, build, run
from tests.web.mixer_support import LOUDEST, add_sub_track, get, play_on, strip
from tests.web.panel_support import wait_until

# The mix these tests build names its tracks by slot (Track 1, Track 2): the service is emptied between
# tests down to its slots, and a new Thing takes the lowest free slot.
pytestmark = [pytest.mark.browser]


def chain(service, track_id: str) -> list[dict]:
    answer = get(service, f"/api/tracks/{track_id}/effects")
    assert answer.status_code == 200, answer.text
    return answer.json()


def add_effect(page, track_id: str, kind_label: str) -> str:
    """Add an effect from a strip's rack menu; the new effect's id (the editor opens on it)."""
    rack = strip(page, track_id).locator(".rack")
    before = set(rack.locator(".rack-slot").evaluate_all("els => els.map(e => e.dataset.id)"))
    rack.locator(".rack-add summary").click()
    rack.locator(".rack-menu").get_by_role("button", name=re.compile(f"^Add {kind_label} to ")).click()
    slots = rack.locator(".rack-slot")
    expect(slots).to_have_count(len(before) + 1)
    (new,) = set(slots.evaluate_all("els => els.map(e => e.dataset.id)")) - before
    expect(page.locator("#effect-editor")).to_have_attribute("data-effect", new)
    return new


def level(page, track_id: str) -> float:
    return strip(page, track_id).evaluate(LOUDEST)


@pytest.fixture
def noisy_bus(page, service, open_panel):
    """The panel with a sub track, the noise looping on it; the track's id."""
    open_panel(page, service)
    bus = add_sub_track(page)
    play_on(page, service, "noise.wav", "Track 1")
    handle = strip(page, bus).element_handle()
    page.wait_for_function(f"s => ({LOUDEST})(s) > -30", arg=handle)
    return bus


def test_a_low_pass_turned_down_on_a_bus_makes_its_meter_fall(page, service, noisy_bus, shot):
    bus = noisy_bus
    before = level(page, bus)
    fx = add_effect(page, bus, "Filter")
    (effect,) = chain(service, bus)
    assert (effect["id"], effect["kind"], effect["choices"]) == (fx, "filter", {"mode": "low_pass"})
    editor = page.locator("#effect-editor")
    expect(editor.get_by_role("heading")).to_have_text("Filter on Track 1")

    cutoff = page.get_by_role("slider", name="Cutoff of Filter on Track 1")
    expect(cutoff).to_have_attribute("aria-valuetext", "1.00 kHz")
    # Dragged down it closes; the drawn curve follows at once.
    box = cutoff.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x, y + step * 10)
    page.mouse.up()
    wait_until(lambda: chain(service, bus)[0]["values"]["cutoff"] < 100)
    # Home is the bottom of its travel.
    cutoff.focus()
    page.keyboard.press("Home")
    expect(cutoff).to_have_attribute("aria-valuetext", "20 Hz")
    wait_until(lambda: chain(service, bus)[0]["values"]["cutoff"] == 20.0)
    curve = editor.locator(".response-curve")
    expect(curve).to_have_attribute("aria-label", "Frequency response of Filter on Track 1")
    assert float(curve.get_attribute("data-high-db")) < -60

    handle = strip(page, bus).element_handle()
    page.wait_for_function(f"s => ({LOUDEST})(s) < {before - 20}", arg=handle)
    desk = page.locator("#mixer")
    desk.scroll_into_view_if_needed()
    shot(desk, "low-pass")


def test_effects_reorder_by_dragging_and_from_the_keyboard(page, service, open_panel):
    open_panel(page, service)
    bus = add_sub_track(page)
    first = add_effect(page, bus, "Filter")
    second = add_effect(page, bus, "Reverb")
    wait_until(lambda: [e["id"] for e in chain(service, bus)] == [first, second])

    slots = strip(page, bus).locator(".rack-slot")
    slots.nth(1).drag_to(slots.nth(0))
    wait_until(lambda: [e["id"] for e in chain(service, bus)] == [second, first])
    expect(slots.nth(0)).to_have_attribute("data-id", second)

    # Alt+Up moves the slot that has the keyboard, which keeps it.
    name = page.get_by_role("button", name="Edit Filter (Low-pass) on Track 1")
    name.focus()
    page.keyboard.press("Alt+ArrowUp")
    wait_until(lambda: [e["id"] for e in chain(service, bus)] == [first, second])
    expect(slots.nth(0)).to_have_attribute("data-id", first)
    expect(name).to_be_focused()
    assert [e["position"] for e in chain(service, bus)] == [0, 1]

    # And the editor's buttons move the effect it shows.
    name.click()
    page.get_by_role("button", name="Move Filter on Track 1 later in the chain").click()
    wait_until(lambda: [e["id"] for e in chain(service, bus)] == [second, first])
    expect(page.locator("#effect-editor")).to_have_attribute("data-position", "1")


def test_bypass_reads_back_and_flattens_the_drawn_curve(page, service, open_panel):
    open_panel(page, service)
    bus = add_sub_track(page)
    fx = add_effect(page, bus, "EQ")
    page.get_by_role("slider", name="Gain of EQ on Track 1").focus()
    page.keyboard.press("End")
    wait_until(lambda: chain(service, bus)[0]["values"]["gain"] == 24.0)
    curve = page.locator("#effect-editor .response-curve")
    expect(curve).not_to_have_attribute("data-peak-db", "0.00")
    assert abs(float(curve.get_attribute("data-peak-db")) - 24.0) < 0.5

    light = strip(page, bus).get_by_role("button", name="Bypass EQ on Track 1")
    light.click()
    expect(light).to_have_attribute("aria-pressed", "true")
    wait_until(lambda: get(service, f"/api/tracks/{bus}/effects/{fx}").json()["bypassed"] is True)
    expect(strip(page, bus).locator(f'.rack-slot[data-id="{fx}"]')).to_have_attribute("data-bypassed", "true")
    editor_bypass = page.locator("#effect-editor").get_by_role("button", name="Bypass EQ on Track 1")
    expect(editor_bypass).to_have_attribute("aria-pressed", "true")
    expect(curve).to_have_attribute("data-peak-db", "0.00")

    editor_bypass.click()
    wait_until(lambda: get(service, f"/api/tracks/{bus}/effects/{fx}").json()["bypassed"] is False)
    expect(light).to_have_attribute("aria-pressed", "false")


def test_a_choice_and_a_removal_reach_the_engine(page, service, open_panel):
    open_panel(page, service)
    bus = add_sub_track(page)
    fx = add_effect(page, bus, "Filter")
    page.get_by_label("Mode of Filter on Track 1").select_option("high_pass")
    wait_until(lambda: chain(service, bus)[0]["choices"] == {"mode": "high_pass"})
    expect(page.get_by_role("button", name="Edit Filter (High-pass) on Track 1")).to_be_visible()

    remove = page.get_by_role("button", name="Remove Filter from Track 1")
    remove.focus()
    page.keyboard.press("Enter")
    expect(strip(page, bus).locator(".rack-slot")).to_have_count(0)
    expect(page.locator("#effect-editor")).to_be_hidden()
    assert chain(service, bus) == []
    assert get(service, f"/api/tracks/{bus}/effects/{fx}").status_code == 404
    # The keyboard lands on the rack's menu, where another effect can be added.
    expect(strip(page, bus).locator(".rack-add summary")).to_be_focused()

    # Escape closes the editor, and the keyboard goes back to the rack it was opened from.
    add_effect(page, bus, "Delay")
    page.get_by_role("slider", name="Time of Delay on Track 1").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#effect-editor")).to_be_hidden()
    expect(strip(page, bus).locator(".rack-add summary")).to_be_focused()
    expect(page.get_by_role("button", name="Edit Delay on Track 1")).to_have_attribute("aria-expanded", "false")


def test_a_parameter_that_follows_the_distance_says_so_until_the_knob_is_turned(page, service, open_panel):
    with service.http() as http:
        listener = http.post("/api/listeners", json={}).json()["id"]
        track = http.post("/api/spatial-tracks", json={"listener": listener, "position": [0, 0, -15]}).json()["id"]
        follow = {"listener_distance": True, "input_range": [0, 30], "output_range": [20000, 800]}
        added = http.post(f"/api/tracks/{track}/effects", json={"kind": "filter", "cutoff": follow})
        assert added.status_code == 201, added.text
    open_panel(page, service)
    page.get_by_role("button", name="Edit Filter (Low-pass) on Track 1").click()
    knob = page.locator('#effect-editor .knob[data-name="cutoff"]')
    expect(knob.locator(".knob-follows")).to_have_text("follows distance")
    expect(knob).to_have_class(re.compile(r"\bmodulated\b"))
    expect(page.locator('#effect-editor .knob[data-name="resonance"] .knob-follows')).to_be_hidden()
    cutoff = page.get_by_role("slider", name="Cutoff of Filter on Track 1")
    expect(cutoff).to_have_attribute("aria-description", "follows the listener distance")
    # Halfway out of the mapping's 30 m, the cutoff is halfway down it.
    expect(cutoff).to_have_attribute("aria-valuetext", "10.4 kHz")
    # Turned by hand, it holds still where it was put.
    cutoff.focus()
    page.keyboard.press("Home")
    wait_until(lambda: chain(service, track)[0]["follows"] == {})
    expect(knob.locator(".knob-follows")).to_be_hidden()
    expect(knob).not_to_have_class(re.compile(r"\bmodulated\b"))
    wait_until(lambda: chain(service, track)[0]["values"]["cutoff"] == 20.0)


def test_a_send_track_and_the_main_track_take_effects_too(page, service, open_panel):
    open_panel(page, service)
    page.get_by_role("button", name="Add send track").click()
    send = page.locator("#mixer-desk .channel-strip[data-kind=send]")
    expect(send).to_have_count(1)
    send_id = send.get_attribute("data-id")
    fx = add_effect(page, send_id, "Reverb")
    wait_until(lambda: [e["id"] for e in get(service, f"/api/sends/{send_id}/effects").json()] == [fx])
    page.get_by_role("slider", name="Mix of Reverb on Send A").focus()
    page.keyboard.press("End")
    wait_until(lambda: get(service, f"/api/sends/{send_id}/effects/{fx}").json()["values"]["mix"] == 1.0)

    limiter = add_effect(page, "main", "Limiter")
    assert [e["id"] for e in chain(service, "main")] == [limiter]
    expect(page.locator("#effect-editor")).to_contain_text("Fixed when added — Lookahead: 0.005 s")


# ---- the drawn response against the engine ---------------------------------------

FREQUENCIES = np.geomspace(20.0, 20_000.0, 20)
CASES = [
    ("filter", {"mode": "low_pass"}, {"cutoff": 800.0, "resonance": 0.0, "mix": 1.0}),
    ("filter", {"mode": "low_pass"}, {"cutoff": 12_000.0, "resonance": 1.0, "mix": 1.0}),
    ("filter", {"mode": "high_pass"}, {"cutoff": 200.0, "resonance": 0.5, "mix": 1.0}),
    ("filter", {"mode": "band_pass"}, {"cutoff": 2_000.0, "resonance": 0.8, "mix": 1.0}),
    ("filter", {"mode": "notch"}, {"cutoff": 1_000.0, "resonance": 0.2, "mix": 1.0}),
    ("filter", {"mode": "low_pass"}, {"cutoff": 300.0, "resonance": 0.3, "mix": 0.5}),
    ("eq_filter", {"shape": "bell"}, {"frequency": 1_000.0, "gain": 9.0, "q": 2.0, "mix": 1.0}),
    ("eq_filter", {"shape": "bell"}, {"frequency": 5_000.0, "gain": -18.0, "q": 0.5, "mix": 1.0}),
    ("eq_filter", {"shape": "low_shelf"}, {"frequency": 150.0, "gain": 6.0, "q": 0.707, "mix": 1.0}),
    ("eq_filter", {"shape": "high_shelf"}, {"frequency": 6_000.0, "gain": -12.0, "q": 1.5, "mix": 1.0}),
]


def engine_response_db(kind: str, choices: dict, values: dict) -> np.ndarray:
    """The engine's filter, measured: |H| in dB at FREQUENCIES from its impulse response."""
    if kind == "filter":
        builder = FilterBuilder(mode=choices["mode"], **values)
    else:
        builder = EqFilterBuilder(kind=choices["shape"], **values)
    frames = 1 << 17
    impulse = np.zeros((2, frames), dtype=np.float32)
    impulse[:, 0] = 1.0
    response = run(build(builder), impulse, builder=builder)[0].astype(np.float64)
    n = np.arange(frames)
    h = np.exp(-2j * np.pi * np.outer(FREQUENCIES, n) / RATE) @ response
    return 20 * np.log10(np.maximum(np.abs(h), 1e-12))


@pytest.mark.parametrize(("kind", "choices", "values"), CASES)
def test_the_drawn_response_is_the_engines_within_a_tenth_of_a_db(blank, kind, choices, values):
    drawn = blank.evaluate(
        """async ([effect, frequencies, rate]) => {
          const { responseDb } = await import('/effects.js');
          return responseDb(effect, frequencies, rate);
        }""",
        [{"kind": kind, "choices": choices, "values": values, "bypassed": False}, FREQUENCIES.tolist(), RATE],
    )
    measured = engine_response_db(kind, choices, values)
    deep = measured < -80  # float32 output: only as deep is asked there
    drawn = np.asarray(drawn)
    assert np.all(drawn[deep] < -70)
    error = np.abs(drawn - measured)[~deep]
    assert error.max() <= 0.1, f"{error.max():.4f} dB off at {FREQUENCIES[~deep][error.argmax()]:.0f} Hz"
