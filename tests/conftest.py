"""Suite-wide ordering: the longest test files first, so two test processes finish together."""

from __future__ import annotations

import pytest


def _allowed_seconds(item: pytest.Item) -> float:
    marker = item.get_closest_marker("timeout")
    return float(marker.args[0]) if marker and marker.args else 0.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the files whose every test is marked ``slow`` to the front (those given the longest
    timeout first), keeping every other order.

    Test files are shared out between the test processes in this order; the
    minutes-long schema fuzzing run otherwise starts last and runs alone at
    the end. Whole files move, so a file's module-wide server starts once.
    """
    quick = {item.path for item in items if item.get_closest_marker("slow") is None}
    longest: dict[object, float] = {}
    for item in items:
        longest[item.path] = max(longest.get(item.path, 0.0), _allowed_seconds(item))
    items.sort(key=lambda item: (1, 0.0) if item.path in quick else (0, -longest[item.path]))
