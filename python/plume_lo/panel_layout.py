"""The sidebar's layout as a table: rows of controls, grouped around the user's tasks.

**Write** (an instruction, then one button per action of the registry's "write" group),
**Transform** (the "transform" actions, built-in, IT's and the user's, in a list with Run and
an instruction for those that take one), **Translate**, **Ask** the documents (a question and
where to search), the result (an answer's sources under it) and what to do with it,
**Refine** the result, then the model and where the text goes. The actions come from the
registry: an action added there appears here with no other change.

Each cell names its ``tag``: the state table (:mod:`.panel_states`) enables a control in the
states that list its tag; a cell without a tag is always enabled. No UNO here: the table is
data, tested without LibreOffice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plume.actions.model import Action
from plume.actions.registry import Registry
from plume.i18n import t

ACTION_PREFIX = "action:"  # a write action's button: "action:draft"
HEADING = (("FontWeight", 150.0),)  # com.sun.star.awt.FontWeight.BOLD: a group's title
LIST_ROWS = 6  # transform actions visible without scrolling


@dataclass(frozen=True)
class Cell:
    kind: str  # Button, FixedText, Edit, ListBox (the UnoControl<kind>Model)
    name: str
    label: str = ""  # a button's or label's text; a field's or list's help text (its accessible name)
    weight: int = 1  # its share of the room left once every text has its width
    tag: str = ""  # the state table's name for it; "" is always enabled
    props: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    height: int = 0  # 0: the usual height of its first control's kind


def row(*cells: Cell, height: int = 0) -> Row:
    return Row(tuple(cells), height)


def action_button(action: Action) -> str:
    return ACTION_PREFIX + action.id


def panel_rows(actions: Registry, lang: str) -> tuple[Row, ...]:
    def tx(key: str) -> str:
        return t(key, lang)

    def heading(name: str, key: str) -> Row:
        return row(Cell("FixedText", name, tx(key), props=HEADING))

    write = tuple(
        Cell("Button", action_button(a), a.label(lang), tag="start", props=(("HelpText", a.tooltip(lang)),))
        for a in actions.in_group("write")
    )
    transform = actions.in_group("transform")
    rows = [
        heading("write_label", "panel.write"),
        row(
            Cell(
                "Edit", "instruction", tx("panel.write.instruction"), tag="start", props=(("MultiLine", True), ("VScroll", True))
            ),
            height=48,
        ),
        *((row(*write),) if write else ()),
        heading("transform_label", "panel.transform"),
        row(
            Cell(
                "ListBox",
                "transform_list",
                tx("panel.transform"),
                tag="start",
                props=(("StringItemList", tuple(a.label(lang) for a in transform)), ("SelectedItems", (0,) if transform else ())),
            ),
            height=LIST_ROWS * 16 + 4,
        ),
        # A label names the field that follows it, for screen readers too.
        row(Cell("FixedText", "transform_instruction_label", tx("panel.transform.instruction"))),
        row(
            Cell("Edit", "transform_instruction", tx("panel.transform.instruction"), weight=3, tag="start"),
            Cell("Button", "run", tx("panel.run"), weight=2, tag="start"),
        ),
        heading("translate_heading", "panel.translation"),
        row(
            Cell("FixedText", "translate_label", tx("panel.translate.to")),
            Cell("FixedText", "source_label", tx("panel.translate.from")),
        ),
        row(
            Cell("ListBox", "target_language", tx("panel.translate.to"), tag="start", props=(("Dropdown", True),)),
            Cell("ListBox", "source_language", tx("panel.translate.from"), tag="start", props=(("Dropdown", True),)),
        ),
        row(
            Cell("Button", "translate", tx("panel.translate"), tag="start"),
            Cell("Button", "translate_model", tx("panel.translate.model"), tag="translate_model"),
            Cell("Button", "desk", tx("panel.desk")),
        ),
        # Ask: a question about this document or a collection; the answer streams into the
        # preview below, its sources are listed under it.
        heading("ask_label", "panel.ask"),
        row(
            Cell("Edit", "question", tx("panel.ask.question"), tag="start", props=(("MultiLine", True), ("VScroll", True))),
            height=40,
        ),
        row(
            Cell("FixedText", "scope_label", tx("panel.ask.scope")),
            Cell("ListBox", "scope", tx("panel.ask.scope"), weight=3, tag="start", props=(("Dropdown", True),)),
            height=24,
        ),
        row(Cell("Button", "ask", tx("panel.ask.button"), tag="start"), Cell("Button", "index", tx("panel.index"), tag="start")),
        row(Cell("FixedText", "result_label", tx("panel.result"), props=HEADING)),
        row(
            Cell("Edit", "output", tx("panel.result"), props=(("MultiLine", True), ("ReadOnly", True), ("VScroll", True))),
            height=200,
        ),
        row(Cell("FixedText", "sources_label", tx("ask.sources"))),
        # An answer's numbered sources; choosing one selects (or opens) its passage.
        row(Cell("ListBox", "source_list", tx("ask.sources")), height=60),
        row(Cell("FixedText", "check_label", tx("check.label"))),
        # The fact check's findings; choosing one selects it in the preview above.
        row(Cell("ListBox", "check_list", tx("check.label")), height=60),
        row(Cell("FixedText", "check_count", "", props=(("MultiLine", True),)), height=32),
        # The notes: a cut answer's reason first, then the model, the time, what was pseudonymised.
        row(Cell("FixedText", "status", tx("panel.ready"), props=(("MultiLine", True),)), height=144),
        row(Cell("Button", "send", tx("panel.send"), tag="send"), Cell("Button", "stop", tx("panel.stop"), tag="stop")),
        row(
            Cell("Button", "replace", tx("panel.replace"), tag="apply"),
            Cell("Button", "after", tx("panel.after"), tag="apply"),
            Cell("Button", "copy", tx("panel.copy"), tag="copy"),
            Cell("Button", "sources", tx("panel.ask.insert"), tag="apply"),
        ),
        heading("refine_label", "panel.refine.title"),
        row(
            Cell(
                "Edit",
                "refine_instruction",
                tx("panel.refine.instruction"),
                tag="refine",
                props=(("MultiLine", True), ("VScroll", True)),
            ),
            height=40,
        ),
        row(
            Cell("Button", "refine", tx("panel.refine"), tag="refine"),
            Cell("Button", "back", tx("panel.refine.back"), tag="back"),
        ),
        row(
            Cell("FixedText", "model_label", tx("panel.model")),
            Cell("ListBox", "model", tx("panel.model"), weight=3, tag="start", props=(("Dropdown", True),)),
            height=24,
        ),
        row(Cell("FixedText", "destination", "", props=(("MultiLine", True),)), height=32),
    ]
    return tuple(rows)
