"""A model action on the document (:class:`ActionRun`): any :class:`~plume.actions.Action`
of the registry, built-in, IT's or the user's. What it reads, where its result goes, how it
is applied and checked all come from the action's description."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from plume.errors import UnsupportedError
from plume.i18n import describe_error, t

from ..log import logger
from .base import Run

if TYPE_CHECKING:
    from plume.actions import Action
    from plume.cancel import CancelToken
    from plume.formatting import Segment
    from plume.runs import Conversation, ModelRun, Turn, Version
    from plume.settings import Settings
    from plume.window import WindowCache

_windows: list[WindowCache] = []  # the one plume.window.WindowCache of this LibreOffice, made on first use
_windows_lock = threading.Lock()  # worker threads ask for it


def server_windows() -> WindowCache:
    """The context windows servers reported, kept between actions (see WindowCache)."""
    from plume.window import WindowCache

    with _windows_lock:
        if not _windows:
            _windows.append(WindowCache())
        return _windows[0]


class ActionRun(Run):
    def __init__(self, ctx: Any, frame: Any, action: Action, params: dict[str, str]) -> None:
        super().__init__(ctx, frame, action.id, params, action)
        self.definition = action
        self.model_run: ModelRun | None = None  # the core's run: what refining continues
        self.conversation: Conversation | None = None  # made on the first refinement

    @property
    def instruction(self) -> str:
        return self.params.get("text", "")

    def start(self, settings: Settings) -> None:
        if self.definition.instruction == "required" and not self.instruction.strip():
            # From a menu or a shortcut: the instruction is typed in the sidebar.
            self._show_sidebar()
            self.end("error", t("run.needs_instruction", self.lang, action=self.definition.label(self.lang)))
            return
        super().start(settings)

    def _show_sidebar(self) -> None:
        from ..context import show_sidebar

        try:
            show_sidebar(self.ctx, self.frame)
        except Exception:
            logger(self.ctx).exception("sidebar not shown")

    def make_pieces(self, settings: Settings, cancel: CancelToken) -> Iterator[str]:
        """The result's pieces, produced on the worker thread; raises here, on the main
        thread, for what can be refused before any work starts. The core sets the run up
        (:func:`plume.runs.prepare_run`); this adapter gives it only what it alone knows: the
        key in LibreOffice's password store and the text read from the document."""
        # Heavy imports (httpx, the backends) happen here, on first use, never at start-up.
        from plume.runs import prepare_run, spec_for

        from ..config_store import api_key
        from ..document import blocks_of

        assert self.target is not None
        spec = spec_for(settings, self.definition.id, instruction=self.instruction, target=self.params.get("to", ""))
        run = prepare_run(settings, spec, blocks_of(self.target), api_key=api_key(self.ctx, settings.base_url),
                          ui_language=self.lang, cancel=cancel, confirmed=self.confirmed, windows=server_windows())  # fmt: skip
        self.model_run, self.door = run, run.door

        def pieces() -> Iterator[str]:
            try:
                for piece in run.pieces():
                    self.long, self.stats = run.long, run.stats  # progress, as soon as there is some
                    yield piece
            finally:  # also when it fails or is stopped: the audit accounts for what was asked
                self.long, self.stats = run.long, run.stats
            self.unsupported = run.unsupported

        return pieces()

    # --- refining the result (the core's Conversation keeps the versions) ------------
    @property
    def versions(self) -> list[str]:
        """The versions leading to the one shown, the first first: Back goes one step up."""
        if self.conversation is None:
            return [self.text] if self.text else []
        conversation = self.conversation
        return [conversation.versions[i].text for i in conversation.path(conversation.index)]

    def refine(self, instruction: str, confirmed: str = "") -> Run:
        """Revise the result with a follow-up instruction: a new run, shown in the sidebar
        like any (its pieces stream into the preview), sharing this run's conversation."""
        from ..config_store import load_settings

        if self.conversation is None:
            if self.model_run is None or self.state != "done":
                raise UnsupportedError("there is no answer to refine yet")
            self.conversation = self.model_run.conversation()
        run = RefineRun(self, instruction, confirmed)
        run.start(load_settings(self.ctx))
        return run

    def back(self) -> None:
        """Show the version the current one revised again: what Replace / Insert after apply."""
        if self.conversation is None:
            raise UnsupportedError("there is no earlier version")
        self._show(self.conversation.back())

    def _show(self, version: Version) -> None:
        self.text = version.text
        self.unsupported = list(version.unsupported) if version.unsupported is not None else None
        self.stats = version.stats or self.stats

    def _segments(self) -> list[Segment] | None:
        """A long rewrite's stretches, for its first version only (a revision is one text)."""
        if self.conversation is not None:
            found = self.conversation.current.segments
            return list(found) if found else None
        return self.long.segments if self.long is not None else None

    def mark_action(self) -> str:
        """The action as the AI mark names it."""
        return self.definition.label(self.lang)

    def progress_text(self) -> str:
        progress = self.long.progress if self.long is not None else None
        if progress is None:
            return ""
        return t("long.progress", self.lang, done=min(progress[0] + 1, progress[1]), total=progress[1])

    def apply(self, mode: str) -> None:
        if mode not in ("replace", "after"):
            raise UnsupportedError("mode must be replace or after")
        self.write(self.place(mode))

    def write(self, where: str) -> None:
        from plume.marking import Mark

        from ..document import apply

        assert self.target is not None and self.settings is not None
        mark = Mark.now(self.mark_action(), self.stats.model if self.stats else "", self.destination, len(self.text),
                        self.to_check(), self.truncated)  # fmt: skip
        apply(self.target, self.text, where, self.title,
              keep_format=self.definition.keep_format, track_changes=self.settings.track_changes,
              mark=mark, comment=mark.comment(self.lang) if self.settings.mark_ai_output else "",
              segments=self._segments())  # fmt: skip

    def confirm(self) -> Run:
        from ..config_store import load_settings

        token = self.pending.token if self.pending is not None else ""
        run = type(self)(self.ctx, self.frame, self.definition, {**self.params, "mode": self.mode, "confirmed": token})
        run.start(load_settings(self.ctx))
        return run


