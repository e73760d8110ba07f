"""Offline translation in a real Writer: the .oxt built with the translation runtime,
tiny real Argos packages in a shared folder (random weights: structure only is checked)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.office import Office
from snapshot import select_paragraph, snapshot

from plume.i18n import t

# In the sample letter: a body paragraph with a bold amount, the "Calendrier" table, the closing formula.
BOLD_RUN_INDEX, TABLE_INDEX, CLOSING_INDEX = 1, 9, 12


@pytest.fixture
def languages(office: Office, llama_config: None, shared_languages: Path) -> Iterator[None]:
    office.configure(language_packages_dir=str(shared_languages), translate_with_model=True, mark_ai_output=True)
    yield
    office.configure(language_packages_dir="")


def _table_texts(doc: Any) -> list[str]:
    table = doc.getTextTables().getByIndex(0)
    return [table.getCellByName(name).getString() for name in table.getCellNames()]


def test_translating_the_document_keeps_every_paragraph_style_and_table(office: Office, document: Any, languages: None) -> None:
    before, cells_before = snapshot(document), _table_texts(document)
    event = office.run(document, "plume:translate?to=en&from=fr&mode=replace")
    assert event["state"] == "done", event
    after, cells_after = snapshot(document), _table_texts(document)
    assert len(after) == len(before), "one translated paragraph per source paragraph"
    assert after[TABLE_INDEX][0] == "table" and len(cells_after) == len(cells_before), "the table stays a table"
    for old, new in zip(before, after, strict=True):
        if old[0] == "table":
            continue
        assert new[1:3] == old[1:3], "paragraph style and list membership kept"
        assert bool(new[0].strip()) == bool(old[0].strip()), "empty paragraphs stay empty, others get text"
    assert sum(old[0] != new[0] for old, new in zip(before, after, strict=True) if old[0].strip()) >= len(before) // 2
    assert any(old != new for old, new in zip(cells_before, cells_after, strict=True) if old.strip()), "cells translated"
    undo = document.getUndoManager()
    assert undo.getCurrentUndoActionTitle().startswith("Plume")
    undo.undo()
    assert snapshot(document) == before and _table_texts(document) == cells_before, "one undo restores everything"


def test_base_formatting_is_kept_and_a_bold_run_does_not_spread(office: Office, document: Any, languages: None) -> None:
    from com.sun.star.awt.FontSlant import ITALIC

    enum = document.getText().createEnumeration()
    paragraphs = [enum.nextElement() for _ in range(CLOSING_INDEX + 1)]
    paragraphs[CLOSING_INDEX].setPropertyValue("CharPosture", ITALIC)  # a whole paragraph in italics
    assert office.run(document, "plume:translate?to=en&from=fr&mode=replace")["state"] == "done"
    after = snapshot(document)
    closing = [part for part in after[CLOSING_INDEX][3] if part[0].strip()]
    assert closing and all(part[2] == ITALIC for part in closing), "the italic paragraph stays italic"
    body = after[BOLD_RUN_INDEX][3]
    bold_chars = sum(len(part[0]) for part in body if part[1] > 100)
    assert bold_chars < sum(len(part[0]) for part in body) / 2, "the bold amount did not make the paragraph bold"


def test_the_source_language_is_detected(office: Office, document: Any, languages: None) -> None:
    event = office.run(document, "plume:translate?to=en&mode=after")
    assert event["state"] == "done", event
    assert len(snapshot(document)) > 14, "translated paragraphs inserted after the text"


def test_pivot_through_english(office: Office, document: Any, languages: None) -> None:
    event = office.run(document, "plume:translate?to=de&from=fr&mode=replace")
    assert event["state"] == "done", event


def test_a_missing_pair_leaves_the_document_untouched(office: Office, document: Any, languages: None) -> None:
    before = snapshot(document)
    event = office.run(document, "plume:translate?to=ar&from=fr&mode=replace")
    assert event["state"] == "error" and event["message"]
    assert snapshot(document) == before and not document.isModified()


def test_the_ai_mark_names_the_offline_engine(office: Office, document: Any, languages: None) -> None:
    assert office.run(document, "plume:translate?to=en&from=fr&mode=replace")["state"] == "done"
    container = document.getDocumentProperties().getUserDefinedProperties()
    names = [p.Name for p in container.getPropertySetInfo().getProperties() if p.Name.startswith("PlumeAI-")]
    assert len(names) == 1
    record = json.loads(container.getPropertyValue(names[0]))
    assert record["destination"] == "local" and record["model"].startswith("Argos fr")


def test_without_packages_the_user_is_told_what_to_do(office: Office, document: Any, llama_config: None, tmp_path: Path) -> None:
    office.configure(language_packages_dir=str(tmp_path / "empty"))
    try:
        before = snapshot(document)
        event = office.run(document, "plume:translate?to=en&mode=replace")
        assert event["state"] == "error" and event["message"]
        assert snapshot(document) == before
    finally:
        office.configure(language_packages_dir="")


def test_with_the_model_when_no_package_covers_the_pair(office: Office, document: Any, languages: None) -> None:
    """The real model server translates; the AI mark says it was the model, not Argos."""
    select_paragraph(document, CLOSING_INDEX)
    event = office.run_applied(document, "plume:translate?to=ar&from=fr&engine=model&mode=after")
    assert event["state"] == "done", event
    container = document.getDocumentProperties().getUserDefinedProperties()
    names = [p.Name for p in container.getPropertySetInfo().getProperties() if p.Name.startswith("PlumeAI-")]
    record = json.loads(container.getPropertyValue(names[0]))
    assert record["model"] == "smollm2" and record["action"] == t("action.translate.model", "en")


def test_with_the_model_is_refused_when_the_settings_forbid_it(office: Office, document: Any, languages: None) -> None:
    office.configure(translate_with_model=False)
    before = snapshot(document)
    event = office.run(document, "plume:translate?to=ar&from=fr&engine=model&mode=after")
    assert event["state"] == "error" and snapshot(document) == before
