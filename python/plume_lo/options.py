"""Tools > Options > Plume: the page ``dialogs/options.xdl`` and its event handler.

Controls are named after the settings they show (see :mod:`plume.settings`), so the page
reads and writes the configuration field by field. A value an administrator finalized is
shown greyed, with a tooltip saying so, and is never written. The API key goes to
LibreOffice's PasswordContainer, never to the configuration.
"""

from __future__ import annotations

import threading
from typing import Any

import unohelper
from com.sun.star.awt import XContainerWindowEventHandler

from plume.errors import SettingsError
from plume.i18n import language_of, t
from plume.settings import CHOICES as SETTING_CHOICES
from plume.settings import SETTING_FIELDS, Settings

from . import ids
from .log import logger
from .service_info import ServiceInfo

CHOICE_LABELS = {
    "backend": "option.backend.{}", "summary_mode": "option.mode.{}", "rewrite_mode": "option.mode.{}",
    "local_policy": "option.policy.{}", "operator_policy": "option.policy.{}",
}  # fmt: skip
SHOWN = ("backend", "base_url", "model", "operator_name", "approved_hosts", "operator_policy", "local_policy",
         "connect_timeout", "read_timeout", "ca_bundle", "summary_mode", "rewrite_mode", "verify_tls", "track_changes",
         "translate_target", "translate_with_model")  # fmt: skip
# The lists show the allowed values the settings declare, in their order.
CHOICES = {name: SETTING_CHOICES[name] for name in SHOWN if name in SETTING_CHOICES}
# The user's own actions: editable only where IT allows them (allow_personal_actions).
PERSONAL = "personal_actions"


class OptionsHandler(unohelper.Base, XContainerWindowEventHandler, ServiceInfo):  # type: ignore[misc]
    implementation, services = ids.OPTIONS_HANDLER, ids.OPTIONS_HANDLER_SERVICES

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx

    def getSupportedMethodNames(self) -> tuple[str, ...]:
        return ("external_event", "test_connection", "install_language", "remove_language")

    def callHandlerMethod(self, window: Any, event: Any, method: str) -> bool:
        try:
            page = OptionsPage(self.ctx, window)
            if method == "external_event" and event in ("initialize", "back"):
                page.load()
            elif method == "external_event" and event == "ok":
                page.save()
            elif method == "test_connection":
                page.test_connection()
            elif method == "install_language":
                page.install_language()
            elif method == "remove_language":
                page.remove_language()
            return True
        except Exception:
            logger(self.ctx).exception("options page %s/%s failed", method, event)
            return False


