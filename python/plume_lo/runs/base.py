"""What every run shares: its state, the views that show it (the sidebar of its frame), the
``plume:status`` broadcast, stopping, the audit line, and the way a run on the document
starts: read the target on the main thread, produce the result on a worker thread
(:mod:`plume_lo.worker`), then apply it or keep it for the sidebar's preview.

With ``mode=preview`` a run keeps its result for the sidebar's Apply buttons; with
``replace``/``after`` it applies it as soon as it is done, unless the answer stopped at the
length limit (``truncated``): then it is ``held`` in the sidebar's preview, opened with what
happened, for the user to apply or not: with the sidebar's buttons, or
``plume:apply?mode=replace|after`` (:func:`apply_result`).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import unohelper
from com.sun.star.frame import FeatureStateEvent, XTerminateListener
from com.sun.star.util import XCloseListener

from plume.errors import Cancelled, NeedsConfirmation, UnsupportedError, for_log
from plume.i18n import describe_error, language_of, t
from plume.settings import APPLY_MODES, SETTING_FIELDS

from ..context import show_sidebar, ui_locale
from ..log import logger

if TYPE_CHECKING:
    from plume.actions import Action
    from plume.cancel import CancelToken
    from plume.egress.door import Door
    from plume.factcheck import Finding
    from plume.longdoc import LongGeneration
    from plume.pipeline import GenerationStats
    from plume.settings import Settings

    from ..document import Target
    from ..worker import Job

ENDED = ("done", "error", "cancelled")


class RunView(Protocol):
    """What shows a run (the sidebar); every call happens on the main thread."""

    def run_started(self, run: Run) -> None: ...
    def run_piece(self, run: Run, text: str) -> None: ...
    def run_ended(self, run: Run) -> None: ...
    def run_applied(self, run: Run) -> None: ...


_lock = threading.Lock()
_runs: dict[int, Run] = {}
_ids = itertools.count(1)
_status_listeners: list[tuple[Any, Any]] = []  # (UNO XStatusListener, its URL)
_views: dict[int, RunView] = {}  # keyed by view_key(frame)
_latest: dict[int, Run] = {}  # the last run started in each frame, for a sidebar opened later


def view_key(frame: Any) -> int:
    # Two Python proxies of one UNO frame are different objects; pyuno hashes by UNO identity.
    return hash(frame)


def register_view(frame: Any, view: RunView | None) -> None:
    if view is None:
        _views.pop(view_key(frame), None)
    else:
        _views[view_key(frame)] = view


class Run:
    """One request the user made, from a command URL, a shortcut, a menu or the sidebar.

    ``command`` names it on ``plume:status`` and in the audit: the action's id for a run of
    an action, else what was asked ("apply", "marks", an unknown name)."""

    def __init__(self, ctx: Any, frame: Any, command: str, params: dict[str, str], action: Action | None = None) -> None:
        self.ctx, self.frame, self.command, self.action = ctx, frame, command, action
        self.id = next(_ids)
        self.lang = language_of(ui_locale(ctx))
        self.params = params
        self.mode = params.get("mode", "")  # preview, replace or after; empty: the action's setting
        self.where = ""  # where an applied result goes: replace, after or append (see place)
        self.state = "starting"
        self.message = ""
        self.text = ""
        self.stats: GenerationStats | None = None
        self.target: Target | None = None
        self.settings: Settings | None = None
        self.pending: NeedsConfirmation | None = None  # what would be sent, for the user to review
        self.confirmed = params.get("confirmed", "")  # the token of what the user saw and confirmed
        self.unsupported: list[Finding] | None = None  # fact-check findings; None until checked
        self.long: LongGeneration | None = None  # a model run's progress over several requests
        self.door: Door | None = None  # the run's door: what left, for the audit
        self.held = False  # a truncated result kept in the preview instead of being applied
        self.applied = False  # the result is in the document (by the run itself, or asked for later)
        self._job: Job | None = None

    # --- what views ask ---------------------------------------------------------
    @property
    def destination(self) -> str:
        """Where the text went, as records keep it: "local" or the server's host."""
        return model_destination(self.settings)

    @property
    def title(self) -> str:
        """The undo step's title."""
        name = self.action.label(self.lang) if self.action is not None else self.command
        return t("undo.title", self.lang, action=name)

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def truncated(self) -> bool:
        """The answer stopped at the length limit: its end is missing (a summary's was cut at
        its last complete sentence)."""
        return bool(self.stats is not None and self.stats.truncated)

    @property
    def default_apply(self) -> str:
        """The Apply button a preview offers first: "replace" for an action that replaces its
        text, "after" for one that adds to it."""
        return "replace" if self.action is None or self.action.placement == "replace" else "after"

    @property
    def alternative(self) -> dict[str, str] | None:
        """The parameters of another run the view may offer instead of this failed one (a
        translation by the model when no language package covers the pair); None: none."""
        return None

    working = "panel.working"  # what the sidebar says while it runs (a catalogue key)

    @property
    def apply_modes(self) -> tuple[str, ...]:
        """How its result can go into the document: the sidebar enables those buttons,
        ``plume:apply?mode=`` accepts those modes."""
        return ("replace", "after")

    def source_items(self, lang: str) -> list[str]:
        """The numbered sources of an answer, as the sidebar lists them; empty for other runs."""
        return []

    def open_source(self, index: int) -> str:
        """Show the passage of source ``index`` (0-based); returns what to tell the user."""
        raise UnsupportedError("this run has no sources")

    def sent_text(self) -> str:
        """The text the run sent (before pseudonymisation), for the audit when it keeps texts."""
        return self.target.source if self.target is not None else ""

    def notes(self, lang: str) -> list[str]:
        """What a view says about this run besides its result (how it was made, what to do)."""
        return []

    def progress_text(self) -> str:
        """Where a long run is ("partie 3 / 12"), for the sidebar's status line; empty for one request."""
        return ""

    def to_check(self) -> tuple[tuple[str, str], ...]:
        """What the AI mark lists for the reviewer."""
        return tuple((finding.kind, finding.text) for finding in self.unsupported or ())

    def fact_check(self, answer: str, source: str, **languages: str) -> list[Finding] | None:
        """The answer's elements the source does not support (worker thread: a long source
        takes a moment). The check informs: if it fails, the result is still usable."""
        from plume.factcheck import check

        try:
            return check(answer, source, **languages)
        except Exception:
            logger(self.ctx).exception("fact check failed")
            return None

    def place(self, mode: str) -> str:
        """Where a result applied in ``mode`` ("replace" or "after") goes: "after" means at
        the end of the text read for an action that continues it (placement "append")."""
        if mode == "after" and self.action is not None and self.action.placement == "append":
            return "append"
        return mode

    def apply(self, mode: str) -> None:
        """Apply the result (main thread) in ``mode`` ("replace" or "after"); raises
        UnsupportedError when it cannot."""
        raise UnsupportedError("this run has no result to apply")

    def confirm(self) -> Run:
        """Start the same run again, the user having seen what will be sent."""
        raise UnsupportedError("this run has nothing to confirm")

    def stop(self) -> None:
        if self._job is not None and self._job.running:
            self._job.stop()

    # --- starting a run on the document -------------------------------------------
    def start(self, settings: Settings) -> None:
        """Read the target and start producing the result on a worker thread; anything
        refused before the work starts ends the run with one clear message."""
        from plume.cancel import CancelToken

        from ..document import check_writable, target_for

        cancel = CancelToken()
        try:
            if self.action is None:
                raise UnsupportedError(f"{self.command} is not an action")
            self.settings = settings = settings.validate()
            self.mode, self.where = self._modes(settings)
            model = self.frame.getController().getModel()
            self.target = target_for(model, self.action)
            if self.mode != "preview":
                check_writable(self.target)  # refuse before the model works, not after
            pieces = self.make_pieces(settings, cancel)
        except Exception as error:
            logger(self.ctx).info("run %s refused: %s", self.id, for_log(error))
            self._end("error", describe_error(error, self.lang))
            return

        self._launch(pieces, cancel)
        model.addCloseListener(_StopOnClose(self))

    def _launch(self, pieces: Iterator[str], cancel: CancelToken) -> None:
        """Produce ``pieces`` on a worker thread, telling views and listeners as they come."""
        from ..worker import Job, MainThread

        self._job = Job(MainThread(self.ctx), pieces, cancel.cancel, self._piece, self._done, self._failed)
        with _lock:
            _runs[self.id] = self
            _latest[view_key(self.frame)] = self
        self.state = "running"
        # The worker starts first: it builds and sends the request while this thread updates
        # the sidebar (the first piece came tens of ms later otherwise, benchmarks row 2). Its
        # callbacks are posted to this thread, so they all run after the lines below.
        self._job.start()
        _watch_quit(self.ctx)
        self._notify(lambda view: view.run_started(self))
        broadcast(self)

    def _modes(self, settings: Settings) -> tuple[str, str]:
        """(mode, where): the URL's mode, else the action's setting. A setting left at its
        default lets the action's own placement decide (an IT action that adds its answer
        after the text is not made to replace it by the rewrites' default)."""
        assert self.action is not None
        if self.mode:
            mode = self.mode
        else:
            mode = str(getattr(settings, self.action.mode_setting))
            default = next((f.default for f in SETTING_FIELDS if f.name == self.action.mode_setting), None)
            if mode == default and mode != "preview":
                placement = self.action.placement
                return ("replace" if placement == "replace" else "after"), placement
        if mode not in APPLY_MODES:
            raise UnsupportedError(f"mode must be one of {', '.join(APPLY_MODES)}")
        return mode, self.place(mode) if mode != "preview" else ""

    def make_pieces(self, settings: Settings, cancel: CancelToken) -> Iterator[str]:
        """The result's pieces, produced on the worker thread; raises here, on the main
        thread, for what can be refused before any work starts."""
        raise UnsupportedError(f"{self.command} produces nothing")

    # --- callbacks from the worker, on the main thread ----------------------
    def _piece(self, text: str) -> None:
        first = bool(text) and not self.text
        self.text += text
        self._notify(lambda view: view.run_piece(self, text))
        if first:  # the answer is now on screen: listeners (macros, the benchmark) learn it once
            broadcast(self)

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
                self.write(self.where)
            except Exception as error:
                logger(self.ctx).warning("run %s not applied: %s", self.id, for_log(error))
                self._end("error", describe_error(error, self.lang))
                return
            self.applied = True
        self._end("done", self.text)

    def write(self, where: str) -> None:
        """Write the result ``where`` (replace, after, append)."""
        raise UnsupportedError("this run has no result to apply")

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
        if self.stats is not None:  # the model (or the offline engine) was asked: account for it
            self._audit()
        self._notify(lambda view: view.run_ended(self))
        broadcast(self)

    def end(self, state: str, message: str) -> None:
        """End a run that never started (refused, or done at once), telling views and listeners."""
        self._end(state, message)

    def _audit(self) -> None:
        from plume.audit import AuditEntry, AuditLog, as_sent

        from ..context import user_dir

        settings, stats = self.settings, self.stats
        if settings is None or stats is None:
            return
        include = settings.audit_include_text
        source = self.sent_text()
        entry = AuditEntry(
            action=self.command, model=stats.model, destination=self.destination, outcome=self.state,
            input_chars=stats.input_chars, output_chars=stats.output_chars, duration_seconds=round(stats.total_seconds, 3),
            pseudonymised=stats.pseudonymised,
            requests=self.door.requests if self.door else 0, prevented=self.door.prevented if self.door else 0,
            truncated=self.truncated,
            input_text=as_sent(self.door, source) if include else None,
            output_text=as_sent(self.door, self.text, answer=True) if include else None,
        )  # fmt: skip
        try:
            AuditLog(Path(user_dir(self.ctx)) / "plume" / "audit.jsonl", max_bytes=settings.audit_max_kb * 1024).record(entry)
        except OSError:
            logger(self.ctx).exception("audit log not written")

    def notify(self, call: Callable[[RunView], None]) -> None:
        """Tell the view of this run's frame, if one is open."""
        self._notify(call)

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


