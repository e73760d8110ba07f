"""The admin guide's example configuration (docs/examples/gateway.toml) stays valid, shows
every key the gateway reads, and both admin guides name each of them: the example and the
guides cannot drift from the code."""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

from plume_gateway import config as configuration
from plume_gateway.app import State

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "gateway.toml"


def test_the_example_loads_opens_and_shows_every_key() -> None:
    loaded = configuration.load(EXAMPLE, {"PLUME_API_KEY": "upstream-key"})
    assert loaded.origins and loaded.keys and loaded.settings.base_url.startswith("https://")
    state = State.open(loaded)  # the door accepts its upstream: nothing is sent
    asyncio.run(state.aclose())

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert set(data["server"]) == configuration._SERVER_KEYS
    assert all(set(entry) == configuration._KEY_KEYS for entry in data["keys"])

    for guide in ("admin.en.md", "admin.fr.md"):
        text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
        missing = [k for k in (*configuration._SERVER_KEYS, *configuration._KEY_KEYS, *data["plume"]) if f"`{k}`" not in text]
        assert not missing, f"{guide} does not name {missing}"
