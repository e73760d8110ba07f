"""The ``plume:`` protocol handler: menus, toolbars, shortcuts and macros dispatch
``plume:<command>?<arguments>`` (see README "Commands").

``plume:run?action=<id>[&mode=...][&text=<instruction>]`` runs any action of the registry
(:func:`plume.actions.registry_for`); earlier URLs (``plume:summarize``,
``plume:rewrite?style=formal``, ``plume:instruct?text=``, ``plume:translate?to=``) are
names the registry resolves. ``plume:ask?q=<question>[&scope=document|<collection>][&mode=preview|sources]``
asks the documents (the registry's "ask" action: :mod:`.runs.ask`): the answer streams into
the sidebar, or, with ``mode=sources``, goes into the document with its sources as footnotes;
``plume:source?n=<number>`` shows a source of the answer in the preview (its passage selected);
``plume:index`` indexes the folders of ``knowledge_personal_dirs`` into the personal collection
the Ask section offers (:mod:`.runs.indexing`; ``plume:stop`` stops it, the next run resumes).

Runs are followed through ``plume:status``: a listener added on that URL gets a
FeatureStateEvent whose ``State`` is a JSON string ``{"job", "command", "state", "message"}``
with state ``running``, ``done``, ``error`` or ``cancelled``. Only that URL carries job
states, because LibreOffice shows a string State as a menu item's text.
"""

from __future__ import annotations

import traceback
from typing import Any
from urllib.parse import parse_qs

import unohelper
from com.sun.star.frame import XDispatch, XDispatchProvider
from com.sun.star.lang import XInitialization

from . import ids
from .service_info import ServiceInfo


def parse_command(url: str) -> tuple[str, dict[str, str]]:
    """``plume:rewrite?style=formal&mode=after`` -> ``("rewrite", {"style": "formal", "mode": "after"})``."""
    body = url[len(ids.PROTOCOL) :] if url.startswith(ids.PROTOCOL) else url
    name, _, query = body.partition("?")
    return name.strip("/"), {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}


class ProtocolHandler(unohelper.Base, XDispatchProvider, XDispatch, XInitialization, ServiceInfo):  # type: ignore[misc]
    implementation, services = ids.PROTOCOL_HANDLER, ids.PROTOCOL_HANDLER_SERVICES

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.frame: Any = None

    # XInitialization: LibreOffice passes the frame the handler serves.
    def initialize(self, args: tuple[Any, ...]) -> None:
        if args:
            self.frame = args[0]

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

            # The command's name only: its arguments may carry the user's instruction (plume:run?text=).
            logger(self.ctx).error("dispatch of %s failed:\n%s", parse_command(url.Complete)[0], traceback.format_exc())

    def addStatusListener(self, listener: Any, url: Any) -> None:
        from . import runs

        if url.Complete.startswith(ids.STATUS_URL):
            runs.add_status_listener(listener, url)
        else:
            listener.statusChanged(runs.feature_event(self, url, None))

    def removeStatusListener(self, listener: Any, url: Any) -> None:
        from . import runs

        runs.remove_status_listener(listener)

    def _dispatch(self, url: str) -> None:
        from . import runs

        command, params = parse_command(url)
        if command == "stop":
            runs.stop_all()
        elif command == "sidebar":
            self._show_sidebar()
        elif command == "settings":
            self._show_settings()
        elif command == "apply":
            runs.apply_result(self.ctx, self.frame, params.get("mode", ""))
        elif command == "refine":
            runs.refine_latest(self.ctx, self.frame, params.get("text", ""))
        elif command == "index":
            runs.index_personal(self.ctx, self.frame)
        elif command == "source":
            runs.open_source_latest(self.ctx, self.frame, params.get("n", ""))
        elif command == "back":
            runs.back_latest(self.ctx, self.frame)
        elif command == "marks":
            runs.list_marks(self.ctx, self.frame, remove=params.get("remove") in ("1", "true", "yes"))
        elif command == "desk":
            from .desk import open_desk

            open_desk(self.ctx)
        else:
            # plume:run?action=<id>, or an earlier URL (plume:summarize, plume:rewrite?style=...)
            # the registry still knows; anything else ends with an "unknown action" status.
            if params.get("mode") == "preview":
                self._show_sidebar()
            name = params.get("action", "") if command == "run" else command
            runs.start(self.ctx, self.frame, name, params)

    def _show_settings(self) -> None:
        """Tools > Options, where Plume has its own node. Posted, not run here: the dialog is
        modal, and the caller (a menu, a macro) must get its dispatch back at once."""
        from .context import create
        from .worker import MainThread

        helper, frame = create(self.ctx, "com.sun.star.frame.DispatchHelper"), self.frame
        MainThread(self.ctx).post(lambda: helper.executeDispatch(frame, ".uno:OptionsTreeDialog", "", 0, ()))

    def _show_sidebar(self) -> None:
        from .context import show_sidebar

        show_sidebar(self.ctx, self.frame)
