"""Connection: live status, reconnecting after a restart, the token prompt,
and the engine status the service reports."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.panel_support import wait_until

pytestmark = pytest.mark.browser

# While the service is down, Chromium itself logs each refused probe and
# socket; the panel cannot silence the browser's own network log.
REFUSED = r"ERR_CONNECTION_REFUSED|WebSocket connection to .* failed"


def test_panel_reconnects_after_the_service_restarts(page, service, open_panel, console, shot):
    console.allow(REFUSED, "the service is stopped on purpose")
    open_panel(page, service)
    status = page.locator("#connection-status")

    service.stop()
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_contain_text("Offline")
    shot(page, "offline")

    service.start()
    expect(status).to_have_attribute("data-state", "online")
    expect(status).to_contain_text("Online")
    # The new connection is subscribed again: the engine topic says a client is here.
    expect(page.locator('#engine-list dd[data-field="clients"]')).not_to_have_text("–")


def test_token_prompt_appears_and_the_token_is_kept(page, token_service, console, shot):
    console.allow(r"status of 401", "the first visit has no token, so the service refuses it")
    page.goto(token_service.url + "/")
    status = page.locator("#connection-status")
    expect(status).to_have_attribute("data-state", "unauthorized")
    form = page.locator("#token-form")
    expect(form).to_be_visible()
    shot(page, "token")

    form.get_by_label("Token").fill(token_service.token)
    form.get_by_role("button", name="Connect").click()
    expect(status).to_have_attribute("data-state", "online")
    expect(form).to_be_hidden()
    assert page.evaluate("localStorage.getItem('mixdeck.token')") == token_service.token

    page.reload()
    expect(status).to_have_attribute("data-state", "online")


def test_engine_status_shows_the_output(page, service, open_panel, shot):
    open_panel(page, service)
    engine = page.locator("#engine-list")
    expect(engine.locator('dd[data-field="output"]')).to_have_text("null")
    expect(engine.locator('dd[data-field="sample_rate"]')).to_have_text("48.0 kHz")
    expect(engine.locator('dd[data-field="block_size"]')).to_contain_text("frames")
    expect(engine.locator('dd[data-field="clients"]')).to_have_text("1")
    shot(page, "engine", full_page=True)


def test_main_fader_answers_keys_and_reaches_the_engine(page, service, open_panel):
    open_panel(page, service)
    fader = page.get_by_label("Main volume")
    fader.focus()
    for _ in range(12):
        page.keyboard.press("ArrowDown")
    assert float(fader.input_value()) == -6.0
    with service.http() as http:
        wait_until(lambda: abs(http.get("/api/main-track").json()["volume"] + 6.0) < 0.01)
