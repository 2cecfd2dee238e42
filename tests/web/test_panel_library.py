"""The library: uploads by picker and by drag and drop, waveforms, errors."""

from __future__ import annotations

import base64
import os

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Pixels drawn by the waveform: opaque enough to be the trace, not the faint centre line.
COUNT_TRACE_PIXELS = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 200) n += 1;
  return n;
}"""


def test_uploaded_sound_appears_with_its_waveform(page, service, open_panel, tone_wav, shot):
    open_panel(page, service)
    page.set_input_files("#upload-input", str(tone_wav))

    row = page.locator("#sound-list .sound", has_text="desk-tone.wav")
    expect(row).to_be_visible()
    expect(row.locator(".duration")).to_have_text("0:02.0")
    canvas = row.locator("canvas.waveform")
    expect(canvas).to_have_attribute("data-drawn", "true")
    assert canvas.evaluate(COUNT_TRACE_PIXELS) > 500
    shot(page, "library")


def test_dropped_file_is_uploaded(page, service, open_panel, tone_wav):
    open_panel(page, service)
    payload = base64.b64encode(tone_wav.read_bytes()).decode()
    page.evaluate(
        """([payload, name]) => {
          const bytes = Uint8Array.from(atob(payload), c => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, {type: 'audio/wav'}));
          const zone = document.getElementById('dropzone');
          for (const type of ['dragenter', 'dragover', 'drop']) {
            zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
          }
        }""",
        [payload, "dropped.wav"],
    )
    expect(page.locator("#sound-list .sound", has_text="dropped.wav")).to_be_visible()
    with service.http() as http:
        assert "dropped.wav" in [s["name"] for s in http.get("/api/sounds").json()]


def test_bad_upload_shows_the_services_message(page, service, open_panel, tmp_path, console, shot):
    junk = tmp_path / "x.wav"
    junk.write_bytes(os.urandom(4096))
    with service.http() as http:
        answer = http.post("/api/sounds", files={"file": ("x.wav", junk.read_bytes(), "audio/wav")})
    assert answer.status_code >= 400
    # The detail ends with the decoder's words about a temporary file whose
    # name differs per upload; its opening sentence is the service's own.
    detail = answer.json()["detail"].split(":")[0]
    # Chromium logs every non-2xx response it receives; this one is the point of the test.
    console.allow(rf"status of {answer.status_code}", "the refused upload itself")

    open_panel(page, service)
    page.set_input_files("#upload-input", str(junk))
    error = page.locator("#library .error").first
    expect(error).to_be_visible()
    expect(error).to_contain_text("x.wav")
    expect(error).to_contain_text(detail)
    expect(page.locator("#sound-list .sound", has_text="x.wav")).to_have_count(0)
    shot(page, "bad-upload")


def test_upload_opens_from_the_keyboard(page, service, open_panel):
    open_panel(page, service)
    # Headless Chromium's file dialog is not shown reliably to Playwright
    # across a long session, so the test stops at the click the dialog would
    # answer: Enter on the focused button must reach the file input.
    page.evaluate(
        """() => { window.pickerOpened = false;
          document.getElementById('upload-input').addEventListener('click', (e) => {
            e.preventDefault(); window.pickerOpened = true; }, {once: true}); }"""
    )
    page.get_by_role("button", name="Upload…").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.pickerOpened")


def test_panel_fits_a_phone_screen(browser, service, console, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.on("console", lambda m: m.type in ("error", "warning") and console.messages.append(m.text))
    page.on("pageerror", lambda e: console.messages.append(str(e)))
    page.goto(service.url + "/")
    expect(page.locator("#connection-status")).to_have_attribute("data-state", "online")
    expect(page.locator("#sound-list .sound").first).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    shot(page, "phone", full_page=True)
    context.close()
