"""The library marks the sounds that stream from their files as they play."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def add(service, path, name: str, streaming: bool) -> dict:
    with service.http() as http:
        answer = http.post(
            "/api/sounds",
            files={"file": (name, path.read_bytes(), "audio/wav")},
            data={"streaming": "true" if streaming else "false"},
        )
    assert answer.status_code == 201, answer.text
    assert answer.json()["streaming"] is streaming
    return answer.json()


def test_streaming_sounds_are_marked_in_the_library(page, service, open_panel, tone_wav, shot):
    streamed = add(service, tone_wav, "streamed.wav", streaming=True)
    held = add(service, tone_wav, "held.wav", streaming=False)
    open_panel(page, service)
    streamed_row = page.locator(f'#sound-list .sound[data-id="{streamed["id"]}"]')
    expect(streamed_row).to_have_attribute("data-streaming", "true")
    expect(streamed_row.locator(".sound-head .streaming")).to_have_text("streaming")
    held_row = page.locator(f'#sound-list .sound[data-id="{held["id"]}"]')
    expect(held_row).to_have_attribute("data-streaming", "false")
    expect(held_row.locator(".streaming")).to_have_count(0)
    # The built-in sounds are held in memory, and say nothing.
    expect(page.locator('#sound-list .sound[data-streaming="true"]')).to_have_count(1)

    # One added while the panel is open is marked as it arrives.
    later = add(service, tone_wav, "later.wav", streaming=True)
    expect(page.locator(f'#sound-list .sound[data-id="{later["id"]}"] .streaming')).to_have_text("streaming")
    shot(streamed_row, "row")
