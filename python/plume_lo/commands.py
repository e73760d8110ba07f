"""The ``plume:`` protocol handler: menus, toolbars, shortcuts and macros dispatch
``plume:<command>?<arguments>`` (see README "Commands").

Jobs are followed through ``plume:status``: a listener added on that URL gets a
FeatureStateEvent whose ``State`` is a JSON string ``{"job", "command", "state", "message"}``
with state ``running``, ``done``, ``error`` or ``cancelled``. Only that URL carries job
states, because LibreOffice shows a string State as a menu item's text.
"""

from __future__ import annotations

import itertools
import json
import threading
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import unohelper
from com.sun.star.frame import FeatureStateEvent, XDispatch, XDispatchProvider
from com.sun.star.lang import XInitialization, XServiceInfo
from com.sun.star.util import XCloseListener

from . import ids

MODES = ("preview", "replace", "after")
DEFAULT_MODE = {"summarize": "after", "rewrite": "replace", "instruct": "replace"}

_jobs_lock = threading.Lock()
_jobs: dict[int, Any] = {}  # job id -> worker.Job, across frames (plume:stop stops them all)
_job_ids = itertools.count(1)
_listeners: list[Any] = []  # status listeners on plume:status


def parse_command(url: str) -> tuple[str, dict[str, str]]:
    """``plume:rewrite?style=formal&mode=after`` -> ``("rewrite", {"style": "formal", "mode": "after"})``."""
    body = url[len(ids.PROTOCOL) :] if url.startswith(ids.PROTOCOL) else url
    name, _, query = body.partition("?")
    return name.strip("/"), {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}