def model_destination(settings: Settings | None) -> str:
    """Where the configured model is, as records name it: "local" or the server's host."""
    from plume.destination import destination_of

    if settings is None or destination_of(settings).kind == "local":
        return "local"
    return str(settings.host)


def apply_result(ctx: Any, frame: Any, mode: str) -> None:
    """``plume:apply?mode=replace|after`` (``sources`` for an answer from the documents):
    apply the result waiting in this frame's preview (a
    ``mode=preview`` run, or a cut answer held), as the sidebar's Replace / Insert after
    buttons do; for keyboard users and macros. Reported on ``plume:status`` as command
    ``apply``: ``done``, or ``error`` when nothing waits (already applied, failed, stopped)."""
    report = Run(ctx, frame, "apply", {})
    run = latest_in(frame)
    try:
        modes = run.apply_modes if run is not None else report.apply_modes
        if mode not in modes:
            raise UnsupportedError(f"mode must be {' or '.join(modes)}")
        if run is None or run.state != "done" or run.applied or not run.text.strip():
            raise UnsupportedError(t("apply.nothing", report.lang))
        run.apply(mode)
    except Exception as error:
        logger(ctx).info("plume:apply refused: %s", for_log(error))
        report.state, report.message = "error", describe_error(error, report.lang)
    else:
        assert run is not None
        run.applied, run.held = True, False
        run.notify(lambda view: view.run_applied(run))
        report.state, report.message = "done", t("panel.applied", report.lang)
    broadcast(report)  # not report.end: the sidebar keeps showing the run itself


