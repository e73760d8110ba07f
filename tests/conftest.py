"""Test layers follow folders: tests/unit, tests/integration, tests/lo (marker = folder name).
Run one layer with ``-m unit`` (or integration, lo); the default runs all."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
LAYERS = ("unit", "integration", "lo")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(str(item.fspath)).relative_to(TESTS)
        layer = relative.parts[0]
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))
