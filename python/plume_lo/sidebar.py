"""The "Plume" sidebar deck of Writer: write, transform and translate actions, questions
about the documents (Ask), a streamed preview of the result (an answer's sources under it),
Stop, the Apply choices, refining the result, the model selector and where the text goes.

``PanelFactory`` is the registered UI element factory; ``PanelView`` is the panel's controls
and what they do. The controls come from a layout table (:mod:`.panel_layout`, built from the
action registry) and are enabled by one state table (:mod:`.panel_states`): every change of
the run's state goes through :meth:`PanelView.apply_state`. Actions started here run in
``preview`` mode: nothing changes in the document until the user presses an Apply button. A
command run whose answer stopped at the length limit is held here too (``run.held``), with
the reason first in the notes.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

import unohelper
from com.sun.star.awt import XWindowListener
from com.sun.star.lang import XComponent
from com.sun.star.ui import LayoutSize, XSidebarPanel, XToolPanel, XUIElement, XUIElementFactory
from com.sun.star.ui.UIElementType import TOOLPANEL

from plume.actions.model import Action
from plume.i18n import describe_error, language_of, t

from . import ids, panel_states, runs
from .controls import Panel
from .events import ControlEvents
from .log import logger
from .panel_layout import action_button, panel_rows
from .preview import StreamedText
from .service_info import ServiceInfo

if TYPE_CHECKING:
    from plume.settings import Settings

MINIMAL_WIDTH = 220
APPLY_BUTTONS = {"replace": "replace", "after": "after", "sources": "sources"}  # button: the mode it applies


class PanelFactory(unohelper.Base, XUIElementFactory, ServiceInfo):  # type: ignore[misc]
    implementation, services = ids.PANEL_FACTORY, ids.PANEL_FACTORY_SERVICES

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx

    def createUIElement(self, url: str, args: Any) -> Any:
        values = {arg.Name: arg.Value for arg in args}
        try:
            return SidebarElement(self.ctx, values["Frame"], values["ParentWindow"], url)
        except Exception:
            logger(self.ctx).exception("creating the Plume panel failed")
            raise


class SidebarElement(unohelper.Base, XUIElement, XToolPanel, XSidebarPanel, XComponent):  # type: ignore[misc]
    def __init__(self, ctx: Any, frame: Any, parent: Any, url: str) -> None:
        self.ctx, self.frame, self.url = ctx, frame, url
        self.view = PanelView(ctx, frame, parent)
        self.parent = parent
        self._resizer = _Resizer(self.view)
        parent.addWindowListener(self._resizer)
        runs.register_view(frame, self.view)

    # XUIElement
    def getFrame(self) -> Any:
        return self.frame

    def getResourceURL(self) -> str:
        return self.url

    def getType(self) -> int:
        return int(TOOLPANEL)

    def getRealInterface(self) -> Any:
        return self

    # XToolPanel
    def getWindow(self) -> Any:
        return self.view.panel.container

    def createAccessible(self, parent: Any) -> Any:
        return self.view.panel.container.getAccessibleContext()

    # XSidebarPanel
    def getHeightForWidth(self, width: int) -> LayoutSize:
        self.view.panel.layout(width)
        height = self.view.panel.height()
        return LayoutSize(height, height, height)

    def getMinimalWidth(self) -> int:
        return MINIMAL_WIDTH

    # XComponent
    def dispose(self) -> None:
        runs.register_view(self.frame, None)
        with contextlib.suppress(Exception):  # the sidebar window may already be gone
            self.parent.removeWindowListener(self._resizer)
        self.view.panel.container.dispose()

    def addEventListener(self, listener: Any) -> None:
        pass

    def removeEventListener(self, listener: Any) -> None:
        pass


class _Resizer(unohelper.Base, XWindowListener):  # type: ignore[misc]
    def __init__(self, view: PanelView) -> None:
        self.view = view

    def windowResized(self, event: Any) -> None:
        self.view.panel.layout(event.Width)

    def windowMoved(self, event: Any) -> None:
        pass

    def windowShown(self, event: Any) -> None:
        pass

    def windowHidden(self, event: Any) -> None:
        pass

    def disposing(self, event: Any) -> None:
        pass


class PanelView:
    def __init__(self, ctx: Any, frame: Any, parent: Any) -> None:
        from plume.actions import registry_for

        from .config_store import load_settings
        from .context import ui_locale

        self.ctx, self.frame = ctx, frame
        self.lang = language_of(ui_locale(ctx))
        self.run: runs.Run | None = None
        settings = load_settings(ctx)  # read once for everything the panel shows first
        self.actions = registry_for(settings)
        self.transforms = self.actions.in_group("transform")
        self.panel = Panel(ctx, parent)
        self.panel.build(panel_rows(self.actions, self.lang))
        self.preview = StreamedText(self.panel.control("output"))
        self._connect()
        self.target_codes: list[str] = []
        self.source_codes: list[str] = []
        self.scopes: list[str] = []  # the Ask scope list's values: "document", then collections
        self.state = "idle"
        self.apply_state("idle")
        self._show_destination(settings)
        self._load_models(settings)
        self._load_languages(settings)
        self.settings_for_scopes: Settings | None = settings
        self._load_scopes(settings)
        latest = runs.latest_in(frame)  # a run dispatched before the panel existed
        if latest is not None:
            (self.run_started if latest.running else self.run_ended)(latest)

    def _text(self, key: str) -> str:
        return t(key, self.lang)

    def _connect(self) -> None:
        """What each button does: the write actions run themselves, the rest by name."""
        handlers: dict[str, Any] = {
            action_button(a): (lambda action=a: self._start_action(action, self._instruction("instruction")))
            for a in self.actions.in_group("write")
        }
        handlers |= {"run": self._run_transform, "translate": self._translate, "translate_model": self._translate_with_model,
                     "desk": self._open_desk, "send": self._send, "stop": lambda: runs.stop_all(self.frame),
                     "replace": lambda: self._apply("replace"), "after": lambda: self._apply("after"), "copy": self._copy,
                     "refine": self._refine, "back": self._back, "ask": self._ask,
                     "index": lambda: runs.index_personal(self.ctx, self.frame) if self.state != "running" else None,
                     "sources": lambda: self._apply("sources")}  # fmt: skip
        for name, handler in handlers.items():
            self.panel.control(name).addActionListener(ControlEvents(self.ctx, handler, "sidebar"))
        # A double click on a transform action runs it; choosing one says whether it takes an instruction.
        transform_list = self.panel.control("transform_list")
        transform_list.addActionListener(ControlEvents(self.ctx, self._run_transform, "sidebar"))
        transform_list.addItemListener(ControlEvents(self.ctx, lambda: self.apply_state(self.state), "sidebar"))
        self.panel.control("check_list").addItemListener(ControlEvents(self.ctx, self._show_finding, "sidebar"))
        self.panel.control("source_list").addItemListener(ControlEvents(self.ctx, self._open_source, "sidebar"))
        self.panel.control("model").addItemListener(ControlEvents(self.ctx, self._model_chosen, "sidebar"))

    # --- the state table -----------------------------------------------------
    def apply_state(self, state: str) -> None:
        """Enable every control as the state table says for ``state`` (and as the run allows)."""
        self.state = state
        for name, cell in self.panel.cells.items():
            self.panel.enable(name, panel_states.enabled(state, cell.tag) and self._allowed(name))
        if state == "result_ready" and self.run is not None:
            # The default choice: what goes after its text (a summary, a draft) is inserted after it.
            default = self.run.default_apply
            for name in APPLY_BUTTONS:
                self.panel.control(name).getModel().DefaultButton = name == default

    def _allowed(self, name: str) -> bool:
        """What the current run or choice permits beyond the state."""
        if name in APPLY_BUTTONS:  # an answer from the documents goes in with its sources only
            return self.run is None or APPLY_BUTTONS[name] in self.run.apply_modes
        if name in ("refine", "refine_instruction"):
            return panel_states.can_refine(self.run)
        if name == "back":
            return panel_states.can_go_back(self.run)
        if name == "transform_instruction":
            chosen = self._chosen_transform()
            return chosen is not None and chosen.instruction != "none"
        return True

    # --- actions ---------------------------------------------------------
    def _instruction(self, name: str) -> str:
        # The field's window holds what is shown: text set by assistive technology (or a
        # macro) through the accessibility API reaches it, not the control's model.
        control = self.panel.control(name)
        peer = control.getPeer()
        return str((peer if peer is not None else control).getText()).strip()

    def _start_action(self, action: Action, instruction: str) -> None:
        if action.instruction == "required" and not instruction:
            self._status(t("panel.instruction.needed", self.lang, action=action.label(self.lang)))
            return
        self._start(action.id, {"text": instruction} if instruction and action.instruction != "none" else {})

    def _start(self, command: str, params: dict[str, str]) -> None:
        if self.run is not None and self.run.running:
            return
        runs.start(self.ctx, self.frame, command, {**params, "mode": "preview"})

    def _chosen_transform(self) -> Action | None:
        position = self.panel.control("transform_list").getSelectedItemPos()
        return self.transforms[position] if 0 <= position < len(self.transforms) else None

    def _run_transform(self) -> None:
        action = self._chosen_transform()
        if action is not None and self.state != "running":
            self._start_action(action, self._instruction("transform_instruction"))

    def _translate(self) -> None:
        if not self.target_codes:
            return
        params = {"to": self.target_codes[max(0, self.panel.control("target_language").getSelectedItemPos())]}
        source = self.panel.control("source_language").getSelectedItemPos()
        if source > 0:  # 0 is "Detect"
            params["from"] = self.source_codes[source - 1]
        self._start("translate", params)

    def _translate_with_model(self) -> None:
        self.panel.enable("translate_model", False)
        if self.run is not None and self.run.alternative is not None:
            self._start("translate", self.run.alternative)

    def _ask(self) -> None:
        from .runs.ask import DOCUMENT

        question = self._instruction("question")
        if not question:
            self._status(self._text("panel.ask.question.needed"))
            return
        position = self.panel.control("scope").getSelectedItemPos()
        scope = self.scopes[position] if 0 <= position < len(self.scopes) else DOCUMENT
        self._start("ask", {"q": question, "scope": scope})

    def _open_source(self) -> None:
        """Show the chosen source's passage: selected in this document, or its file opened at it."""
        position = self.panel.control("source_list").getSelectedItemPos()
        if self.run is None or position < 0:
            return
        try:
            self._status(self.run.open_source(position))
        except Exception as error:
            self._status(describe_error(error, self.lang))

    def _open_desk(self) -> None:
        from .desk import open_desk

        open_desk(self.ctx)

    def _send(self) -> None:
        if self.run is not None and self.run.pending is not None:
            self.panel.enable("send", False)
            self.run.confirm()

    def _apply(self, mode: str) -> None:
        if self.run is None or not self.run.text:
            return
        try:
            self.run.apply(mode)
        except Exception as error:
            self._status(describe_error(error, self.lang))
            return
        self.run.applied, self.run.held = True, False
        self.run_applied(self.run)

    def _copy(self) -> None:
        if self.run is not None and self.run.text:
            from .clipboard import copy_text

            copy_text(self.ctx, self.run.text)
            self._status(self._text("panel.copied"))

    # --- refining the result: the run's conversation does the work ----------
    def _refine(self) -> None:
        """A follow-up instruction revises the result; the run streams the new version here
        (run_started, run_piece, run_ended), as any run does."""
        instruction = self._instruction("refine_instruction")
        if self.run is None or not panel_states.can_refine(self.run) or self.state != "result_ready":
            return
        if not instruction:
            self._status(t("panel.instruction.needed", self.lang, action=self._text("panel.refine").replace("~", "")))
            return
        try:
            self.run.refine(instruction)  # type: ignore[attr-defined]
        except Exception as error:
            self._status(describe_error(error, self.lang))
            return
        self.panel.control("refine_instruction").setText("")

    def _back(self) -> None:
        """Show the previous version again; it is what Replace / Insert after would apply."""
        if self.run is None or not panel_states.can_go_back(self.run):
            return
        try:
            self.run.back()  # type: ignore[attr-defined]
        except Exception as error:
            self._status(describe_error(error, self.lang))
            return
        self.run_ended(self.run)

    # --- what runs report (main thread) ------------------------------------
    def run_started(self, run: runs.Run) -> None:
        self.run = run
        self._show_destination(run.settings)
        self.panel.control("result_label").getModel().Label = self._text("panel.result")
        self.preview.start(run.text)
        self._show_check(None)
        self._show_sources(run)
        self._status(self._text(run.working))
        self.apply_state("running")

    def run_piece(self, run: runs.Run, text: str) -> None:
        self.preview.append(text)
        if run.progress_text():
            self._status(run.progress_text())

    def run_ended(self, run: runs.Run) -> None:
        self.run = run
        state = panel_states.state_of(run)
        if state == "awaiting_confirmation" and run.pending is not None:
            # Policy "warn": show exactly what would leave the machine, and wait for Send.
            self.panel.control("result_label").getModel().Label = t("panel.to_send", self.lang, count=run.pending.replaced)
            self.preview.start(run.pending.text)
            self._status(run.message)
        elif state in ("error", "offering_model_translation"):
            self._status("\n".join(run.notes(self.lang)) or run.message)
        else:
            self.preview.start(run.text)
            self._show_check(run.unsupported)
            self._show_sources(run)
            self._status("\n".join(self._notes(run)) if run.stats is not None else "\n".join(run.notes(self.lang)))
            if state == "applied":
                self._status(self._text("panel.applied"))
        self.apply_state(state)
        if run.command == "index" and self.settings_for_scopes is not None:
            self._load_scopes(self.settings_for_scopes)  # the collection just indexed is now offered
        if state == "result_ready":
            self.panel.control(run.default_apply).setFocus()

    def run_applied(self, run: runs.Run) -> None:
        """The result is in the document (the Apply buttons, or ``plume:apply``)."""
        if run is self.run:
            self._status(self._text("panel.applied"))
            self.apply_state("applied")

    def _notes(self, run: runs.Run) -> list[str]:
        stats = run.stats
        if stats is None:
            return run.notes(self.lang)
        lines = self._truncation_notes(run)
        lines.append(t("panel.stats", self.lang, model=stats.model, seconds=stats.total_seconds, chars=stats.output_chars))
        if stats.pseudonymised:
            lines.append(t("panel.pseudonymised", self.lang, count=stats.pseudonymised))
        if stats.missing:
            lines.append(t("panel.missing", self.lang, values=", ".join(stats.missing)))
        return lines + run.notes(self.lang)

    def _truncation_notes(self, run: runs.Run) -> list[str]:
        """Why an answer is incomplete, and, when a command asked to apply it, that it was not."""
        if not run.truncated or run.stats is None:
            return []
        notes = [self._text("panel.truncated.summary" if run.stats.trimmed else "panel.truncated")]
        return [*notes, self._text("panel.truncated.held")] if run.held else notes

    def _show_check(self, findings: list[Any] | None) -> None:
        """List what the fact check found, and count it under the list."""
        listbox, count = self.panel.control("check_list"), self.panel.control("check_count")
        items = tuple(
            t("check.item", self.lang, text=f.text, kind=t(f"check.kind.{f.kind}", self.lang), reason=t(f"check.reason.{f.reason}", self.lang))
            for f in findings or ()
        )  # fmt: skip
        listbox.getModel().StringItemList = items
        if findings is None:
            count.getModel().Label = ""
        elif findings:
            key = "check.count.one" if len(findings) == 1 else "check.count.many"
            count.getModel().Label = t(key, self.lang, count=len(findings))
        else:
            count.getModel().Label = self._text("check.none")

    def _show_sources(self, run: runs.Run) -> None:
        """An answer's numbered sources (title, place); empty for other runs and while running."""
        items = tuple(run.source_items(self.lang)) if run.state == "done" else ()
        self.panel.control("source_list").getModel().StringItemList = items

    def _show_finding(self) -> None:
        """Select the chosen finding's text in the preview, where the user reads it in context."""
        from com.sun.star.awt import Selection

        position = self.panel.control("check_list").getSelectedItemPos()
        findings = self.run.unsupported if self.run is not None else None
        if not findings or not 0 <= position < len(findings):
            return
        output = self.panel.control("output")
        output.setFocus()
        output.setSelection(Selection(findings[position].start, findings[position].end))

    def _status(self, text: str) -> None:
        self.panel.control("status").getModel().Label = text

    # --- settings shown in the panel ---------------------------------------
    def _show_destination(self, settings: Settings | None = None) -> None:
        """Where the text goes, and through which proxy: the route the door will take (a
        destination the door refuses shows why). ``settings``: a run's (read already)."""
        import os

        from plume.egress.route import route_for

        from .config_store import load_settings

        try:
            route = route_for(settings or load_settings(self.ctx), os.environ)
        except Exception as error:
            self.panel.control("destination").getModel().Label = describe_error(error, self.lang)
            return
        where = route.destination
        label = t(f"destination.{where.kind}", self.lang, label=where.label)
        if route.proxy:
            label += " " + t("destination.proxy", self.lang, proxy=route.proxy_shown)
        self.panel.control("destination").getModel().Label = label

    def _load_models(self, settings: Settings) -> None:
        """Ask the server for its models off the main thread; fill the list when it answers."""
        from plume.backends.base import create_backend

        from .config_store import api_key
        from .worker import MainThread

        main = MainThread(self.ctx)
        key = api_key(self.ctx, settings.base_url)

        def fetch() -> None:
            try:
                names = [m.name for m in create_backend(settings, key).list_models()]
            except Exception:
                names = []
            main.post(lambda: self._fill_models(names, settings.model))

        threading.Thread(target=fetch, name="plume-models", daemon=True).start()

    def _load_languages(self, settings: Settings) -> None:
        """List the installed language packages off the main thread (the shared folder may be
        on a network drive); fill the pickers when done."""
        from plume.translation.service import translator_for

        from .runs.translate import personal_packages_dir
        from .worker import MainThread

        main = MainThread(self.ctx)
        personal = personal_packages_dir(self.ctx)

        def fetch() -> None:
            try:
                translator = translator_for(settings, personal)
                targets, sources = list(translator.target_languages()), list(translator.source_languages())
            except Exception:
                targets, sources = [], []
            main.post(lambda: self._fill_languages(targets, sources, settings.translate_target))

        threading.Thread(target=fetch, name="plume-languages", daemon=True).start()

    def _fill_languages(self, targets: list[str], sources: list[str], default: str) -> None:
        from plume.translation.languages import picker_label

        if default not in targets:
            targets = [default, *targets]  # still offered: the model may translate it
        self.target_codes, self.source_codes = targets, sources
        target = self.panel.control("target_language")
        target.getModel().StringItemList = tuple(picker_label(code, self.lang) for code in targets)
        target.selectItemPos(targets.index(default), True)
        source = self.panel.control("source_language")
        source.getModel().StringItemList = (self._text("panel.translate.auto"), *(picker_label(c, self.lang) for c in sources))
        source.selectItemPos(0, True)

    def _load_scopes(self, settings: Settings) -> None:
        """Where a question is asked: this document, then the collections there are (IT's
        shared ones, then the user's), listed off the main thread (the shared index may be
        on a network drive)."""
        from .runs.ask import DOCUMENT, personal_index_dir
        from .worker import MainThread

        main = MainThread(self.ctx)
        personal = personal_index_dir(self.ctx)
        self._fill_scopes([(DOCUMENT, self._text("panel.ask.scope.document"))])

        def fetch() -> None:
            from plume.knowledge.collection import collections

            try:
                found = collections(settings, personal)
            except Exception:
                found = []
            scopes = [(DOCUMENT, self._text("panel.ask.scope.document"))] + [
                (c.name, t("panel.ask.scope.shared" if c.shared else "panel.ask.scope.personal", self.lang, name=c.name))
                for c in found
            ]
            main.post(lambda: self._fill_scopes(scopes))

        threading.Thread(target=fetch, name="plume-collections", daemon=True).start()

    def _fill_scopes(self, scopes: list[tuple[str, str]]) -> None:
        """``scopes``: (value, label); the choice made stays chosen when it is still there."""
        listbox = self.panel.control("scope")
        position = listbox.getSelectedItemPos()
        chosen = self.scopes[position] if 0 <= position < len(self.scopes) else ""
        self.scopes = [value for value, _ in scopes]
        listbox.getModel().StringItemList = tuple(label for _, label in scopes)
        listbox.selectItemPos(self.scopes.index(chosen) if chosen in self.scopes else 0, True)

    def _fill_models(self, names: list[str], current: str) -> None:
        listbox = self.panel.control("model")
        if current and current not in names:
            names = [current, *names]
        if not names:
            names = [self._text("panel.models.error")]
        listbox.getModel().StringItemList = tuple(names)
        listbox.selectItemPos(names.index(current) if current in names else 0, True)

    def _model_chosen(self) -> None:
        from .config_store import save_settings

        name = self.panel.control("model").getSelectedItem()
        if name and name != self._text("panel.models.error"):
            save_settings(self.ctx, {"model": name})
