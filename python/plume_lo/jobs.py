"""Running actions: one :class:`ActionRun` per request, from a command URL or the sidebar.

A run reads its target on the main thread, generates on a worker thread (:mod:`.worker`),
and reports every change to the ``plume:status`` listeners and to the sidebar of its frame.
With ``mode=preview`` it keeps its result for the sidebar's Apply buttons; with
``replace``/``after`` it applies it as soon as the model is done, unless the answer stopped at
the length limit (``truncated``): then it is ``held`` in the sidebar's preview, opened with
what happened, for the user to apply or not: with the sidebar's buttons, or
``plume:apply?mode=replace|after`` (:func:`apply_result`).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import unohelper
from com.sun.star.frame import FeatureStateEvent, XTerminateListener
from com.sun.star.util import XCloseListener

from plume.errors import Cancelled, NeedsConfirmation, UnsupportedError, for_log
from plume.i18n import STRINGS, describe_error, language_of, t
from plume.settings import APPLY_MODES

from .context import show_sidebar, ui_locale
from .log import logger

ACTIONS = ("summarize", "rewrite", "instruct", "translate")
ENDED = ("done", "error", "cancelled")


class RunView(Protocol):
    """What shows a run (the sidebar); every call happens on the main thread."""

    def run_started(self, run: ActionRun) -> None: ...
    def run_piece(self, run: ActionRun, text: str) -> None: ...
    def run_ended(self, run: ActionRun) -> None: ...
    def run_applied(self, run: ActionRun) -> None: ...


_lock = threading.Lock()
_runs: dict[int, ActionRun] = {}
_ids = itertools.count(1)
_status_listeners: list[tuple[Any, Any]] = []
_views: dict[int, RunView] = {}  # keyed by view_key(frame)
_latest: dict[int, ActionRun] = {}  # the last run started in each frame, for a sidebar opened later
_windows: list[Any] = []  # the one WindowCache of this LibreOffice, made on first use


def server_windows() -> Any:
    """The context windows servers reported, kept between actions (see WindowCache)."""
    from plume.window import WindowCache

    with _lock:
        if not _windows:
            _windows.append(WindowCache())
        return _windows[0]


def view_key(frame: Any) -> int:
    # Two Python proxies of one UNO frame are different objects; pyuno hashes by UNO identity.
    return hash(frame)


def register_view(frame: Any, view: RunView | None) -> None:
    if view is None:
        _views.pop(view_key(frame), None)
    else:
        _views[view_key(frame)] = view


class ActionRun:
    def __init__(self, ctx: Any, frame: Any, command: str, params: dict[str, str]) -> None:
        self.ctx, self.frame, self.command = ctx, frame, command
        self.id = next(_ids)
        self.lang = language_of(ui_locale(ctx))
        self.mode = params.get("mode", "")  # empty: the settings' default for this action
        self.params = params
        self.state = "starting"
        self.message = ""
        self.text = ""
        self.stats: Any = None
        self.target: Any = None
        self.settings: Any = None
        self.pending: Any = None  # NeedsConfirmation: what would be sent, for the user to review
        self.confirmed = params.get("confirmed", "")  # the token of what the user saw and confirmed
        self.unsupported: list[Any] | None = None  # fact-check findings; None until checked
        self.long: Any = None  # the LongGeneration: its progress over several requests
        self.door: Any = None  # the run's door: what left, for the audit
        self.held = False  # a truncated result kept in the preview instead of being applied
        self.applied = False  # the result is in the document (by the run itself, or asked for later)
        self._job: Any = None

    @property
    def destination(self) -> str:
        """Where the text went, as records keep it: "local" or the server's host."""
        from plume.destination import destination_of

        return "local" if destination_of(self.settings).kind == "local" else str(self.settings.host)

    @property
    def title(self) -> str:
        return t("undo.title", self.lang, action=self.mark_action())

    def action(self) -> Any:
        """The registry's description of this run's action: a legacy name ("rewrite" with a
        style) or a registry id, IT's and the user's own actions included."""
        from plume.actions import registry_for

        return registry_for(self.settings).get(self.command, self.params.get("style", ""))

    def start(self) -> None:
        from plume.cancel import CancelToken

        from .config_store import load_settings
        from .document import check_writable, target_for
        from .worker import Job, MainThread

        cancel = CancelToken()
        try:
            self.settings = settings = load_settings(self.ctx).validate()
            action = self.action()
            self.mode = self.mode or str(getattr(settings, action.mode_setting, settings.rewrite_mode))
            if self.mode not in APPLY_MODES:
                raise UnsupportedError(f"mode must be one of {', '.join(APPLY_MODES)}")
            model = self.frame.getController().getModel()
            # Until the adapter reads what each action reads: "summarize" is how target_for names the whole document.
            self.target = target_for(model, "summarize" if action.reads == "document" else self.command)
            if self.mode != "preview":
                check_writable(self.target)  # refuse before the model works, not after
            pieces = self.make_pieces(settings, cancel)
        except Exception as error:
            logger(self.ctx).info("run %s refused: %s", self.id, for_log(error))
            self._end("error", describe_error(error, self.lang))
            return

        self._job = Job(MainThread(self.ctx), pieces, cancel.cancel, self._piece, self._done, self._failed)
        with _lock:
            _runs[self.id] = self
            _latest[view_key(self.frame)] = self
        self.state = "running"
        # The worker starts first: it builds and sends the request while this thread updates
        # the sidebar (the first piece came tens of ms later otherwise, benchmarks row 2). Its
        # callbacks are posted to this thread, so they all run after the lines below.
        self._job.start()
        model.addCloseListener(_StopOnClose(self))
        _watch_quit(self.ctx)
        self._notify(lambda view: view.run_started(self))
        _broadcast(self)

    def make_pieces(self, settings: Any, cancel: Any) -> Iterator[str]:
        """The result's pieces, produced on the worker thread; raises here, on the main
        thread, for what can be refused before any work starts."""
        # Heavy imports (httpx, the backends) happen here, on first use, never at start-up.
        from plume.actions import ActionSpec
        from plume.backends.base import create_backend
        from plume.longdoc import LongGeneration, require_confirmation
        from plume.pipeline import resolve_model
        from plume.window import resolve_window

        from .config_store import api_key
        from .document import blocks_of

        spec = ActionSpec(self.action(), instruction=self.params.get("text", ""),
                          target=self.params.get("to", "") or settings.translate_target,
                          signature=settings.signature_block)  # fmt: skip
        backend = create_backend(settings, api_key(self.ctx, settings.base_url))
        self.door = backend.door
        source, blocks = self.target.source, blocks_of(self.target)

        def pieces() -> Iterator[str]:
            # Runs on the worker thread: resolving the model and its window may ask the server,
            # which a "warn" policy allows only once the user has seen what will be sent.
            require_confirmation(settings, spec, blocks, self.confirmed)
            model = resolve_model(backend, settings)
            window = resolve_window(backend, settings, model, server_windows()).tokens
            generation = LongGeneration(backend, settings, spec, blocks, model=model, window=window,
                                        ui_language=self.lang, cancel=cancel, confirmed=self.confirmed)  # fmt: skip
            self.long = generation
            self.stats = generation.stats
            yield from generation
            self.unsupported = self.fact_check(generation.text, source)

        return pieces()

    def fact_check(self, answer: str, source: str, **languages: str) -> list[Any] | None:
        """The answer's elements the source does not support (worker thread: a long source
        takes a moment). The check informs: if it fails, the result is still usable."""
        from plume.factcheck import check

        try:
            return check(answer, source, **languages)
        except Exception:
            logger(self.ctx).exception("fact check failed")
            return None

    def to_check(self) -> tuple[tuple[str, str], ...]:
        """What the AI mark lists for the reviewer."""
        return tuple((finding.kind, finding.text) for finding in self.unsupported or ())

    def stop(self) -> None:
        if self._job is not None and self._job.running:
            self._job.stop()

    @property
    def running(self) -> bool:
        return self.state == "running"

    def apply(self, mode: str) -> None:
        """Apply the result (main thread); raises UnsupportedError when it cannot."""
        from plume.marking import Mark

        from .document import apply

        mark = Mark.now(self.mark_action(), self.stats.model if self.stats else "", self.destination, len(self.text),
                        self.to_check(), self.truncated)  # fmt: skip
        apply(self.target, self.text, mode, self.title,
              keep_format=self.action().keep_format, track_changes=self.settings.track_changes,
              mark=mark, comment=mark.comment(self.lang) if self.settings.mark_ai_output else "",
              segments=self.long.segments if self.long is not None else None)  # fmt: skip

    @property
    def truncated(self) -> bool:
        """The answer stopped at the length limit: its end is missing (a summary's was cut at
        its last complete sentence)."""
        return bool(getattr(self.stats, "truncated", False))

    def mark_action(self) -> str:
        """The action as the AI mark names it."""
        if f"action.{self.command}" in STRINGS:
            return t(f"action.{self.command}", self.lang)
        try:
            return str(self.action().label(self.lang))
        except Exception:  # not an action (plume:marks, plume:apply reports)
            return self.command

    def progress_text(self) -> str:
        """Where a long run is ("partie 3 / 12"), for the sidebar's status line; empty for one request."""
        progress = self.long.progress if self.long is not None else None
        if progress is None:
            return ""
        return t("long.progress", self.lang, done=min(progress[0] + 1, progress[1]), total=progress[1])

    # --- callbacks from the worker, on the main thread ----------------------
    def _piece(self, text: str) -> None:
        first = bool(text) and not self.text
        self.text += text
        self._notify(lambda view: view.run_piece(self, text))
        if first:  # the answer is now on screen: listeners (macros, the benchmark) learn it once
            _broadcast(self)

    def _done(self) -> None:
        if self.long is not None and self.stats is not None and self.stats.trimmed:
            self.text = self.long.text  # the summary ends at its last complete sentence, not where it was cut
        if self.mode != "preview" and self.truncated:
            # Never applied by itself: the user sees it and the reason in the sidebar first.
            self.held = True
            logger(self.ctx).info("run %s truncated: held in the preview", self.id)
            try:
                show_sidebar(self.ctx, self.frame)
            except Exception:
                logger(self.ctx).exception("sidebar not shown")
        elif self.mode != "preview":
            try:
                self.apply(self.mode)
            except Exception as error:
                logger(self.ctx).warning("run %s not applied: %s", self.id, error)
                self._end("error", describe_error(error, self.lang))
                return
            self.applied = True
        self._end("done", self.text)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, NeedsConfirmation):
            self.pending = error
            show_sidebar(self.ctx, self.frame)  # where the user reviews what would be sent
        logger(self.ctx).info("run %s failed: %s", self.id, for_log(error))  # never the message: it may quote the text
        self._end("cancelled" if isinstance(error, Cancelled) else "error", describe_error(error, self.lang))

    def _end(self, state: str, message: str) -> None:
        with _lock:
            _runs.pop(self.id, None)
        self.state, self.message = state, message
        if self.stats is not None:  # the model was asked: account for it
            self._audit()
        self._notify(lambda view: view.run_ended(self))
        _broadcast(self)

    def _audit(self) -> None:
        from plume.audit import AuditEntry, AuditLog, as_sent

        from .context import user_dir

        settings, stats = self.settings, self.stats
        include = settings.audit_include_text
        entry = AuditEntry(
            action=self.command if self.command != "rewrite" else f"rewrite:{self.params.get('style', '')}",
            model=stats.model, destination=self.destination, outcome=self.state,
            input_chars=stats.input_chars, output_chars=stats.output_chars, duration_seconds=round(stats.total_seconds, 3),
            pseudonymised=stats.pseudonymised,
            requests=self.door.requests if self.door else 0, prevented=self.door.prevented if self.door else 0,
            truncated=self.truncated,
            input_text=as_sent(self.door, self.target.source) if include else None,
            output_text=as_sent(self.door, self.text) if include else None,
        )  # fmt: skip
        try:
            AuditLog(Path(user_dir(self.ctx)) / "plume" / "audit.jsonl", max_bytes=settings.audit_max_kb * 1024).record(entry)
        except OSError:
            logger(self.ctx).exception("audit log not written")

    def confirm(self) -> ActionRun:
        """Start the same action again, the user having seen what will be sent."""
        token = self.pending.token if self.pending is not None else ""
        return start(self.ctx, self.frame, self.command, {**self.params, "mode": self.mode, "confirmed": token})

    def _notify(self, call: Callable[[RunView], None]) -> None:
        if self.frame is None:
            return
        try:
            view = _views.get(view_key(self.frame))
        except Exception:  # the frame is gone
            return
        if view is not None:
            try:
                call(view)
            except Exception:
                logger(self.ctx).exception("sidebar update failed")


