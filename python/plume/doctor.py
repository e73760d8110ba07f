"""Installation checks, each one line OK/FAIL with the fix. The adapter adds its own
(LibreOffice version, extension registered) to the same list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx

from .backends.base import Backend, create_backend
from .errors import PlumeError, SettingsError
from .i18n import describe_error
from .settings import Settings
from .types import ModelInfo


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        status = "OK  " if self.ok else "FAIL"
        text = f"{status} {self.name}: {self.detail}"
        return text + (f" -> {self.fix}" if self.fix else "")


def run_checks(
    settings: Settings,
    api_key: str = "",
    lang: str = "en",
    transport: httpx.BaseTransport | None = None,
    backend_factory: Callable[[Settings, str, httpx.BaseTransport | None], Backend] = create_backend,
) -> list[Check]:
    checks: list[Check] = []
    try:
        settings.validate()
    except SettingsError as error:
        return [Check("settings", False, "; ".join(error.problems), "fix the settings listed")]
    checks.append(Check("settings", True, f"{settings.backend} at {settings.base_url}"))
    if not settings.verify_tls:
        checks.append(
            Check("tls", False, "certificate verification is off", "turn verify_tls back on; set ca_bundle for an internal CA")
        )

    try:
        backend = backend_factory(settings, api_key, transport)
    except PlumeError as error:  # a blocked destination, plain http to an operator, an unusable proxy
        checks.append(Check("route", False, str(error), describe_error(error, lang)))
        return checks
    checks.append(Check("route", True, backend.door.route.describe()))
    try:
        models: list[ModelInfo] = backend.list_models()
    except PlumeError as error:
        checks.append(Check("endpoint", False, str(error), describe_error(error, lang)))
        return checks
    checks.append(Check("endpoint", True, f"{settings.base_url} answers, {len(models)} model(s)"))

    names = [m.name for m in models]
    if settings.model:
        present = settings.model in names or any(n.split(":")[0] == settings.model for n in names)
        fix = f"choose one of: {', '.join(names[:8]) or 'none'}"
        checks.append(
            Check(
                "model", present, settings.model + (" is present" if present else " is not on the server"), "" if present else fix
            )
        )
    elif names:
        checks.append(Check("model", True, f"none set; will use the first listed: {names[0]}"))
    else:
        checks.append(Check("model", False, "the server lists no model", "install or load a model on the server"))
        return checks
    checks.append(_window_check(backend, settings, settings.model or names[0]))
    return checks


def _window_check(backend: Backend, settings: Settings, model: str) -> Check:
    """Which window long texts are planned for, and where that figure comes from."""
    from .window import resolve_window

    window = resolve_window(backend, settings, model)
    detail = f"{window.tokens} tokens ({window.origin})"
    if window.origin == "default":
        # Not a failure: 4096 works everywhere, but a larger real window means fewer requests.
        return Check("context window", True, detail + "; the server does not say its own: set context_window if it is larger")
    return Check("context window", True, detail)
