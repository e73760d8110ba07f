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


def locked_settings(ctx: Any) -> set[str]:
    """Settings an administrator finalized: LibreOffice reports them READONLY."""
    from com.sun.star.beans.PropertyAttribute import READONLY

    # Only an update access tells finalized values apart: through a read access all are READONLY.
    info = config_writer(ctx, CONFIG_PATH).getPropertySetInfo()
    return {
        f.name for f in SETTING_FIELDS if info.hasPropertyByName(f.name) and info.getPropertyByName(f.name).Attributes & READONLY
    }


def store_api_key(ctx: Any, url: str, key: str) -> bool:
    """Keep the key in the PasswordContainer. Returns False when it could only be kept for
    this session: persistent storage is the user's choice (Tools > Options > Security,
    "Persistently save passwords", best with a master password), Plume never turns it on."""
    from com.sun.star.task import NoMasterException

    container = create(ctx, "com.sun.star.task.PasswordContainer")
    try:
        container.addPersistent(url, PASSWORD_USER, (key,), create(ctx, "com.sun.star.task.InteractionHandler"))
        return True
    except NoMasterException:
        container.add(url, PASSWORD_USER, (key,), None)
        return False


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
