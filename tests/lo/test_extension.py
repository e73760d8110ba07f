"""The built .oxt in a real LibreOffice: installed by unopkg, commands dispatched through
the frame as a menu or macro would, against the real llama.cpp server (and the faulty
server for failures)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import uno
from harness.office import Office, install_extension, throwaway_profile
from snapshot import select_paragraph, snapshot

from plume.actions import BUILTINS
from plume_build.menus import shortcuts
from plume_lo.commands import parse_command
from support.faulty_server import FaultyServer


def test_the_extension_is_registered(office: Office) -> None:
    manager = office.ctx.getValueByName("/singletons/com.sun.star.deployment.ExtensionManager")
    identifiers = [ext.getIdentifier().Value for ext in manager.getDeployedExtensions("user", None, None)]
    assert "org.plume.assistant" in identifiers


def test_summary_is_inserted_after_and_one_undo_restores(office: Office, document: Any) -> None:
    before = snapshot(document)
    event = office.run_applied(document, "plume:summarize?mode=after")
    assert event["state"] == "done", event
    after = snapshot(document)
    assert after[: len(before)] == before, "the source paragraphs are untouched"
    added = after[len(before) :]
    assert added and "".join(p[0] for p in added).strip()
    assert all(p[1] != "Heading 1" and not p[2] for p in added), "inserted as body text, not heading or list"
    undo = document.getUndoManager()
    assert undo.getCurrentUndoActionTitle().startswith("Plume")
    undo.undo()
    assert snapshot(document) == before


def test_rewrite_replaces_the_selected_paragraph_only(office: Office, document: Any) -> None:
    before = snapshot(document)
    source = select_paragraph(document, 2)
    event = office.run_applied(document, "plume:rewrite?style=formal&mode=replace")
    assert event["state"] == "done", event
    after = snapshot(document)
    assert after[:2] == before[:2] and after[-6:] == before[-6:]
    assert source not in [p[0] for p in after]
    document.getUndoManager().undo()
    assert snapshot(document) == before


def test_instruction_with_an_encoded_text(office: Office, document: Any) -> None:
    select_paragraph(document, 3)
    event = office.run_applied(document, "plume:instruct?text=Mets%20au%20futur&mode=after")
    assert event["state"] == "done", event


def _unchanged_after_failure(office: Office, document: Any, command: str) -> dict[str, Any]:
    before = snapshot(document)
    event = office.run(document, command, timeout=60)
    assert snapshot(document) == before
    assert not document.isModified()
    assert event["message"] and "\n" not in event["message"]
    return event


def test_server_down_leaves_the_document_untouched(office: Office, document: Any) -> None:
    office.configure(base_url="http://127.0.0.1:9")
    event = _unchanged_after_failure(office, document, "plume:summarize?mode=after")
    assert event["state"] == "error" and "127.0.0.1:9" in event["message"]


def test_reply_cut_mid_stream_leaves_the_document_untouched(office: Office, document: Any, faulty: FaultyServer) -> None:
    office.configure(base_url=faulty.url + "/drop-mid-stream", read_timeout=10.0)
    assert _unchanged_after_failure(office, document, "plume:rewrite?style=shorter&mode=replace")["state"] == "error"


def _start_while_the_server_answers(office: Office, doc: Any, faulty: FaultyServer) -> int:
    """Dispatch a summary and return once the server has the request; gives the event index to wait from."""
    office.watch(doc)
    seen = len(office.listener.events)
    office.dispatch(doc, "plume:summarize?mode=after")
    deadline = time.monotonic() + 10
    while not faulty.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert faulty.requests, "the request never reached the server"
    return seen


def test_stop_cancels_at_once_and_leaves_the_document_untouched(office: Office, document: Any, faulty: FaultyServer) -> None:
    office.configure(base_url=faulty.url + "/stall")
    before = snapshot(document)
    seen = _start_while_the_server_answers(office, document, faulty)
    stopped_at = time.monotonic()
    office.dispatch(document, "plume:stop")
    event = office.listener.wait_end(seen, timeout=5)
    assert event["state"] == "cancelled"
    assert time.monotonic() - stopped_at < 0.5
    assert faulty.wait_for_disconnect(2.0) is not None, "the connection to the server was closed"
    assert snapshot(document) == before and not document.isModified()


@pytest.mark.parametrize("command", ["plume:rewrite?style=poetic", "plume:summarize?mode=sideways", "plume:instruct?text="])
def test_bad_commands_are_refused_with_a_message(office: Office, document: Any, command: str) -> None:
    assert _unchanged_after_failure(office, document, command)["state"] == "error"


def test_command_urls_parse() -> None:
    assert parse_command("plume:rewrite?style=formal&mode=after") == ("rewrite", {"style": "formal", "mode": "after"})
    assert parse_command("plume:instruct?text=Mets%20au%20futur") == ("instruct", {"text": "Mets au futur"})
    assert parse_command("plume:stop") == ("stop", {})


def test_closing_the_document_during_a_generation_is_safe(
    office: Office, llama_config: None, faulty: FaultyServer, sample_copy: Path
) -> None:
    office.configure(base_url=faulty.url + "/trickle")
    doc = office.open(sample_copy)
    seen = _start_while_the_server_answers(office, doc, faulty)
    doc.close(True)
    event = office.listener.wait_end(seen, timeout=5)
    assert event["state"] == "cancelled"
    assert faulty.wait_for_disconnect(2.0) is not None
    # LibreOffice is still alive and working.
    other = office.open(sample_copy)
    assert other.getText().getString()
    other.close(True)


SHORTCUTS = shortcuts(BUILTINS)  # from the actions: D draft, S summarise, R formal, E correct; W sidebar, Q stop


def test_default_shortcuts_run_plume_commands(office: Office) -> None:
    from com.sun.star.awt import KeyEvent
    from com.sun.star.awt.KeyModifier import MOD1, MOD2, SHIFT

    supplier = office.create("com.sun.star.ui.ModuleUIConfigurationManagerSupplier")
    shortcuts = supplier.getUIConfigurationManager("com.sun.star.text.TextDocument").getShortCutManager()
    for letter, command in SHORTCUTS.items():
        event = KeyEvent()
        event.KeyCode = uno.getConstantByName(f"com.sun.star.awt.Key.{letter}")
        event.Modifiers = SHIFT | MOD1 | MOD2
        assert shortcuts.getCommandByKeyEvent(event) == command


def test_the_shortcuts_are_free_in_libreoffice_itself() -> None:
    from harness.office import PROGRAM

    registry = PROGRAM.parent / "share" / "registry"
    own = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in registry.glob("*.xcd"))
    taken = [letter for letter in SHORTCUTS if f'oor:name="{letter}_SHIFT_MOD1_MOD2"' in own]
    assert not taken, f"LibreOffice binds Ctrl+Alt+Shift+{taken}"


def test_messages_and_undo_titles_follow_the_french_ui(office: Office, document: Any, faulty: FaultyServer) -> None:
    office.set_config("/org.openoffice.Setup/L10N", ooLocale="fr-FR")
    try:
        office.configure(base_url="http://127.0.0.1:9")
        failed = office.run(document, "plume:summarize?mode=after")
        assert "ne répond pas" in failed["message"]
        faulty.script = "Un résumé."
        office.configure(base_url=faulty.url + "/script")
        assert office.run(document, "plume:summarize?mode=after")["state"] == "done"
        assert document.getUndoManager().getCurrentUndoActionTitle() == "Plume : Résumer"
    finally:
        office.set_config("/org.openoffice.Setup/L10N", ooLocale="en-US")


def test_the_document_stays_editable_while_the_model_works(office: Office, document: Any, faulty: FaultyServer) -> None:
    office.configure(base_url=faulty.url + "/trickle")
    seen = _start_while_the_server_answers(office, document, faulty)
    text = document.getText()
    text.insertString(text.getEnd(), " Ajout de l'agent.", False)  # needs LibreOffice's main thread
    assert document.getText().getString().endswith("Ajout de l'agent.")
    assert not any(e["state"] in ("done", "error", "cancelled") for e in office.listener.events[seen:]), "still generating"
    office.dispatch(document, "plume:stop")
    assert office.listener.wait_end(seen, timeout=5)["state"] == "cancelled"
    assert document.getText().getString().endswith("Ajout de l'agent."), "the agent's edit is kept"


def test_quitting_libreoffice_during_a_generation_is_clean(
    oxt: Path, log_dir: Path, faulty: FaultyServer, sample_copy: Path
) -> None:
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        quitting = Office(profile, log_dir / "soffice-quit.log")
        quitting.start()
        try:
            quitting.configure(backend="openai", base_url=faulty.url + "/trickle", model="smollm2")
            doc = quitting.open(sample_copy)
            _start_while_the_server_answers(quitting, doc, faulty)
            quitting.desktop.terminate()
            assert quitting.process is not None
            assert quitting.process.wait(timeout=30) == 0
            assert faulty.wait_for_disconnect(5.0) is not None
        finally:
            quitting.stop()


def test_each_action_leaves_one_audit_line_without_text(office: Office, document: Any, faulty: FaultyServer) -> None:
    import json

    audit = office.profile / "user" / "plume" / "audit.jsonl"
    before = audit.read_text(encoding="utf-8").splitlines() if audit.exists() else []
    faulty.script = "Résumé bref."
    office.configure(base_url=faulty.url + "/script")
    assert office.run(document, "plume:summarize?mode=after")["state"] == "done"
    lines = audit.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(before) + 1
    entry = json.loads(lines[-1])
    assert entry["action"] == "summarize" and entry["outcome"] == "done" and entry["destination"] == "local"
    assert entry["output_chars"] == len("Résumé bref.") and entry["input_chars"] > 0
    assert "Résumé bref" not in lines[-1], "no text content unless IT enables it"
