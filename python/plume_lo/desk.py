"""The reception-desk translator ("Traduction accueil"): a window of its own, usable with no
document open (``plume:desk``, the Plume menu of the Start Center and of Writer).

Two large panes, the agent's and the visitor's; what is typed in one is translated into
the other on Enter or after a short pause in typing, offline. Languages are shown in their
own names. Nothing typed is written anywhere (no log line carries text); closing the window
disposes of everything it held. Translations run on a worker thread, so the window and
LibreOffice stay responsive; an answer that arrives after a newer request is dropped.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from plume.i18n import describe_error, language_of, t

from .context import create, ui_locale
from .events import ControlEvents

NORMAL_FONT, LARGE_FONT = 12, 22
_open: list[DeskWindow] = []


def open_desk(ctx: Any) -> DeskWindow:
    """Show the desk window (bring the existing one forward when already open)."""
    if _open:
        _open[0].dialog.setFocus()
        return _open[0]
    window = DeskWindow(ctx)
    _open.append(window)
    window.show()
    return window


def current() -> DeskWindow | None:
    return _open[0] if _open else None


class DeskWindow:
    def __init__(self, ctx: Any) -> None:
        from plume.translation.desk import DeskSession
        from plume.translation.service import translator_for

        from .config_store import load_settings
        from .runs.translate import personal_packages_dir
        from .worker import MainThread

        self.ctx = ctx
        self.lang = language_of(ui_locale(ctx))
        self.main = MainThread(ctx)
        settings = load_settings(ctx)
        # The agent works in French whatever the UI language; the visitor's side starts on the
        # default target language.
        agent = "fr"
        visitor = settings.translate_target if settings.translate_target != agent else "en"
        self.session = DeskSession(translator_for(settings, personal_packages_dir(ctx)), agent, visitor)
        self.last_side = "agent"
        self._timer: threading.Timer | None = None
        self._writing = False  # set while Plume fills a pane, so that is not taken as typing
        self.translations = 0  # answers shown, for tests and the status line
        self.codes: dict[str, tuple[str, ...]] = {"agent": (), "visitor": ()}
        self.dialog = self._build()

    # --- building ------------------------------------------------------------
    def _build(self) -> Any:
        model = create(self.ctx, "com.sun.star.awt.UnoControlDialogModel")
        model.Title, model.Width, model.Height, model.Closeable, model.Moveable = t("desk.title", self.lang), 424, 246, True, True
        model.Sizeable = True
        tx = self._text
        # Each pane comes right after its label: screen readers name a field after the label before it.
        for side, x in (("agent", 6), ("visitor", 216)):
            self._add(model, "FixedText", f"{side}_label", x, 8, 40, 12, Label=tx(f"desk.{side}"))
            self._add(model, "ListBox", f"{side}_language", x + 42, 6, 150, 14, Dropdown=True, Tabstop=True,
                      HelpText=tx(f"desk.{side}"))  # fmt: skip
            self._add(model, "Edit", side, x, 26, 202, 160, MultiLine=True, VScroll=True, Tabstop=True,
                      HelpText=tx(f"desk.{side}"), FontHeight=NORMAL_FONT)  # fmt: skip
        self._add(model, "Button", "translate", 6, 192, 80, 16, Label=tx("desk.translate"), Tabstop=True)
        self._add(model, "Button", "swap", 90, 192, 60, 16, Label=tx("desk.swap"), Tabstop=True)
        self._add(model, "Button", "copy", 154, 192, 90, 16, Label=tx("desk.copy"), Tabstop=True)
        self._add(model, "Button", "clear", 248, 192, 50, 16, Label=tx("desk.clear"), Tabstop=True)
        self._add(model, "CheckBox", "large", 302, 194, 72, 14, Label=tx("desk.large"), Tabstop=True)
        self._add(model, "Button", "close", 376, 192, 42, 16, Label=tx("desk.close"), Tabstop=True)
        self._add(model, "FixedText", "status", 6, 212, 412, 30, Label=tx("desk.ready"), MultiLine=True)
        dialog = create(self.ctx, "com.sun.star.awt.UnoControlDialog")
        dialog.setModel(model)
        dialog.createPeer(create(self.ctx, "com.sun.star.awt.Toolkit"), None)
        on = self._on
        dialog.getControl("translate").addActionListener(on(lambda: self.translate_now(self.last_side)))
        dialog.getControl("swap").addActionListener(on(self.swap))
        dialog.getControl("copy").addActionListener(on(self.copy))
        dialog.getControl("clear").addActionListener(on(self.clear))
        dialog.getControl("close").addActionListener(on(self.close))
        dialog.getControl("large").addItemListener(on(self._font_changed))
        for side in ("agent", "visitor"):
            pane = dialog.getControl(side)
            pane.addTextListener(on(lambda side=side: self._typed(side)))
            pane.addKeyListener(on(lambda key=None, side=side: self.translate_now(side)))
            dialog.getControl(f"{side}_language").addItemListener(on(lambda side=side: self._language_chosen(side)))
        dialog.addTopWindowListener(on(self.close))
        self.dialog = dialog
        self._fill_languages(dialog)
        return dialog

    def _add(self, model: Any, kind: str, name: str, x: int, y: int, width: int, height: int, **values: Any) -> None:
        control = model.createInstance(f"com.sun.star.awt.UnoControl{kind}Model")
        control.Name, control.PositionX, control.PositionY, control.Width, control.Height = name, x, y, width, height
        font = values.pop("FontHeight", None)
        for key, value in values.items():
            setattr(control, key, value)
        if font:
            descriptor = control.FontDescriptor
            descriptor.Height = font
            control.FontDescriptor = descriptor
        model.insertByName(name, control)

    def _on(self, handler: Any) -> ControlEvents:
        return ControlEvents(self.ctx, handler, "desk")

    def _text(self, key: str) -> str:
        return t(key, self.lang)

    def show(self) -> None:
        self.dialog.setVisible(True)
        self.dialog.getControl("agent").setFocus()
        source, target = self.session.languages["agent"], self.session.languages["visitor"]
        # Load the models while the agent greets the visitor: the first answer is then quick.
        threading.Thread(target=self._warm_up, args=(source, target), name="plume-desk-warmup", daemon=True).start()

    def _warm_up(self, source: str, target: str) -> None:
        with contextlib.suppress(Exception):  # nothing to warm (no package): the first request will say so
            self.session.translator.warm_up(source, target)

    # --- languages -------------------------------------------------------------
    def _fill_languages(self, dialog: Any) -> None:
        from plume.translation.languages import picker_label

        try:
            agent_codes, visitor_codes = self.session.agent_choices(), self.session.visitor_choices()
        except Exception as error:
            self._status(describe_error(error, self.lang), dialog)
            return
        self.codes = {"agent": agent_codes, "visitor": visitor_codes}
        self._writing = True  # selecting from code is not the user choosing
        try:
            for side, codes in self.codes.items():
                listbox = dialog.getControl(f"{side}_language")
                listbox.getModel().StringItemList = tuple(picker_label(code, self.lang) for code in codes)
                listbox.selectItemPos(codes.index(self.session.languages[side]), True)
        finally:
            self._writing = False
        if not self.session.translator.packages():
            self._status(self._text("desk.no_packages"), dialog)

    def _language_chosen(self, side: str) -> None:
        if self._writing:
            return
        position = self.dialog.getControl(f"{side}_language").getSelectedItemPos()
        if position < 0:
            return
        self.session.choose(side, self.codes[side][position])
        if side == "agent":
            self._fill_languages(self.dialog)  # the visitor's choices depend on the agent's language
        self._schedule(self.last_side)

    def swap(self) -> None:
        self.session.swap()
        agent, visitor = self.dialog.getControl("agent"), self.dialog.getControl("visitor")
        self._writing = True
        try:
            texts = agent.getText(), visitor.getText()
            agent.setText(texts[1])
            visitor.setText(texts[0])
        finally:
            self._writing = False
        self.last_side = self.session.other(self.last_side)
        self._fill_languages(self.dialog)

    # --- translating -------------------------------------------------------------
    def _typed(self, side: str) -> None:
        if self._writing:
            return
        self.last_side = side
        self._schedule(side)

    def _schedule(self, side: str) -> None:
        from plume.translation.desk import PAUSE_SECONDS

        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(PAUSE_SECONDS, lambda: self.main.post(lambda: self.translate_now(side)))
        self._timer.daemon = True
        self._timer.start()

    def translate_now(self, side: str) -> None:
        if not _open or _open[0] is not self:
            return  # closed meanwhile
        if self._timer is not None:
            self._timer.cancel()
        self.last_side = side
        text = self.dialog.getControl(side).getText()
        if not text.strip():
            return
        request = self.session.request(side)
        self._status(self._text("desk.working"))

        def work() -> None:
            try:
                result = self.session.translate(request, text)
            except Exception as error:
                self.main.post(lambda failure=error: self._failed(request, failure))  # type: ignore[misc]
                return
            self.main.post(lambda: self._show(request, result))

        threading.Thread(target=work, name="plume-desk", daemon=True).start()

    def _show(self, request: Any, result: str) -> None:
        if not _open or _open[0] is not self or not self.session.is_current(request):
            return
        self._writing = True
        try:
            self.dialog.getControl(self.session.other(request.side)).setText(result)
        finally:
            self._writing = False
        self.translations += 1
        self._status(self._text("desk.ready"))

    def _failed(self, request: Any, error: BaseException) -> None:
        if _open and _open[0] is self and self.session.is_current(request):
            self._status(describe_error(error, self.lang))

    # --- the other buttons ---------------------------------------------------------
    def copy(self) -> None:
        from .clipboard import copy_text

        copy_text(self.ctx, self.dialog.getControl(self.session.other(self.last_side)).getText())

    def clear(self) -> None:
        self.session.request(self.last_side)  # any answer still coming is now stale
        self._writing = True
        try:
            for side in ("agent", "visitor"):
                self.dialog.getControl(side).setText("")
        finally:
            self._writing = False
        self.dialog.getControl(self.last_side).setFocus()

    def _font_changed(self) -> None:
        large = self.dialog.getControl("large").getState() == 1
        for side in ("agent", "visitor"):
            model = self.dialog.getControl(side).getModel()
            descriptor = model.FontDescriptor
            descriptor.Height = LARGE_FONT if large else NORMAL_FONT
            model.FontDescriptor = descriptor

    def _status(self, text: str, dialog: Any = None) -> None:
        (dialog or self.dialog).getControl("status").getModel().Label = text

    def close(self) -> None:
        """Forget everything: the texts go with the window."""
        if self._timer is not None:
            self._timer.cancel()
        if _open and _open[0] is self:
            _open.clear()
        self.session.request(self.last_side)  # answers still on their way are dropped
        with contextlib.suppress(Exception):  # already gone with LibreOffice
            self.dialog.setVisible(False)
            self.dialog.dispose()
