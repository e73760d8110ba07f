# The component LibreOffice registers: only the list of implementations. LibreOffice execs
# this file as "uno_component" (it cannot be imported by name); all code lives in plume_lo.
#
# Each implementation's module is imported when LibreOffice first asks for it, not here: this
# file runs when the first Plume command, panel or options page is needed, and that first
# use should only pay for what it uses. Nothing of Plume runs at start-up (the context menu is
# registered in Basic: extension/basic/PlumeMenu/ContextMenu.bas; benchmarks row 4).
import importlib

import unohelper

from plume_lo import ids


def _lazy(module: str, name: str):  # type: ignore[no-untyped-def]
    def create(ctx, *args):  # type: ignore[no-untyped-def]
        return getattr(importlib.import_module(module), name)(ctx, *args)

    return create


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(
    _lazy("plume_lo.commands", "ProtocolHandler"), ids.PROTOCOL_HANDLER, ids.PROTOCOL_HANDLER_SERVICES
)
g_ImplementationHelper.addImplementation(_lazy("plume_lo.sidebar", "PanelFactory"), ids.PANEL_FACTORY, ids.PANEL_FACTORY_SERVICES)
g_ImplementationHelper.addImplementation(
    _lazy("plume_lo.options", "OptionsHandler"), ids.OPTIONS_HANDLER, ids.OPTIONS_HANDLER_SERVICES
)
