"""Plume's settings in LibreOffice's configuration (``/org.plume.Settings/General``, schema
generated from :mod:`plume.settings`), and API keys in the PasswordContainer."""

from __future__ import annotations

from typing import Any

from plume.settings import SETTING_FIELDS, Settings

from . import ids
from .context import config_reader, config_writer, create

CONFIG_PATH = f"{ids.CONFIG_ROOT}/{ids.CONFIG_GROUP}"
PASSWORD_USER = "plume"


def load_settings(ctx: Any) -> Settings:
    node = config_reader(ctx, CONFIG_PATH)
    return Settings.from_mapping({f.name: node.getByName(f.name) for f in SETTING_FIELDS if node.hasByName(f.name)})


def save_settings(ctx: Any, values: dict[str, Any]) -> None:
    node = config_writer(ctx, CONFIG_PATH)
    for name, value in values.items():
        node.replaceByName(name, value)
    node.commitChanges()


def api_key(ctx: Any, url: str) -> str:
    """The key stored for ``url`` in LibreOffice's PasswordContainer (master-password protected)."""
    try:
        container = create(ctx, "com.sun.star.task.PasswordContainer")
        record = container.find(url, None)
    except Exception:
        return ""
    if record is None or not record.UserList:
        return ""
    passwords = record.UserList[0].Passwords
    return str(passwords[0]) if passwords else ""