class ProtocolHandler(unohelper.Base, XDispatchProvider, XDispatch, XInitialization, XServiceInfo):  # type: ignore[misc]
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.frame: Any = None

    # XInitialization: LibreOffice passes the frame the handler serves.
    def initialize(self, args: tuple[Any, ...]) -> None:
        if args:
            self.frame = args[0]

    # XServiceInfo
    def getImplementationName(self) -> str:
        return ids.PROTOCOL_HANDLER

    def supportsService(self, name: str) -> bool:
        return name in ids.PROTOCOL_HANDLER_SERVICES

    def getSupportedServiceNames(self) -> tuple[str, ...]:
        return ids.PROTOCOL_HANDLER_SERVICES

    # XDispatchProvider
    def queryDispatch(self, url: Any, target: str, flags: int) -> Any:
        return self if url.Complete.startswith(ids.PROTOCOL) else None

    def queryDispatches(self, requests: Any) -> tuple[Any, ...]:
        return tuple(self.queryDispatch(r.FeatureURL, r.FrameName, r.SearchFlags) for r in requests)

    # XDispatch
    def dispatch(self, url: Any, args: Any) -> None:
        try:
            self._dispatch(url.Complete)
        except Exception:  # never let an exception reach LibreOffice's dispatch loop
            from .log import logger

            logger(self.ctx).error("dispatch %s failed:\n%s", url.Complete, traceback.format_exc())

    def addStatusListener(self, listener: Any, url: Any) -> None:
        if url.Complete.startswith(ids.STATUS_URL):
            _listeners.append((listener, url))
        else:
            listener.statusChanged(_event(self, url, None))

    def removeStatusListener(self, listener: Any, url: Any) -> None:
        _listeners[:] = [(known, u) for known, u in _listeners if known != listener]

    def _dispatch(self, url: str) -> None:
        command, params = parse_command(url)
        if command == "stop":
            with _jobs_lock:
                running = list(_jobs.values())
            for job in running:
                job.stop()
            return
        if command in DEFAULT_MODE:
            self._start_action(command, params)
            return
        from .log import logger

        logger(self.ctx).warning("unknown command %s", url)

    def _start_action(self, command: str, params: dict[str, str]) -> None:
        # Heavy imports (httpx, the backends) happen here, on first use, never at start-up.
        from plume.actions import ActionSpec
        from plume.backends.base import create_backend
        from plume.cancel import CancelToken
        from plume.errors import UnsupportedError
        from plume.i18n import describe_error, language_of, t
        from plume.pipeline import Generation, resolve_model

        from .config_store import api_key, load_settings
        from .context import ui_locale
        from .document import apply, check_writable, target_for
        from .log import logger
        from .worker import Job, MainThread

        job_id = next(_job_ids)
        lang = language_of(ui_locale(self.ctx))
        mode = params.get("mode") or DEFAULT_MODE[command]
        model = self.frame.getController().getModel()

        def report(state: str, message: str = "") -> None:
            _broadcast(self, {"job": job_id, "command": command, "state": state, "message": message})

        try:
            if mode not in MODES:
                raise UnsupportedError(f"mode must be one of {', '.join(MODES)}")
            spec = ActionSpec(command, style=params.get("style", ""), instruction=params.get("text", ""))
            target = target_for(model, command)
            if mode != "preview":
                check_writable(target)  # refuse before the model works, not after
            settings = load_settings(self.ctx).validate()
            backend = create_backend(settings, api_key(self.ctx, settings.base_url))
        except Exception as error:
            logger(self.ctx).info("job %s refused: %s", job_id, error)
            report("error", describe_error(error, lang))
            return

        cancel = CancelToken()
        result: list[Generation] = []

        def pieces() -> Iterator[str]:
            # Runs on the worker thread: resolving the model may ask the server.
            generation = Generation(
                backend, settings, spec, target.source, model=resolve_model(backend, settings), ui_language=lang, cancel=cancel
            )
            result.append(generation)
            yield from generation

        title = t("undo.title", lang, action=t(f"action.{command}", lang))

        def done() -> None:
            with _jobs_lock:
                _jobs.pop(job_id, None)
            try:
                if mode != "preview":
                    apply(
                        target,
                        result[0].text,
                        mode,
                        title,
                        keep_format=command != "summarize",
                        track_changes=settings.track_changes,
                    )
            except Exception as error:
                logger(self.ctx).warning("job %s not applied: %s", job_id, error)
                report("error", describe_error(error, lang))
                return
            report("done", result[0].text)

        def failed(error: BaseException) -> None:
            with _jobs_lock:
                _jobs.pop(job_id, None)
            logger(self.ctx).info("job %s failed: %s", job_id, "".join(traceback.format_exception_only(error)).strip())
            report("cancelled" if type(error).__name__ == "Cancelled" else "error", describe_error(error, lang))

        job = Job(MainThread(self.ctx), pieces(), cancel.cancel, lambda piece: None, done, failed)
        with _jobs_lock:
            _jobs[job_id] = job
        # Closing the document stops its job: nothing is left to apply the result to.
        model.addCloseListener(_StopOnClose(job))
        report("running")
        job.start()


class _StopOnClose(unohelper.Base, XCloseListener):  # type: ignore[misc]
    def __init__(self, job: Any) -> None:
        self.job = job

    def queryClosing(self, event: Any, gets_ownership: bool) -> None:
        pass  # never veto: the user may close a document while Plume works

    def notifyClosing(self, event: Any) -> None:
        if self.job.running:
            self.job.stop()

    def disposing(self, event: Any) -> None:
        self.notifyClosing(event)


def _event(source: Any, url: Any, state: Any) -> FeatureStateEvent:
    event = FeatureStateEvent()
    event.Source, event.FeatureURL, event.IsEnabled, event.Requery = source, url, True, False
    if state is not None:
        event.State = state
    return event


def _broadcast(source: Any, payload: dict[str, Any]) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    for listener, url in list(_listeners):
        try:
            listener.statusChanged(_event(source, url, text))
        except Exception:  # a listener from a macro or process that went away
            _listeners[:] = [(known, u) for known, u in _listeners if known is not listener]
