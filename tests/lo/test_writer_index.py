"""Indexing one's own folders in a real LibreOffice (``plume:index``): the folders of
``knowledge_personal_dirs`` go into the personal collection in the profile, on a worker
thread, with progress on ``plume:status``; a second run reads only what changed; the Ask
section then finds sources in it. No folder configured, or a missing one, is one clear line.
The scripted server (``/script``) answers: wording does not matter here, the sources do."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from harness.office import Office

from plume.i18n import t
from plume.knowledge.collection import DEFAULT_COLLECTION, index_path
from plume.knowledge.store import Store
from support.faulty_server import FaultyServer
from support.municipal import generate


def _summary(event: dict[str, Any], **counts: Any) -> bool:
    """The run's summary is the core's, with these counts, in the UI's language."""
    return any(event["message"] == t("index.summary", lang, **counts) for lang in ("fr", "en"))


def _events(office: Office, after: int) -> list[dict[str, Any]]:
    return [event for event in office.listener.events[after:] if event["command"] == "index"]


@pytest.fixture
def folders(office: Office, llama_config: None) -> Any:
    root = Path(tempfile.mkdtemp(prefix="plume-personal-"))
    index = index_path(DEFAULT_COLLECTION, office.profile / "user" / "plume" / "knowledge")
    try:
        yield root
    finally:
        office.configure(knowledge_personal_dirs="")
        shutil.rmtree(root, ignore_errors=True)
        index.unlink(missing_ok=True)


def test_no_folder_or_a_missing_one_is_one_clear_line(office: Office, document: Any, folders: Path) -> None:
    office.configure(knowledge_personal_dirs="")
    event = office.run(document, "plume:index")
    assert event["command"] == "index" and event["state"] == "error" and "\n" not in event["message"].strip(), event
    office.configure(knowledge_personal_dirs=str(folders / "gone"))
    event = office.run(document, "plume:index")
    assert event["state"] == "error" and str(folders / "gone") in event["message"], event


def test_own_folders_are_indexed_incrementally_then_asked(
    office: Office, document: Any, folders: Path, faulty: FaultyServer
) -> None:
    docs = folders / "docs"
    generated = generate(docs, n_files=5)
    (docs / "broken.docx").write_bytes(b"not a zip")  # unreadable: counted, not fatal
    subprocess.run(["chmod", "-R", "a+rX", str(folders)], check=True)
    found = len(generated.files) + 1
    office.configure(knowledge_personal_dirs=f"{docs};")

    seen = len(office.listener.events)
    event = office.run(document, "plume:index")
    assert event["state"] == "done", event
    where = index_path(DEFAULT_COLLECTION, office.profile / "user" / "plume" / "knowledge")
    store = Store(where, read_only=True)
    try:
        files, passages = store.counts()
    finally:
        store.close()
    assert files == len(generated.files) and passages > 0
    counts = {"found": found, "removed": 0, "files": files, "passages": passages, "path": where}
    assert _summary(event, read=found, unchanged=0, failed=1, **counts), event["message"]
    running = [e["progress"] for e in _events(office, seen) if e["state"] == "running" and e["progress"]]
    assert running and any(f"{found}/{found}" in progress for progress in running), running

    again = office.run(document, "plume:index")
    assert again["state"] == "done" and _summary(again, read=0, unchanged=found, failed=0, **counts), again

    question = generated.questions[0]
    faulty.script = f"{question.answer} [1]."
    office.configure(base_url=faulty.url + "/script", max_output_tokens=256)
    asked = office.run(document, f"plume:ask?q={quote(question.question)}&scope={DEFAULT_COLLECTION}")
    assert asked["command"] == "ask" and asked["state"] == "done", asked
    sent = " ".join(str(message["content"]) for message in json.loads(faulty.bodies[-1])["messages"])
    assert " ".join(question.contains.split()) in " ".join(sent.split()), "the passage from the indexed folder was sent"