class RefineRun(ActionRun):
    """One revision of a result (Affiner / Refine): the follow-up goes through the same door,
    policy ("warn" asks again), cleaning and fact check as the first request
    (:class:`plume.runs.Turn`); the result waits in the preview, applied to the first run's text."""

    def __init__(self, parent: ActionRun, instruction: str, confirmed: str = "") -> None:
        super().__init__(
            parent.ctx, parent.frame, parent.definition, {**parent.params, "mode": "preview", "confirmed": confirmed}
        )
        self.follow_up = instruction
        self.model_run, self.conversation = parent.model_run, parent.conversation
        self.target, self.door, self.mode = parent.target, parent.door, "preview"
        self.turn: Turn | None = None

    def start(self, settings: Settings) -> None:
        from plume.cancel import CancelToken

        assert self.conversation is not None
        self.settings = self.conversation.settings
        cancel = CancelToken()
        try:
            turn = self.turn = self.conversation.revise(self.follow_up, confirmed=self.confirmed or False, cancel=cancel)
        except Exception as error:
            self.end("error", describe_error(error, self.lang))
            return

        def pieces() -> Iterator[str]:
            try:
                yield from turn.pieces()
            finally:
                self.stats = turn.stats

        self._launch(pieces(), cancel)

    def _done(self) -> None:
        # On the main thread, after every piece: the version as kept (a cut summary trimmed).
        if self.turn is not None and self.turn.version is not None:
            self._show(self.turn.version)
        super()._done()

    def confirm(self) -> Run:
        token = self.pending.token if self.pending is not None else ""
        return self.refine_again(token)

    def refine_again(self, token: str) -> Run:
        from ..config_store import load_settings

        run = RefineRun(self, self.follow_up, token)
        run.start(load_settings(self.ctx))
        return run
