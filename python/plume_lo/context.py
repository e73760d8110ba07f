"""Access to LibreOffice services: the component context, configuration, paths, UI language."""

from __future__ import annotations

from typing import Any

import uno
from com.sun.star.beans import PropertyValue


def create(ctx: Any, service: str, *args: Any) -> Any:
    smgr = ctx.getServiceManager()
    if args:
        return smgr.createInstanceWithArgumentsAndContext(service, args, ctx)
    return smgr.createInstanceWithContext(service, ctx)


def _node_arg(path: str) -> PropertyValue:
    arg = PropertyValue()
    arg.Name, arg.Value = "nodepath", path
    return arg


def config_reader(ctx: Any, path: str) -> Any:
    provider = create(ctx, "com.sun.star.configuration.ConfigurationProvider")
    return provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", (_node_arg(path),))


def config_writer(ctx: Any, path: str) -> Any:
    provider = create(ctx, "com.sun.star.configuration.ConfigurationProvider")
    return provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess", (_node_arg(path),))


def ui_locale(ctx: Any) -> str:
    try:
        locale = str(config_reader(ctx, "/org.openoffice.Setup/L10N").getByName("ooLocale") or "")
    except Exception:  # a missing node must not break a command: fall back to English
        locale = ""
    return locale or "en-US"


def user_dir(ctx: Any) -> str:
    """The user profile's folder (``$(user)``), as a system path."""
    url = create(ctx, "com.sun.star.util.PathSubstitution").substituteVariables("$(user)", True)
    return str(uno.fileUrlToSystemPath(url))


def show_sidebar(ctx: Any, frame: Any) -> None:
    """Open Plume's sidebar deck in ``frame``."""
    from . import ids

    try:  # already open: a dispatch would lay the deck out again (benchmarks row 3b)
        sidebar = frame.getController().getSidebar()
        if sidebar.isVisible() and sidebar.getDecks().getByName(ids.SIDEBAR_DECK).isActive():
            return
    except Exception:  # a frame without a sidebar (the Start Center), or an older LibreOffice
        pass
    create(ctx, "com.sun.star.frame.DispatchHelper").executeDispatch(frame, f".uno:SidebarDeck.{ids.SIDEBAR_DECK}", "", 0, ())