class OptionsPage:
    def __init__(self, ctx: Any, window: Any) -> None:
        from .context import ui_locale

        self.ctx, self.window = ctx, window
        self.lang = language_of(ui_locale(ctx))

    def control(self, name: str) -> Any:
        return self.window.getControl(name)

    def load(self) -> None:
        from .config_store import load_settings, locked_settings

        settings, locked = load_settings(self.ctx), locked_settings(self.ctx)
        for name in (*SHOWN, PERSONAL, "api_key", "test", "languages", "languages_install", "languages_remove"):
            labelled = self.control(f"{name}_label") or self.control(name)  # check boxes carry their own label
            labelled.getModel().Label = t(f"option.{name}", self.lang)
        for name in SHOWN:
            self._show(name, getattr(settings, name))
            model = self.control(name).getModel()
            model.Enabled = name not in locked
            model.HelpText = t("option.locked", self.lang) if name in locked else ""
        self._show(PERSONAL, settings.personal_actions)
        allowed = settings.allow_personal_actions and PERSONAL not in locked
        personal = self.control(PERSONAL).getModel()
        personal.Enabled = allowed
        personal.HelpText = (
            "" if allowed else t("option.personal_actions.off" if PERSONAL not in locked else "option.locked", self.lang)
        )
        self.control("api_key").setText("")
        self.control("test_result").setText("")
        self.show_languages()

    # --- language packages ------------------------------------------------------
    def _folders(self) -> Any:
        from plume.translation.packages import PackageFolders
        from plume.translation.service import shared_dirs

        from .config_store import load_settings
        from .runs.translate import personal_packages_dir

        return PackageFolders(personal_packages_dir(self.ctx), shared_dirs(load_settings(self.ctx)))

    def show_languages(self) -> None:
        """One line per installed package: pair, version, origin."""
        from plume.translation.languages import name_in

        lines = tuple(
            f"{name_in(p.source, self.lang)} → {name_in(p.target, self.lang)}  {p.version}  ({t('languages.' + p.origin, self.lang)})"
            for p in self._folders().installed()
        )
        self.control("languages").getModel().StringItemList = lines or (t("desk.no_packages", self.lang),)

    def install_language(self) -> None:
        """Ask for an .argosmodel file and install it into the user's folder."""
        from pathlib import Path

        import uno

        from plume.i18n import describe_error
        from plume.translation.argos import clear_loaded

        from .context import create

        picker = create(self.ctx, "com.sun.star.ui.dialogs.FilePicker")
        picker.appendFilter("Argos Translate (*.argosmodel)", "*.argosmodel")
        if picker.execute() != 1 or not picker.getSelectedFiles():
            return
        try:
            package = self._folders().install(Path(uno.fileUrlToSystemPath(picker.getSelectedFiles()[0])))
        except Exception as error:
            self.control("test_result").setText(describe_error(error, self.lang))
            return
        clear_loaded()  # a replaced package must not be served from the old model
        self.show_languages()
        self.control("test_result").setText(t("option.languages.done", self.lang, source=package.source, target=package.target))

    def remove_language(self) -> None:
        from plume.i18n import describe_error
        from plume.translation.argos import clear_loaded

        packages = self._folders().installed()  # the order the list shows
        position = self.control("languages").getSelectedItemPos()
        if position < 0 or position >= len(packages):
            return
        try:
            self._folders().remove(packages[position])
        except Exception as error:
            self.control("test_result").setText(describe_error(error, self.lang))
            return
        clear_loaded()
        self.show_languages()
        self.control("test_result").setText(t("option.languages.removed", self.lang))

    def _show(self, name: str, value: Any) -> None:
        control = self.control(name)
        if name in CHOICES:
            labels = tuple(t(CHOICE_LABELS[name].format(choice), self.lang) for choice in CHOICES[name])
            control.getModel().StringItemList = labels
            control.selectItemPos(CHOICES[name].index(value) if value in CHOICES[name] else 0, True)
        elif isinstance(value, bool):
            control.getModel().State = 1 if value else 0
        else:
            control.setText(str(value))

    def values(self) -> dict[str, Any]:
        """What the page shows now, as setting values (strings converted by Settings)."""
        values: dict[str, Any] = {}
        for name in SHOWN:
            control = self.control(name)
            if name in CHOICES:
                values[name] = CHOICES[name][max(0, control.getSelectedItemPos())]
            elif isinstance(getattr(Settings(), name), bool):
                values[name] = bool(control.getModel().State)
            else:
                values[name] = control.getText().strip()
        if self.control(PERSONAL).getModel().Enabled:
            # Checked by Settings.validate like every other value; a refused file is not saved.
            values[PERSONAL] = self.control(PERSONAL).getText().replace("\r\n", "\n").strip()
        return values

    def edited_settings(self) -> Settings:
        from .config_store import load_settings

        current = load_settings(self.ctx)
        merged = {f.name: getattr(current, f.name) for f in SETTING_FIELDS} | self.values()
        return Settings.from_mapping(merged).validate()

    def save(self) -> None:
        from .config_store import locked_settings, save_settings, store_api_key

        try:
            settings = self.edited_settings()
        except SettingsError as error:
            self.control("test_result").setText(t("option.invalid", self.lang, detail="; ".join(error.problems)))
            return
        locked = locked_settings(self.ctx)
        edited = [*SHOWN, PERSONAL] if self.control(PERSONAL).getModel().Enabled else SHOWN
        save_settings(self.ctx, {name: getattr(settings, name) for name in edited if name not in locked})
        key = self.control("api_key").getText()
        if key:
            kept = store_api_key(self.ctx, settings.base_url, key)
            self.control("api_key").setText("")
            self.control("test_result").setText(t("option.key.saved" if kept else "option.key.session", self.lang))

    def test_connection(self) -> None:
        """Run the doctor's checks on what the page shows, off the main thread."""
        from plume.doctor import run_checks

        from .config_store import api_key
        from .worker import MainThread

        output = self.control("test_result")
        try:
            settings = self.edited_settings()
        except SettingsError as error:
            output.setText(t("option.invalid", self.lang, detail="; ".join(error.problems)))
            return
        from .installation_info import installation_checks

        key = self.control("api_key").getText() or api_key(self.ctx, settings.base_url)
        output.setText(t("option.testing", self.lang))
        main, lang = MainThread(self.ctx), self.lang
        local = installation_checks(self.ctx, settings)

        def check() -> None:
            lines = "\n".join(c.line() for c in [*run_checks(settings, key, lang), *local])
            main.post(lambda: output.setText(lines))

        threading.Thread(target=check, name="plume-doctor", daemon=True).start()
