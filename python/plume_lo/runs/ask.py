"""A question about the documents (:class:`AskRun`): the open document or a collection,
answered by the core (:func:`plume.knowledge.answer.prepare_ask`) from the passages it
finds, citing them [1], [2]...

This adapter gives the core what only LibreOffice knows (the open document's text, the key
in the password store), streams the answer into the sidebar's preview, lists its sources,
shows a chosen source's passage (selected in the document, or its file opened at it) and
inserts the answer with its sources as footnotes. ``plume:ask?q=…&scope=document|<collection>``
and the registry's "ask" action both start one; ``mode=sources`` inserts the answer with its
sources when it is done, otherwise it waits in the preview, where ``plume:apply?mode=sources``
inserts it and ``plume:source?n=<number>`` shows a source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plume.errors import UnsupportedError, for_log
from plume.i18n import describe_error, t

from ..log import logger
from .base import Run, _StopOnClose, broadcast, latest_in
from .model import server_windows

if TYPE_CHECKING:
    from plume.actions import Action
    from plume.cancel import CancelToken
    from plume.knowledge.answer import AskRun as Answer
    from plume.knowledge.answer import Source
    from plume.knowledge.types import Hit, Passage, Retriever
    from plume.settings import Settings

DOCUMENT = "document"  # the scope of the open document; any other scope names a collection
MODES = ("preview", "sources")
READ_ONLY_SUFFIXES = (".pdf",)  # files Writer shows but does not edit: opened read-only, the place said


class AskRun(Run):
    working = "panel.ask.working"

    def __init__(self, ctx: Any, frame: Any, action: Action, params: dict[str, str]) -> None:
        super().__init__(ctx, frame, action.id, params, action)
        # "q" from plume:ask, "text" from plume:run?action=ask (the registry's instruction).
        self.question = (params.get("q") or params.get("text") or "").strip()
        self.scope = params.get("scope", "").strip() or DOCUMENT
        self.answer: Answer | None = None
        self.asked_on = ""  # the open document's text the passages' offsets count in
        self.retriever: _Deferred | None = None

    # --- what the sidebar offers ----------------------------------------------------------
    @property
    def apply_modes(self) -> tuple[str, ...]:
        return ("sources",)

    @property
    def default_apply(self) -> str:
        return "sources"

    @property
    def sources(self) -> list[Source]:
        return self.answer.sources if self.answer is not None and self.state == "done" else []

    @property
    def found_nothing(self) -> bool:
        return self.answer is not None and self.answer.found_nothing

    def notes(self, lang: str) -> list[str]:
        """What the answer's check found (nothing found, no citation, unknown numbers); the
        sidebar says what every run's statistics say (lost values, a cut answer) itself."""
        from plume.i18n import STRINGS
        from plume.runs.model_run import notes as stats_notes

        if self.answer is None:
            return []
        # What the search says of itself first ("searched without embeddings": i18n keys).
        made = self.retriever.made if self.retriever is not None else None
        searched = [t(key, lang) for key in getattr(made, "notes", None) or () if key in STRINGS]
        shown_anyway = set(stats_notes(self.answer.stats, lang))
        return searched + [note for note in self.answer.notes(lang) if note not in shown_anyway]

    def sent_text(self) -> str:
        from plume.knowledge.answer import numbered

        return numbered(self.answer.sent) + "\n\n" + self.question if self.answer is not None else ""

    def source_items(self, lang: str) -> list[str]:
        return [
            t("panel.ask.source", lang, number=source.number, title=_title(source.hit.passage, lang),
              place=_place(source.hit.passage, lang))
            for source in self.sources
        ]  # fmt: skip

    # --- asking -------------------------------------------------------------------------
    def start(self, settings: Settings) -> None:
        from plume.cancel import CancelToken

        from ..config_store import api_key

        cancel = CancelToken()
        try:
            self.settings = settings = settings.validate()
            self.mode = self.params.get("mode") or "preview"
            if self.mode not in MODES:
                raise UnsupportedError(f"mode must be {' or '.join(MODES)}")
            if self.mode == "preview" or not self.question:
                self._show_sidebar()  # where the answer streams, or where the question is typed
            if not self.question:
                assert self.action is not None
                self.end("error", t("run.needs_instruction", self.lang, action=self.action.label(self.lang)))
                return
            from plume.knowledge.answer import prepare_ask

            model = self.frame.getController().getModel()
            key = api_key(self.ctx, settings.base_url)
            retriever = self.retriever = self._retriever(model, settings, key)
            self.answer = prepare_ask(settings, self.question, retriever, api_key=key,
                                      ui_language=self.lang, cancel=cancel, confirmed=self.confirmed or False,
                                      windows=server_windows())  # fmt: skip
            self.door = self.answer.door
        except Exception as error:
            logger(self.ctx).info("run %s refused: %s", self.id, for_log(error))
            self._end("error", describe_error(error, self.lang))
            return
        self._launch(self._pieces(self.answer, retriever), cancel)
        model.addCloseListener(_StopOnClose(self))

    def _retriever(self, model: Any, settings: Settings, key: str) -> _Deferred:
        """Read here, on the main thread, what only LibreOffice can give (the open document's
        text: the passages' offsets count in it); the index is built or opened on the worker
        thread, when the core first searches. A collection that does not exist is refused now."""
        if self.scope == DOCUMENT:
            from plume.knowledge.document import document_retriever

            from ..document import blocks_of, whole_document

            target = whole_document(model)
            self.asked_on = target.source
            blocks = blocks_of(target)
            return _Deferred(lambda: document_retriever(blocks))
        from plume.knowledge.collection import find_collection, open_collection

        personal = personal_index_dir(self.ctx)
        find_collection(self.scope, settings, personal)
        return _Deferred(lambda: open_collection(self.scope, settings=settings, personal_dir=personal, api_key=key))

    def _pieces(self, answer: Answer, retriever: _Deferred) -> Iterator[str]:
        # On the worker thread: retrieval, then the answer streamed.
        try:
            for piece in answer.pieces():
                self.stats = answer.stats
                yield piece
        finally:  # also when it fails or is stopped: the audit accounts for what was asked
            self.stats = answer.stats
            retriever.close()
        self.unsupported = answer.unsupported

    def _done(self) -> None:
        if self.found_nothing:  # the model was not asked: nothing to show or insert
            self._end("done", "\n".join(self.notes(self.lang)))
            return
        super()._done()

    def _show_sidebar(self) -> None:
        from ..context import show_sidebar

        try:
            show_sidebar(self.ctx, self.frame)
        except Exception:
            logger(self.ctx).exception("sidebar not shown")

    def confirm(self) -> Run:
        from ..config_store import load_settings

        assert self.action is not None
        token = self.pending.token if self.pending is not None else ""
        run = AskRun(self.ctx, self.frame, self.action, {**self.params, "mode": self.mode, "confirmed": token})
        run.start(load_settings(self.ctx))
        return run

    # --- the sources --------------------------------------------------------------------
    def open_source(self, index: int) -> str:
        """Show source ``index`` (0-based, in the listed order): its passage selected in the
        open document, or its file opened at it. Returns what to tell the user."""
        from ..document.passages import find_passage, open_file, select_passage

        sources = self.sources
        if not 0 <= index < len(sources):
            raise UnsupportedError("there is no such source")
        source = sources[index]
        passage = source.hit.passage
        place = _place(passage, self.lang)
        if not passage.source:  # the open document
            model = self.frame.getController().getModel()
            found = select_passage(model, self.asked_on, passage.start, passage.end, passage.text)
            return t("panel.ask.selected" if found else "panel.ask.not_found", self.lang, number=source.number, place=place)
        name = Path(passage.source).name
        if Path(passage.source).suffix.lower() in READ_ONLY_SUFFIXES:
            key = "panel.ask.opened" if _open_read_only(self.ctx, passage.source) else "panel.ask.opened.viewer"
            return t(key, self.lang, file=name, place=place)
        component = open_file(self.ctx, passage.source, read_only=False)
        found = find_passage(component, passage.text)
        return t("panel.ask.selected" if found else "panel.ask.not_found", self.lang, number=source.number, place=place)

    # --- inserting the answer with its sources --------------------------------------------
    def apply(self, mode: str) -> None:
        if mode not in self.apply_modes:
            raise UnsupportedError(f"mode must be {' or '.join(self.apply_modes)}")
        self.write(mode)

    def write(self, where: str) -> None:
        """The answer at the cursor (after the selection), each citation a footnote naming
        its source's file, date and place; one undo step, with the AI mark."""
        from plume.marking import Mark

        from ..document import insertion_point
        from ..document.citing import insert_cited

        assert self.settings is not None and self.action is not None and self.answer is not None
        model = self.frame.getController().getModel()
        mark = Mark.now(self.action.label(self.lang), self.stats.model if self.stats else "", self.destination,
                        len(self.text), self.to_check(), self.truncated)  # fmt: skip
        insert_cited(insertion_point(model), self.answer.footnoted(self.lang), self.title,
                     track_changes=self.settings.track_changes, mark=mark,
                     comment=mark.comment(self.lang) if self.settings.mark_ai_output else "")  # fmt: skip


