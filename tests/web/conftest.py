"""Fixtures for the browser panel's tests: a real mixdeck service on
127.0.0.1 started as a subprocess, Debian's headless Chromium driven by
Playwright, and a console watcher that fails a test on any browser error
the test did not expect and explain."""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.web.panel_support import Service, empty, upload

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WEB = Path(__file__).resolve().parents[2] / "web"
BLANK_ORIGIN = "http://panel.test"
CHROMIUM = os.environ.get("MIXDECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def make_service(tmp_path: Path, token: str | None = None):
    media = tmp_path / "media"
    media.mkdir(exist_ok=True)
    service = Service(media=media, log=tmp_path / "service.log", token=token)
    service.start()
    return service


@pytest.fixture(scope="module")
def file_service(tmp_path_factory):
    """One service per test file: starting one costs seconds of CPU, more than most tests."""
    svc = make_service(tmp_path_factory.mktemp("panel"))
    with svc.http() as http:
        svc.built_in = {sound["id"] for sound in http.get("/api/sounds").json()}
    yield svc
    svc.stop()


@pytest.fixture
def service(file_service):
    """The file's service, emptied after each test of what the test made (started again if it stopped it)."""
    shared = file_service
    yield shared
    if shared.process is None or shared.process.poll() is not None:
        shared.start()
    empty(shared, shared.built_in)


@pytest.fixture
def token_service(tmp_path):
    svc = make_service(tmp_path, token="desk-token-7")
    yield svc
    svc.stop()


# One browser per test file, not per session: Playwright's sync API runs an event loop on this thread
# while it is open, and another file in the same test process may call asyncio.run.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Console:
    """Browser console errors and warnings, and uncaught page errors, of one page.

    A test that provokes an error on purpose names it with `allow(pattern,
    why)`; anything else fails the test when it ends.
    """

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.allowed: list[tuple[re.Pattern[str], str]] = []

    def allow(self, pattern: str, why: str) -> None:
        self.allowed.append((re.compile(pattern), why))

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(p.search(m) for p, _ in self.allowed)]


@pytest.fixture
def console():
    return Console()


# The two screens the panel is checked on: a laptop, and a phone held upright.
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def watched_page(browser, console, **context_options):
    """A page in a fresh context whose console errors and warnings go to `console`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sync_api.expect.set_options(timeout=15_000)

    def on_console(msg):
        if msg.type in ("error", "warning"):
            console.messages.append(f"console.{msg.type}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda err: console.messages.append(f"pageerror: {err}"))
    return page


@pytest.fixture
def page(browser, console):
    page = watched_page(browser, console, **DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(params=["desktop", "phone"])
def screen_page(request, browser, console):
    """The page on a laptop's screen, then on a phone's."""
    page = watched_page(browser, console, **(DESKTOP if request.param == "desktop" else PHONE))
    yield page
    page.context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a browser test on console errors logged while its body ran.

    Checked here rather than in the page fixture's teardown: by then the
    service fixture may already be stopped and the panel, rightly, retrying.
    """
    result = yield
    console = item.funcargs.get("console")
    if console is not None:
        unexpected = console.unexpected()
        assert unexpected == [], "the browser reported errors"
    return result


@pytest.fixture
def open_panel():
    """Load the panel from a service and wait until it says it is online."""

    def load(page, service) -> None:
        page.goto(service.url + "/")
        sync_api.expect(page.locator("#connection-status")).to_have_attribute("data-state", "online")

    return load


@pytest.fixture
def shot(request):
    """Save a screenshot of the page to tests/web/artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, **kwargs) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return take


@pytest.fixture
def tone_wav(tmp_path) -> Path:
    """Two seconds of a 440 Hz sine at half scale, stereo, 48 kHz."""
    rate = 48_000
    t = np.arange(rate * 2) / rate
    mono = 0.5 * np.sin(2 * np.pi * 440 * t)
    # A slow swell so the drawn waveform has a shape, not a flat band.
    mono *= 0.35 + 0.65 * np.sin(np.pi * t / 2)
    path = tmp_path / "desk-tone.wav"  # not "tone.wav": the service ships a built-in of that name
    soundfile.write(path, np.stack([mono, mono], axis=1).astype(np.float32), rate, subtype="PCM_16")
    return path


@pytest.fixture
def full_library(service, tone_wav, tmp_path) -> dict:
    """The tone plus enough more sounds to make 24 with the built-ins: a library longer than any screen.

    Returns the tone's sound; it comes first among the uploads, near the top of the list.
    """
    tone = upload(service, tone_wav)
    with service.http() as http:
        have = len(http.get("/api/sounds").json())
    short = tmp_path / "filler.wav"
    rate = 8_000
    soundfile.write(short, (0.2 * np.sin(2 * np.pi * 220 * np.arange(rate // 4) / rate)).astype(np.float32), rate)
    for i in range(24 - have):
        named = tmp_path / f"filler-{i:02d}.wav"
        named.write_bytes(short.read_bytes())
        upload(service, named)
    return tone


@pytest.fixture
def playing_voice(page, service, open_panel, tone_wav):
    """Upload the tone, load the panel, play it looped from the panel; the voice's row."""
    sound = upload(service, tone_wav)
    open_panel(page, service)
    row = page.locator(f'#sound-list .sound[data-id="{sound["id"]}"]')
    row.locator("summary", has_text="Settings").click()
    row.get_by_label("Loop").check()
    row.get_by_role("button", name="Play desk-tone.wav").click()
    voice = page.locator("#voice-list .voice").first
    sync_api.expect(voice).to_have_attribute("data-state", "playing")
    return voice


@pytest.fixture
def blank(page):
    """A page on an origin that serves only the panel's files, and nothing that runs them."""

    def serve(route):
        name = route.request.url.removeprefix(BLANK_ORIGIN).lstrip("/") or "blank"
        if name == "blank":
            route.fulfill(body="<!doctype html><title>store</title>", content_type="text/html")
            return
        path = (WEB / name).resolve()
        if WEB not in path.parents or not path.is_file():
            route.fulfill(status=404, body="")
            return
        kind = "text/javascript" if path.suffix == ".js" else mimetypes.guess_type(path.name)[0] or "text/plain"
        route.fulfill(body=path.read_bytes(), content_type=kind)

    page.route(f"{BLANK_ORIGIN}/**", serve)
    page.goto(f"{BLANK_ORIGIN}/blank")
    return page