def stop_all(frame: Any | None = None) -> None:
    with _lock:
        runs = list(_runs.values())
    for run in runs:
        if frame is None or view_key(run.frame) == view_key(frame):
            run.stop()


def latest_in(frame: Any) -> Run | None:
    with _lock:
        return _latest.get(view_key(frame))


class _StopOnQuit(unohelper.Base, XTerminateListener):  # type: ignore[misc]
    """Stop every run before LibreOffice quits, so no worker thread is mid-request while the
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
        from ..context import create

        _quit_listener.append(_StopOnQuit())
        create(ctx, "com.sun.star.frame.Desktop").addTerminateListener(_quit_listener[0])


class _StopOnClose(unohelper.Base, XCloseListener):  # type: ignore[misc]
    def __init__(self, run: Run) -> None:
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


def feature_event(source: Any, url: Any, state: str | None) -> Any:
    """A FeatureStateEvent (UNO struct) for ``url``, carrying ``state`` when given."""
    event = FeatureStateEvent()
    event.Source, event.FeatureURL, event.IsEnabled, event.Requery = source, url, True, False
    if state is not None:
        event.State = state
    return event


def broadcast(run: Run) -> None:
    """Tell every ``plume:status`` listener where ``run`` is."""
    text = json.dumps({"job": run.id, "command": run.command, "state": run.state, "shown": len(run.text),
                       "message": run.message if run.state in ENDED else "",
                       "progress": run.progress_text() if run.state == "running" else "",
                       "truncated": run.state == "done" and run.truncated}, ensure_ascii=False)  # fmt: skip
    for listener, url in list(_status_listeners):
        try:
            listener.statusChanged(feature_event(None, url, text))
        except Exception:  # a listener from a macro or process that went away
            remove_status_listener(listener)