def start(ctx: Any, frame: Any, command: str, params: dict[str, str]) -> ActionRun:
    if command == "translate":
        from .translation_job import TranslateRun

        run: ActionRun = TranslateRun(ctx, frame, params)
    else:
        run = ActionRun(ctx, frame, command, params)
    run.start()
    return run


def list_marks(ctx: Any, frame: Any, remove: bool) -> None:
    """``plume:marks``: report the AI-assisted passages; with ``remove``, drop the visible
    comments once a person has reviewed them (the records in the properties stay)."""
    from .document import mark_records, marked_passages

    run = ActionRun(ctx, frame, "marks", {})
    model = frame.getController().getModel()
    passages, records = marked_passages(model), mark_records(model)
    if remove:
        undo = model.getUndoManager()
        undo.enterUndoContext(t("undo.title", run.lang, action=t("marks.undo", run.lang)))
        try:
            for field, _ in passages:
                field.dispose()
        finally:
            undo.leaveUndoContext()
        run._end("done", t("marks.removed", run.lang, count=len(passages)))
        return
    if not records and not passages:
        run._end("done", t("marks.none", run.lang))
        return
    lines = [t("marks.list", run.lang, count=len(records))]
    lines += [f"- {m.date[:16].replace('T', ' ')} · {m.action} · {m.model} · {m.destination} · {m.chars}"
              + (f" · {t('marks.truncated', run.lang)}" if m.truncated else "") for m in records]  # fmt: skip
    lines += [f"  « {text[:80]} »" for _, text in passages]
    run.text = "\n".join(lines)
    run._end("done", run.text)


