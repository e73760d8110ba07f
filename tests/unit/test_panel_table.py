"""The sidebar as data: its layout table follows the action registry, and one state table
says which controls are enabled (python/plume_lo/panel_layout.py, panel_states.py; no UNO)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from plume.actions import BUILTINS, registry_for
from plume.actions.custom import dump_actions, parse_actions
from plume.settings import Settings
from plume_lo.panel_layout import Cell, panel_rows
from plume_lo.panel_states import ENABLED, STATES, can_go_back, can_refine, enabled, state_of

pytestmark = pytest.mark.unit

IT_ACTIONS = """
[[action]]
id = "reclamation"
label = "Répondre à une réclamation"
label_en = "Answer a complaint"
prompt = "Le texte ci-dessus est une réclamation. Rédige une réponse courtoise. {instruction}"
reads = "letter"
instruction = "optional"

[[action]]
id = "sigles"
label = "Développer les sigles"
label_en = "Expand acronyms"
prompt = "Développe les sigles du texte ci-dessus."
"""


def _cells(rows: Any) -> dict[str, Cell]:
    return {cell.name: cell for row in rows for cell in row.cells}


def _transform_items(rows: Any) -> tuple[str, ...]:
    return tuple(dict(_cells(rows)["transform_list"].props)["StringItemList"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_write_actions_are_buttons_and_transform_actions_are_list_items(lang: str) -> None:
    rows = panel_rows(BUILTINS, lang)
    cells = _cells(rows)
    buttons = [c.label for c in cells.values() if c.name.startswith("action:")]
    assert buttons == [a.label(lang) for a in BUILTINS.in_group("write")] and len(buttons) == 3
    assert _transform_items(rows) == tuple(a.label(lang) for a in BUILTINS.in_group("transform"))
    assert BUILTINS.get("summarize").label(lang) in _transform_items(rows)
    assert len(cells) == sum(len(r.cells) for r in rows), "every control has its own name"


def test_an_action_added_to_the_registry_appears_in_the_sidebar_with_no_other_change() -> None:
    settings = Settings(policy_actions=dump_actions(parse_actions(IT_ACTIONS, "it.toml", "policy")))
    actions = registry_for(settings)
    rows = panel_rows(actions, "en")
    assert "action:it-reclamation" in _cells(rows), "a write action (it reads a letter): a button"
    assert _cells(rows)["action:it-reclamation"].label == "Answer a complaint"
    assert _transform_items(rows)[-1] == "Expand acronyms", "a transform action: the list's last item"
    assert len(_transform_items(rows)) == len(BUILTINS.in_group("transform")) + 1


def test_the_layout_groups_the_tasks_in_order() -> None:
    names = [cell.name for row in panel_rows(BUILTINS, "fr") for cell in row.cells]
    order = ["write_label", "instruction", "action:draft", "transform_label", "transform_list", "run", "translate",
             "translate_model", "desk", "ask_label", "question", "scope", "ask", "output", "source_list", "check_list",
             "check_count", "status", "send", "stop", "replace", "after", "copy", "sources", "refine_label",
             "refine_instruction", "refine", "back", "model", "destination"]  # fmt: skip
    assert [n for n in names if n in order] == order


def test_every_tag_of_the_layout_is_in_the_state_table_and_every_state_enables_something() -> None:
    tags = {cell.tag for cell in _cells(panel_rows(BUILTINS, "en")).values()} - {""}
    named = set().union(*ENABLED.values())
    assert tags == named, "a tag no state enables would leave its control always disabled"
    assert set(ENABLED) == set(STATES)


@dataclass
class FakeRun:
    state: str = "running"
    pending: Any = None
    mode: str = "preview"
    held: bool = False
    applied: bool = False
    text: str = "Le résultat."
    alternative: dict[str, str] | None = None  # a run to offer instead (a model translation)
    versions: list[str] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.state == "running"


@pytest.mark.parametrize(
    ("run", "state"),
    [
        (None, "idle"),
        (FakeRun(), "running"),
        (FakeRun(state="error", pending=object()), "awaiting_confirmation"),
        (FakeRun(state="done"), "result_ready"),
        (FakeRun(state="done", mode="after", held=True), "result_ready"),
        (FakeRun(state="done", mode="after", applied=True), "applied"),
        (FakeRun(state="done", applied=True), "applied"),
        (FakeRun(state="error"), "error"),
        (FakeRun(state="cancelled"), "error"),
        (FakeRun(state="error", alternative={"engine": "model"}), "offering_model_translation"),
        (FakeRun(state="error", alternative=None), "error"),
    ],
)
def test_the_panel_state_follows_the_run(run: Any, state: str) -> None:
    assert state_of(run) == state


def test_which_controls_each_state_enables() -> None:
    assert [s for s in STATES if enabled(s, "stop")] == ["running"]
    assert [s for s in STATES if enabled(s, "send")] == ["awaiting_confirmation"]
    assert [s for s in STATES if enabled(s, "apply")] == ["result_ready"]
    assert [s for s in STATES if enabled(s, "refine")] == ["result_ready"]
    assert [s for s in STATES if enabled(s, "translate_model")] == ["offering_model_translation"]
    assert not enabled("running", "start"), "one run at a time in a panel"
    assert all(enabled(s, "") for s in STATES), "labels and the preview are always enabled"


def test_refine_and_back_need_a_run_that_offers_them() -> None:
    class Refinable(FakeRun):
        def refine(self, instruction: str) -> None: ...
        def back(self) -> None: ...

    assert not can_refine(FakeRun()) and not can_go_back(FakeRun()) and not can_refine(None)
    assert can_refine(Refinable()) and not can_go_back(Refinable(versions=["one"]))
    assert can_go_back(Refinable(versions=["one", "two"]))
