"""The "Plume" sidebar deck of Writer: the actions, a streamed preview of the result, Stop,
the Apply choices, the model selector and where the text goes.

``PanelFactory`` is the registered UI element factory; ``PanelView`` is the panel's
controls and what they do. Actions started here run in ``preview`` mode: nothing changes in
the document until the user presses an Apply button. A command run whose answer stopped at the
length limit is held here too (``run.held``), with the reason first in the notes.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import unohelper
from com.sun.star.awt import XWindowListener
from com.sun.star.lang import XComponent
from com.sun.star.ui import LayoutSize, XSidebarPanel, XToolPanel, XUIElement, XUIElementFactory
from com.sun.star.ui.UIElementType import TOOLPANEL

from plume.i18n import describe_error, language_of, t

from . import ids, runs
from .controls import Panel
from .events import ControlEvents
from .log import logger
from .service_info import ServiceInfo

STYLES = ("formal", "shorter", "plain", "correct")  # until the sidebar reads the registry
MINIMAL_WIDTH = 220


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
        from .context import ui_locale

        self.ctx, self.frame = ctx, frame
        self.lang = language_of(ui_locale(ctx))
        self.run: runs.Run | None = None
        self.panel = Panel(ctx, parent)
        self._build()
        self.target_codes: list[str] = []
        self.source_codes: list[str] = []
        self._show_destination()
        self._load_models()
        self._load_languages()
        latest = runs.latest_in(frame)  # a run dispatched before the panel existed
        if latest is not None:
            (self.run_started if latest.running else self.run_ended)(latest)

    def _text(self, key: str) -> str:
        return t(key, self.lang)

    def _build(self) -> None:
        p, tx = self.panel, self._text
        p.add("FixedText", "actions", Label=tx("panel.actions"))
        p.row(("actions", 1))
        self._button("summarize", "panel.summarize", lambda: self._start("summarize", {}))
        self._button("desk", "panel.desk", self._open_desk)
        p.row(("summarize", 1), ("desk", 1))
        p.add("FixedText", "translate_label", Label=tx("panel.translate.to"))
        p.add("FixedText", "source_label", Label=tx("panel.translate.from"))
        p.row(("translate_label", 1), ("source_label", 1))
        p.add("ListBox", "target_language", Dropdown=True, Tabstop=True, HelpText=tx("panel.translate.to"))
        p.add("ListBox", "source_language", Dropdown=True, Tabstop=True, HelpText=tx("panel.translate.from"))
        p.row(("target_language", 1), ("source_language", 1))
        self._button("translate", "panel.translate", self._translate)
        self._button("translate_model", "panel.translate.model", self._translate_with_model).getModel().Enabled = False
        p.row(("translate", 1), ("translate_model", 1))
        p.add("FixedText", "style_label", Label=tx("panel.style"))
        p.row(("style_label", 1))
        p.add("ListBox", "style", Dropdown=True, Tabstop=True,
              StringItemList=tuple(t(f"style.{s}", self.lang) for s in STYLES), SelectedItems=(0,))  # fmt: skip
        self._button("rewrite", "panel.rewrite", self._rewrite)
        p.row(("style", 3), ("rewrite", 2))
        p.add("FixedText", "instruction_label", Label=tx("panel.instruction"))
        p.row(("instruction_label", 1))
        p.add("Edit", "instruction", Tabstop=True)
        self._button("run", "panel.run", self._instruct)
        p.row(("instruction", 3), ("run", 2))
        p.add("FixedText", "result_label", Label=tx("panel.result"))
        p.row(("result_label", 1))
        p.add("Edit", "output", MultiLine=True, ReadOnly=True, VScroll=True, Tabstop=True, HelpText=tx("panel.result"))
        p.row(("output", 1), height=200)
        p.add("FixedText", "check_label", Label=tx("check.label"))
        p.row(("check_label", 1))
        # The fact check's findings; choosing one selects it in the preview above.
        p.add("ListBox", "check_list", Tabstop=True, HelpText=tx("check.label"))
        p.control("check_list").addItemListener(ControlEvents(self.ctx, self._show_finding, "sidebar"))
        p.row(("check_list", 1), height=60)
        p.add("FixedText", "status", Label=tx("panel.ready"), MultiLine=True)
        p.row(("status", 1), height=84)  # six short lines: a cut answer's notes come first
        self._button("send", "panel.send", self._send).getModel().Enabled = False
        self._button("stop", "panel.stop", lambda: runs.stop_all(self.frame)).getModel().Enabled = False
        p.row(("send", 1), ("stop", 1))
        for name, mode in (("replace", "replace"), ("after", "after")):
            self._button(name, f"panel.{name}", lambda mode=mode: self._apply(mode))
        self._button("copy", "panel.copy", self._copy)
        p.add("FixedText", "check_count", Label="", MultiLine=True)
        p.row(("check_count", 1), height=32)
        p.row(("replace", 1), ("after", 1), ("copy", 1))
        p.add("FixedText", "model_label", Label=tx("panel.model"))
        p.add("ListBox", "model", Dropdown=True, Tabstop=True)
        p.control("model").addItemListener(ControlEvents(self.ctx, self._model_chosen, "sidebar"))
        p.row(("model_label", 1), ("model", 3))
        p.add("FixedText", "destination", Label="", MultiLine=True)
        p.row(("destination", 1), height=32)
        self._enable_apply(False)

    def _button(self, name: str, key: str, handler: Any) -> Any:
        button = self.panel.add("Button", name, Label=self._text(key), Tabstop=True)
        button.addActionListener(ControlEvents(self.ctx, handler, "sidebar"))
        return button

    # --- actions ---------------------------------------------------------
    def _start(self, command: str, params: dict[str, str]) -> None:
        if self.run is not None and self.run.running:
            return
        runs.start(self.ctx, self.frame, command, {**params, "mode": "preview"})

    def _rewrite(self) -> None:
        selected = self.panel.control("style").getSelectedItemPos()
        self._start("rewrite", {"style": STYLES[max(0, selected)]})

    def _instruct(self) -> None:
        self._start("instruct", {"text": self.panel.control("instruction").getText()})

    def _translate(self, engine: str = "") -> None:
        if not self.target_codes:
            return
        params = {"to": self.target_codes[max(0, self.panel.control("target_language").getSelectedItemPos())]}
        source = self.panel.control("source_language").getSelectedItemPos()
        if source > 0:  # 0 is "Detect"
            params["from"] = self.source_codes[source - 1]
        if engine:
            params["engine"] = engine
        self._start("translate", params)

    def _translate_with_model(self) -> None:
        self.panel.control("translate_model").getModel().Enabled = False
        if self.run is not None and self.run.alternative is not None:
            self._start("translate", self.run.alternative)

    def _open_desk(self) -> None:
        from .desk import open_desk

        open_desk(self.ctx)

    def _send(self) -> None:
        if self.run is not None and self.run.pending is not None:
            self.panel.control("send").getModel().Enabled = False
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

    # --- what runs report (main thread) ------------------------------------
    def run_started(self, run: runs.Run) -> None:
        self.run = run
        self.panel.control("translate_model").getModel().Enabled = False
        self._show_destination()
        self.panel.control("send").getModel().Enabled = False
        self.panel.control("result_label").getModel().Label = self._text("panel.result")
        self.panel.control("output").setText(run.text)
        self._show_check(None)
        self._status(self._text("panel.working"))
        self.panel.control("stop").getModel().Enabled = True
        self._enable_apply(False)

    def run_piece(self, run: runs.Run, text: str) -> None:
        output = self.panel.control("output")
        output.setText(output.getText() + text)
        if run.progress_text():
            self._status(run.progress_text())

    def run_ended(self, run: runs.Run) -> None:
        self.run = run
        self.panel.control("stop").getModel().Enabled = False
        if run.pending is not None:
            # Policy "warn": show exactly what would leave the machine, and wait for Send.
            self.panel.control("result_label").getModel().Label = t("panel.to_send", self.lang, count=run.pending.replaced)
            self.panel.control("output").setText(run.pending.text)
            self.panel.control("send").getModel().Enabled = True
            self._status(run.message)
            return
        if run.state != "done":
            self._status("\n".join(run.notes(self.lang)) or run.message)
            self.panel.control("translate_model").getModel().Enabled = run.alternative is not None
            return
        self.panel.control("output").setText(run.text)
        self._show_check(run.unsupported)
        stats = run.stats
        if stats is not None:
            lines = self._truncation_notes(run)
            lines.append(t("panel.stats", self.lang, model=stats.model, seconds=stats.total_seconds, chars=stats.output_chars))
            if stats.pseudonymised:
                lines.append(t("panel.pseudonymised", self.lang, count=stats.pseudonymised))
            if stats.missing:
                lines.append(t("panel.missing", self.lang, values=", ".join(stats.missing)))
            lines += run.notes(self.lang)
            self._status("\n".join(lines))
        if run.mode == "preview" or run.held:
            self._enable_apply(True)
            self.panel.control(run.default_apply).setFocus()
        else:
            self._status(self._text("panel.applied"))

    def run_applied(self, run: runs.Run) -> None:
        """The result is in the document (the Apply buttons, or ``plume:apply``)."""
        if run is self.run:
            self._enable_apply(False)
            self._status(self._text("panel.applied"))

    def _truncation_notes(self, run: runs.Run) -> list[str]:
        """Why an answer is incomplete, and, when a command asked to apply it, that it was not."""
        if not run.truncated or run.stats is None:
            return []
        notes = [self._text("panel.truncated.summary" if run.stats.trimmed else "panel.truncated")]
        return [*notes, self._text("panel.truncated.held")] if run.held else notes

    def _show_check(self, findings: list[Any] | None) -> None:
        """List what the fact check found, and count it next to the Apply buttons."""
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

    def _enable_apply(self, enabled: bool) -> None:
        for name in ("replace", "after", "copy"):
            self.panel.control(name).getModel().Enabled = enabled
        if enabled and self.run is not None:
            # The default choice: summaries go after the text, rewrites replace it.
            default = self.run.default_apply
            for name in ("replace", "after"):
                self.panel.control(name).getModel().DefaultButton = name == default

    # --- settings shown in the panel ---------------------------------------
    def _show_destination(self) -> None:
        """Where the text goes, and through which proxy: the route the door will take (a
        destination the door refuses shows why)."""
        import os

        from plume.egress.route import route_for

        from .config_store import load_settings

        try:
            route = route_for(load_settings(self.ctx), os.environ)
        except Exception as error:
            self.panel.control("destination").getModel().Label = describe_error(error, self.lang)
            return
        where = route.destination
        label = t(f"destination.{where.kind}", self.lang, label=where.label)
        if route.proxy:
            label += " " + t("destination.proxy", self.lang, proxy=route.proxy_shown)
        self.panel.control("destination").getModel().Label = label

    def _load_models(self) -> None:
        """Ask the server for its models off the main thread; fill the list when it answers."""
        from plume.backends.base import create_backend

        from .config_store import api_key, load_settings
        from .worker import MainThread

        main = MainThread(self.ctx)
        settings = load_settings(self.ctx)
        key = api_key(self.ctx, settings.base_url)

        def fetch() -> None:
            try:
                names = [m.name for m in create_backend(settings, key).list_models()]
            except Exception:
                names = []
            main.post(lambda: self._fill_models(names, settings.model))

        threading.Thread(target=fetch, name="plume-models", daemon=True).start()

    def _load_languages(self) -> None:
        """List the installed language packages off the main thread (the shared folder may be
        on a network drive); fill the pickers when done."""
        from plume.translation.service import translator_for

        from .config_store import load_settings
        from .runs.translate import personal_packages_dir
        from .worker import MainThread

        main, settings = MainThread(self.ctx), load_settings(self.ctx)
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
