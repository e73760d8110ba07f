"""The agent's guide (docs/guide.fr.md, docs/guide.en.md) shows what Plume looks like: these
tests drive a visible Writer in French, then in English, through the accessibility tree, check
what each screen must show, and take the guide's screenshots (test-artifacts/guide/<lang>/;
``tools/guide_screenshots.sh`` copies them into docs/images/). The scripted server
(``/script``) is used where the guide needs a known answer: an invented date, placeholders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import a11y, menus
from harness.display import screenshot
from harness.office import Office, install_extension, throwaway_profile
from snapshot import select_paragraph, snapshot

from plume.actions import BUILTINS
from plume.i18n import t
from support.faulty_server import FaultyServer

GUIDE = Path(__file__).resolve().parents[3] / "test-artifacts" / "guide"
SESSION_LOCALES = {"fr": "fr_FR.UTF-8", "en": "en_US.UTF-8"}
ADDONS_LANGUAGE = {"fr": "fr", "en": "en-US"}  # the xml:lang of Addons.xcu's titles


def label(key: str, lang: str, **values: object) -> str:
    return t(key, lang, **values).replace("~", "")


@pytest.fixture(scope="module", params=["fr", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def guide_office(oxt: Path, display: str, log_dir: Path, llama_url: str, lang: str) -> Iterator[Office]:
    # A workstation in French or English: LibreOffice takes its UI language from the session's.
    env = {"DISPLAY": display, "SAL_USE_VCLPLUGIN": "gen", "LANG": SESSION_LOCALES[lang], "LANGUAGE": lang}
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        with Office(profile, log_dir / f"soffice-guide-{lang}.log", env=env, headless=False) as running:
            running.set_config("/org.openoffice.Office.Common/Misc", ShowTipOfTheDay=False)
            running.configure(backend="openai", base_url=llama_url, model="smollm2", max_output_tokens=64, context_window=2048)
            yield running


@pytest.fixture
def letter(guide_office: Office, sample_copy: Path) -> Iterator[Any]:
    doc = guide_office.open(sample_copy, hidden=False)
    yield doc
    doc.close(True)


def _shot(display: str, lang: str, name: str) -> None:
    screenshot(display, GUIDE / lang / name)


def _run(office: Office, doc: Any, lang: str, action: str) -> dict[str, Any]:
    """Choose a transform action in the panel's list, press Run, wait for the run's end."""
    window = a11y.window_of(doc)
    a11y.choose(a11y.find(window, "LIST", label("panel.transform", lang)), BUILTINS.get(action).label(lang))
    office.watch(doc)
    seen = len(office.listener.events)
    a11y.press(a11y.find(window, "PUSH_BUTTON", label("panel.run", lang)))
    return office.listener.wait_end(seen)


def test_no_text_of_the_panel_is_cut_off_at_the_default_width(guide_office: Office, letter: Any, lang: str) -> None:
    guide_office.dispatch(letter, ".uno:SidebarDeck.PlumeDeck")
    panel = a11y.find(a11y.window_of(letter), "PUSH_BUTTON", label("panel.run", lang)).getAccessibleParent()
    assert a11y.cut_off(guide_office.create("com.sun.star.awt.Toolkit"), panel.getAccessibleContext()) == []


def test_the_panel_in_the_users_language_previews_a_summary(guide_office: Office, letter: Any, display: str, lang: str) -> None:
    guide_office.dispatch(letter, ".uno:SidebarDeck.PlumeDeck")
    select_paragraph(letter, 2)
    before = snapshot(letter)
    guide_office.configure(summary_mode="preview")
    try:
        assert _run(guide_office, letter, lang, "summarize")["state"] == "done"
    finally:
        guide_office.configure(summary_mode="after")
    assert a11y.find(a11y.window_of(letter), "STATIC", label("panel.result", lang)).getText().strip()
    assert a11y.find(a11y.window_of(letter), "LABEL", label("destination.local", lang))
    assert snapshot(letter) == before, "a preview does not touch the document"
    _shot(display, lang, "panel.png")


def test_the_context_menu_offers_plume_in_the_users_language(guide_office: Office, letter: Any, display: str, lang: str) -> None:
    select_paragraph(letter, 2)
    # Its titles are the menu bar's, in LibreOffice's interface language.
    menus.open_plume_submenu(guide_office, letter, display, ADDONS_LANGUAGE[lang])
    _shot(display, lang, "context-menu.png")
    menus.keys(display, "Escape", "Escape")


def test_what_will_be_sent_is_shown_first(
    guide_office: Office, letter: Any, display: str, lang: str, faulty: FaultyServer, llama_url: str
) -> None:
    faulty.script = "Contacter [NOM_1] au [TEL_1]."
    guide_office.configure(base_url=faulty.url + "/script", local_policy="warn")
    connections = faulty.connections
    try:
        guide_office.dispatch(letter, ".uno:SidebarDeck.PlumeDeck")
        select_paragraph(letter, 11)  # the contact line: a name, a phone number, an e-mail
        assert _run(guide_office, letter, lang, "summarize")["state"] == "error"
        assert faulty.connections == connections, "nothing left before the agent saw it"
        shown = a11y.find(a11y.window_of(letter), "STATIC", label("panel.to_send", lang, count=3)).getText()
        assert "[TEL_1]" in shown and "04 72 10 30 30" not in shown
        _shot(display, lang, "what-is-sent.png")
    finally:
        guide_office.configure(base_url=llama_url, local_policy="send")


def test_reviewing_ai_output_the_list_to_check_and_the_comment(
    guide_office: Office, letter: Any, display: str, lang: str, faulty: FaultyServer, llama_url: str
) -> None:
    faulty.script = "Les travaux commenceront le 9 juillet 2026 et dureront huit semaines."  # the letter says 6 juillet
    # Room for the whole paragraph's answer in one request (64 tokens would split it by sentence).
    guide_office.configure(base_url=faulty.url + "/script", rewrite_mode="preview", mark_ai_output=True, max_output_tokens=256)
    try:
        guide_office.dispatch(letter, ".uno:SidebarDeck.PlumeDeck")
        select_paragraph(letter, 3)
        assert _run(guide_office, letter, lang, "rewrite-formal")["state"] == "done"
        count = a11y.find(a11y.window_of(letter), "LABEL", label("check.count.one", lang))
        findings = a11y.find(a11y.window_of(letter), "LIST", label("check.label", lang))
        assert findings.getAccessibleChildCount() == 1
        assert (
            a11y.cut_off(guide_office.create("com.sun.star.awt.Toolkit"), count.getAccessibleParent().getAccessibleContext())
            == []
        ), "the count and notes too"
        _shot(display, lang, "to-check.png")
        a11y.press(a11y.find(a11y.window_of(letter), "PUSH_BUTTON", label("panel.replace", lang)))
        # The click is queued and the apply runs on LibreOffice's main thread: wait for its end.
        a11y.find(a11y.window_of(letter), "LABEL", label("panel.applied", lang))
        comments = _plume_comments(letter)
        assert len(comments) == 1 and "9 juillet 2026" in comments[0], "the comment lists what to check"
        _shot(display, lang, "ai-comment.png")
        letter.getUndoManager().undo()
        assert not _plume_comments(letter), "one undo removes the text and its comment"
    finally:
        guide_office.configure(base_url=llama_url, rewrite_mode="replace", max_output_tokens=64)


def _plume_comments(doc: Any) -> list[str]:
    fields = doc.getTextFields().createEnumeration()
    found = []
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author.startswith("Plume"):
            found.append(str(field.Content))
    return found
