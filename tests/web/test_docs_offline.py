"""/docs and /redoc load everything from the service itself: they work on a machine with no internet."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def swagger_operation(page):
    return page.get_by_text("/api/sounds/{id}/play").first


def redoc_operation(page):
    # ReDoc titles each operation with its summary: the WebSocket method of the same meaning.
    return page.locator("h2", has_text="sounds.play").first


@pytest.mark.parametrize("page_path, operation", [("/docs", swagger_operation), ("/redoc", redoc_operation)])
def test_the_api_pages_show_the_operations_with_no_outside_request(page, service, shot, page_path, operation):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(service.url + page_path)
    # ReDoc lays out the whole schema before it shows anything: on a loaded machine that takes a while.
    expect(operation(page)).to_be_visible(timeout=60_000)
    shot(page, page_path.strip("/"))
    mine = f"127.0.0.1:{service.port}"
    outside = [url for url in requested if urlsplit(url).netloc != mine and not url.startswith(("data:", "blob:"))]
    assert outside == []
    assert any(url.endswith("/openapi.json") for url in requested)
