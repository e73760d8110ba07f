# The component LibreOffice registers: only the list of implementations. LibreOffice execs
# this file as "uno_component" (it cannot be imported by name); all code lives in plume_lo.
import unohelper

from plume_lo import ids
from plume_lo.commands import ProtocolHandler
from plume_lo.context_menu import ContextMenuJob
from plume_lo.options import OptionsHandler
from plume_lo.sidebar import PanelFactory

g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(ProtocolHandler, ids.PROTOCOL_HANDLER, ids.PROTOCOL_HANDLER_SERVICES)
g_ImplementationHelper.addImplementation(PanelFactory, ids.PANEL_FACTORY, ids.PANEL_FACTORY_SERVICES)
g_ImplementationHelper.addImplementation(OptionsHandler, ids.OPTIONS_HANDLER, ids.OPTIONS_HANDLER_SERVICES)
g_ImplementationHelper.addImplementation(ContextMenuJob, ids.CONTEXT_MENU_JOB, ids.CONTEXT_MENU_JOB_SERVICES)
