"""A model action on the document (:class:`ActionRun`): any :class:`~plume.actions.Action`
of the registry, built-in, IT's or the user's. What it reads, where its result goes, how it
is applied and checked all come from the action's description."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from plume.errors import UnsupportedError
from plume.i18n import t

from ..log import logger
from .base import Run

if TYPE_CHECKING:
    from plume.actions import Action
    from plume.cancel import CancelToken
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
        thread, for what can be refused before any work starts.

        Everything a front end decides to set a model run up (backend, confirmation, model,
        window, long plan, fact check) is in this one method."""
        # Heavy imports (httpx, the backends) happen here, on first use, never at start-up.
        from plume.actions import ActionSpec
        from plume.backends.base import create_backend
        from plume.longdoc import LongGeneration, require_confirmation
        from plume.pipeline import resolve_model
        from plume.window import resolve_window

        from ..config_store import api_key
        from ..document import blocks_of

        assert self.target is not None
        action = self.definition
        spec = ActionSpec(action, instruction=self.instruction, signature=settings.signature_block,
                          target=self.params.get("to", "") or settings.translate_target)  # fmt: skip
        backend = create_backend(settings, api_key(self.ctx, settings.base_url))
        self.door = backend.door
        source, blocks = self.target.source, blocks_of(self.target)
        basis = check_basis(action, source, self.instruction)

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
            if basis is not None:
                self.unsupported = self.fact_check(generation.text, basis)

        return pieces()

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
              segments=self.long.segments if self.long is not None else None)  # fmt: skip

    def confirm(self) -> Run:
        from ..config_store import load_settings

        token = self.pending.token if self.pending is not None else ""
        run = type(self)(self.ctx, self.frame, self.definition, {**self.params, "mode": self.mode, "confirmed": token})
        run.start(load_settings(self.ctx))
        return run


def check_basis(action: Action, source: str, instruction: str) -> str | None:
    """What the fact check compares the answer with (``action.check_against``): a draft's
    figures must come from the instruction, a reply's from the letter or the instruction."""
    return {"source": source, "instruction": instruction, "source_and_instruction": f"{source}\n{instruction}",
            "none": None}[action.check_against]  # fmt: skip
