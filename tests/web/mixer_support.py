"""What the mixer's and the effect racks' browser tests share: REST reads,
the desk's strips, and building a mix from the panel the way a user does."""

from __future__ import annotations

from playwright.sync_api import expect

# The loudest channel of a strip's meter, in dB (silence reads -60).
LOUDEST = """strip => Math.max(...[...strip.querySelectorAll('[role=meter]')]
  .map(m => Number(m.getAttribute('aria-valuenow'))))"""


def get(service, path: str):
    with service.http() as http:
        return http.get(path)


def sub_track_ids(service) -> list[str]:
    def walk(track):
        for child in track["tracks"]:
            yield child["id"]
            yield from walk(child)

    return list(walk(get(service, "/api/tracks").json()["main"]))


def sound_id(service, name: str) -> str:
    return next(s["id"] for s in get(service, "/api/sounds").json() if s["name"] == name)


def strip(page, track_id: str):
    return page.locator(f'#mixer-desk .channel-strip[data-id="{track_id}"]')


def add_sub_track(page, under: str = "Main") -> str:
    """Add a sub track from the mixer's toolbar; the new strip's track id."""
    before = set(
        page.locator("#mixer-desk .channel-strip[data-kind=sub]").evaluate_all("els => els.map(e => e.dataset.id)")
    )
    page.locator("#track-parent").select_option(label=under)
    page.get_by_role("button", name="Add sub track").click()
    strips = page.locator("#mixer-desk .channel-strip[data-kind=sub]")
    expect(strips).to_have_count(len(before) + 1)
    (new,) = set(strips.evaluate_all("els => els.map(e => e.dataset.id)")) - before
    return new


def play_on(page, service, sound: str, track_label: str) -> str:
    """Play a built-in sound, looped, on a track chosen in its play form; the voice's id."""
    row = page.locator(f'#sound-list .sound[data-id="{sound_id(service, sound)}"]')
    details = row.locator("details.play-settings")
    if details.get_attribute("open") is None:
        row.locator("summary", has_text="Settings").click()
    row.get_by_label("Loop").check()
    row.locator("select[name=track]").select_option(label=track_label)
    before = set(page.locator("#voice-list .voice").evaluate_all("els => els.map(e => e.dataset.id)"))
    row.get_by_role("button", name=f"Play {sound}").click()
    voices = page.locator("#voice-list .voice")
    expect(voices).to_have_count(len(before) + 1)
    (voice,) = set(voices.evaluate_all("els => els.map(e => e.dataset.id)")) - before
    return voice


def wait_for_level(page, track_id: str, above: float | None = None, below: float | None = None) -> None:
    handle = strip(page, track_id).element_handle()
    if above is not None:
        page.wait_for_function(f"s => ({LOUDEST})(s) > {above}", arg=handle)
    if below is not None:
        page.wait_for_function(f"s => ({LOUDEST})(s) < {below}", arg=handle)