def apply_result(ctx: Any, frame: Any, mode: str) -> None:
    """``plume:apply?mode=replace|after``: apply the result waiting in this frame's preview (a
    ``mode=preview`` run, or a cut answer held), as the sidebar's Replace / Insert after
    buttons do; for keyboard users and macros. Reported on ``plume:status`` as command
    ``apply``: ``done``, or ``error`` when nothing waits (already applied, failed, stopped)."""
    report = ActionRun(ctx, frame, "apply", {})
    run = latest_in(frame)
    try:
        if mode not in ("replace", "after"):
            raise UnsupportedError("mode must be replace or after")
        if run is None or run.state != "done" or run.applied or not run.text.strip():
            raise UnsupportedError(t("apply.nothing", report.lang))
        run.apply(mode)
    except Exception as error:
        logger(ctx).info("plume:apply refused: %s", error)
        report.state, report.message = "error", describe_error(error, report.lang)
    else:
        run.applied, run.held = True, False
        run._notify(lambda view: view.run_applied(run))
        report.state, report.message = "done", t("panel.applied", report.lang)
    _broadcast(report)  # not report._end: the sidebar keeps showing the run itself


def stop_all(frame: Any | None = None) -> None:
    with _lock:
        runs = list(_runs.values())
    for run in runs:
        if frame is None or view_key(run.frame) == view_key(frame):
            run.stop()


