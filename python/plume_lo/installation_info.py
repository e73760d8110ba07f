"""What LibreOffice says about Plume's installation, for the doctor's checks
(:mod:`plume.installation`): its version, where the extension is registered, and the
settings an administrator finalized."""

from __future__ import annotations

import sys
from typing import Any

from plume.doctor import Check
from plume.installation import (
    libreoffice_check,
    policy_check,
    python_check,
    registration_check,
    translation_check,
    translation_runtime_available,
)
from plume.settings import Settings
from plume.translation.packages import PackageFolders
from plume.translation.service import shared_dirs

from . import ids
from .config_store import locked_settings
from .context import config_reader

REPOSITORIES = ("user", "shared", "bundled")


def office_version(ctx: Any) -> str | None:
    try:
        return str(config_reader(ctx, "/org.openoffice.Setup/Product").getByName("ooSetupVersionAboutBox"))
    except Exception:  # a stripped-down configuration: say "not found" rather than fail the page
        return None


def registration_scopes(ctx: Any) -> list[str]:
    """The repositories (user, shared, bundled) holding Plume, from the Extension Manager."""
    manager = ctx.getValueByName("/singletons/com.sun.star.deployment.ExtensionManager")
    scopes = []
    for repository in REPOSITORIES:
        try:
            packages = manager.getDeployedExtensions(repository, None, None)
        except Exception:  # a repository LibreOffice cannot read (e.g. no shared one): not ours
            continue
        if any(p is not None and p.getIdentifier().Value == ids.EXTENSION_ID for p in packages):
            scopes.append(repository)
    return scopes


def installation_checks(ctx: Any, settings: Settings) -> list[Check]:
    """Runs on the main thread: every value comes from LibreOffice or the disk, no network."""
    from .runs.translate import personal_packages_dir

    folders = PackageFolders(personal_packages_dir(ctx), shared_dirs(settings))
    return [
        libreoffice_check(office_version(ctx)),
        python_check(tuple(sys.version_info[:3])),
        registration_check(registration_scopes(ctx)),
        translation_check(folders, translation_runtime_available()),
        policy_check(locked_settings(ctx)),
    ]