def _title(passage: Passage, lang: str) -> str:
    """How the Sources list names a passage's file: its title, else its name; "this document"."""
    if not passage.source:
        return t("ask.this_document", lang)
    return passage.title or passage.source.replace("\\", "/").rsplit("/", 1)[-1]


def _place(passage: Passage, lang: str) -> str:
    from plume.knowledge.citations import describe_place

    return describe_place(passage.place, lang) or t("ask.place.unknown", lang)


def open_source_latest(ctx: Any, frame: Any, number: str) -> None:
    """``plume:source?n=<number>``: show source [number] of the answer waiting in this
    frame's preview, as choosing it in the sidebar's Sources list does; for keyboard users
    and macros. Reported on ``plume:status`` as command ``source``: ``done`` with what was
    shown, or ``error`` (no answer, no such source, a file that is gone)."""
    report = Run(ctx, frame, "source", {})
    run = latest_in(frame)
    try:
        numbers = [source.number for source in run.sources] if isinstance(run, AskRun) else []
        if not number.strip().isdigit() or int(number) not in numbers:
            raise UnsupportedError(f"the answer waiting in the preview has no source [{number}]")
        assert isinstance(run, AskRun)
        report.state, report.message = "done", run.open_source(numbers.index(int(number)))
    except Exception as error:
        logger(ctx).info("plume:source refused: %s", for_log(error))
        report.state, report.message = "error", describe_error(error, report.lang)
    broadcast(report)


