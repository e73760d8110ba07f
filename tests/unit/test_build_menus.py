"""The menus, the context-menu entries and the shortcuts are made from the actions: the
checked-in files are what the actions give, and an action added anywhere (here, IT's
settings) gets its menu entry with no other change."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from xml.etree import ElementTree

import pytest

import build
from plume.actions import BUILTINS, Registry, registry_for
from plume.actions.builtin import BUILTIN
from plume.settings import Settings
from plume_build import menus

EXTENSION = build.ROOT / "extension"
OOR, XML = "{http://openoffice.org/2001/registry}", "{http://www.w3.org/XML/1998/namespace}"
FIXTURE_ACTION = '[{"id": "note-elu", "label": "Note pour l\'élu", "label_en": "Note for the councillor", ' \
                 '"prompt": "Fais du texte ci-dessus une note courte pour l\'élu.", "reads": "document", "apply": "after"}]'  # fmt: skip


def _submenu(xcu: str) -> dict[str, dict[str, str]]:
    """{node name: {"URL": ..., "fr": title, "en-US": title}} of Plume's submenu."""
    root = ElementTree.fromstring(xcu)
    found = {}
    for node in next(n for n in root.iter("node") if n.get(f"{OOR}name") == "Submenu"):
        values: dict[str, str] = {}
        for prop in node.findall("prop"):
            for value in prop.findall("value"):
                key = value.get(f"{XML}lang") if prop.get(f"{OOR}name") == "Title" else prop.get(f"{OOR}name")
                values[str(key)] = value.text or ""
        found[str(node.get(f"{OOR}name"))] = values
    return found


def test_the_checked_in_menus_are_what_the_actions_give() -> None:
    assert menus.stale(EXTENSION, BUILTINS) == [], "run `python3 build.py menus` and commit the result"


def test_a_changed_action_makes_the_checked_in_menus_stale() -> None:
    renamed = [dataclasses.replace(a, label=dataclasses.replace(a.label, fr="Synthèse")) if a.id == "summarize" else a
               for a in BUILTIN]  # fmt: skip
    assert menus.stale(EXTENSION, Registry(renamed)) == [menus.ADDONS]
    shortcut = [dataclasses.replace(a, shortcut="K") if a.id == "continue" else a for a in BUILTIN]
    assert menus.stale(EXTENSION, Registry(shortcut)) == [menus.ACCELERATORS]
    context = [dataclasses.replace(a, context_menu=True) if a.id == "continue" else a for a in BUILTIN]
    assert menus.stale(EXTENSION, Registry(context)) == [menus.CONTEXT_MENU]


def test_every_action_has_a_menu_entry_that_runs_it_titled_in_both_languages() -> None:
    entries = _submenu(menus.addons_xcu(BUILTINS))
    by_url = {e["URL"]: e for e in entries.values()}
    for action in BUILTINS:
        entry = by_url[f"plume:run?action={action.id}"]
        assert entry["fr"].startswith(action.label.fr) and entry["en-US"].startswith(action.label.en)
        assert entry["fr"].endswith("…") == (action.instruction == "required"), "an entry that asks for more says so"
    others = [e["URL"] for e in entries.values() if not e["URL"].startswith("plume:run")]
    assert [u for u in others if u != menus.SEPARATOR] == ["plume:stop", "plume:sidebar", "plume:desk", "plume:settings"]


def test_the_context_menu_lists_the_actions_marked_for_it_then_the_sidebar() -> None:
    entries = _submenu(menus.addons_xcu(BUILTINS))
    listed = [entries[name]["URL"] for name in menus.context_entries(BUILTINS)]
    wanted = [f"plume:run?action={a.id}" for a in BUILTINS if a.context_menu]
    assert listed == [*wanted, "plume:sidebar"] and "plume:run?action=reply" in listed
    bas = menus.context_menu_bas((EXTENSION / menus.CONTEXT_MENU).read_text(encoding="utf-8"), BUILTINS)
    assert all(f'"{name}"' in bas for name in menus.context_entries(BUILTINS))


def test_shortcuts_come_from_the_actions_and_a_letter_is_given_once() -> None:
    keys = menus.shortcuts(BUILTINS)
    assert keys == {**{a.shortcut: f"plume:run?action={a.id}" for a in BUILTINS if a.shortcut},
                    "Q": "plume:stop", "W": "plume:sidebar"}  # fmt: skip
    clash = [dataclasses.replace(a, shortcut="S") if a.id == "continue" else a for a in BUILTIN]
    with pytest.raises(ValueError, match="Ctrl\\+Alt\\+Shift\\+S"):
        menus.shortcuts(Registry(clash))


def test_an_action_added_in_the_settings_gets_its_menu_entry() -> None:
    registry = registry_for(Settings(policy_actions=FIXTURE_ACTION))
    entries = _submenu(menus.addons_xcu(registry))
    entry = next(e for e in entries.values() if e["URL"] == "plume:run?action=it-note-elu")
    assert (entry["fr"], entry["en-US"]) == ("Note pour l'élu", "Note for the councillor")


def test_the_stage_carries_menus_made_from_the_actions(tmp_path: Path) -> None:
    out = tmp_path / "oxt"
    build.stage(out)
    (out / menus.ADDONS).write_text("stale", encoding="utf-8")
    build.generate_config(out)
    assert (out / menus.ADDONS).read_text(encoding="utf-8") == menus.addons_xcu(BUILTINS)