def latest_in(frame: Any) -> ActionRun | None:
    with _lock:
        return _latest.get(view_key(frame))


class _StopOnQuit(unohelper.Base, XTerminateListener):  # type: ignore[misc]
    """Stop every job before LibreOffice quits, so no worker thread is mid-request while the
    process shuts down."""

    def queryTermination(self, event: Any) -> None:
        stop_all()

    def notifyTermination(self, event: Any) -> None:
        stop_all()

    def disposing(self, event: Any) -> None:
        stop_all()


_quit_listener: list[_StopOnQuit] = []


def _watch_quit(ctx: Any) -> None:
    if not _quit_listener:
        from .context import create

        _quit_listener.append(_StopOnQuit())
        create(ctx, "com.sun.star.frame.Desktop").addTerminateListener(_quit_listener[0])


class _StopOnClose(unohelper.Base, XCloseListener):  # type: ignore[misc]
    def __init__(self, run: ActionRun) -> None:
        self.run = run

    def queryClosing(self, event: Any, gets_ownership: bool) -> None:
        pass  # never veto: the user may close a document while Plume works

    def notifyClosing(self, event: Any) -> None:
        self.run.stop()

    def disposing(self, event: Any) -> None:
        self.run.stop()


# --- plume:status -----------------------------------------------------------
def add_status_listener(listener: Any, url: Any) -> None:
    _status_listeners.append((listener, url))


def remove_status_listener(listener: Any) -> None:
    _status_listeners[:] = [(known, u) for known, u in _status_listeners if known != listener]


def feature_event(source: Any, url: Any, state: Any) -> FeatureStateEvent:
    event = FeatureStateEvent()
    event.Source, event.FeatureURL, event.IsEnabled, event.Requery = source, url, True, False
    if state is not None:
        event.State = state
    return event


def _broadcast(run: ActionRun) -> None:
    text = json.dumps({"job": run.id, "command": run.command, "state": run.state, "shown": len(run.text),
                       "message": run.message if run.state in ENDED else "",
                       "truncated": run.state == "done" and run.truncated}, ensure_ascii=False)  # fmt: skip
    for listener, url in list(_status_listeners):
        try:
            listener.statusChanged(feature_event(None, url, text))
        except Exception:  # a listener from a macro or process that went away
            remove_status_listener(listener)