class _Deferred:
    """A retriever made on the worker thread at its first search (building the open
    document's index, opening a collection's), closed when the run ends."""

    def __init__(self, make: Callable[[], Retriever]) -> None:
        self.make = make
        self.made: Retriever | None = None

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        if self.made is None:
            self.made = self.make()
        return self.made.search(query, k, cancel=cancel)

    def close(self) -> None:
        close = getattr(self.made, "close", None)
        if callable(close):
            close()


def _open_read_only(ctx: Any, path: str) -> bool:
    """Open a file LibreOffice shows but Writer does not edit (a PDF) read-only; without
    LibreOffice's PDF import (Draw), in the system's viewer. Returns whether LibreOffice
    opened it."""
    import uno

    from ..context import create
    from ..document.passages import open_file

    if open_file(ctx, path, read_only=True) is not None:
        return True
    url = uno.systemPathToFileUrl(str(Path(path).resolve()))
    try:
        create(ctx, "com.sun.star.system.SystemShellExecute").execute(url, "", 1)  # 1: URIS_ONLY
    except Exception:  # no viewer: say so, the status line still names the place
        raise UnsupportedError(f"no application on this computer opens {Path(path).name}") from None
    return False


def personal_index_dir(ctx: Any) -> Path:
    """The personal collections' index, in the LibreOffice profile."""
    from ..context import user_dir

    return Path(user_dir(ctx)) / "plume" / "knowledge"
