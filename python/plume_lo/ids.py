"""Every identifier LibreOffice knows Plume by, defined once. Plain Python (no uno import)
so that build.py can check the registry files against it."""

EXTENSION_ID = "org.plume.assistant"
PROTOCOL = "plume:"
PROTOCOL_HANDLER = "org.plume.assistant.ProtocolHandler"
PROTOCOL_HANDLER_SERVICES = ("com.sun.star.frame.ProtocolHandler",)

CONFIG_ROOT = "/org.plume.Settings"
CONFIG_GROUP = "General"
CONFIG_PACKAGE, CONFIG_COMPONENT = "org.plume", "Settings"

# The URL macros and tests listen on to follow jobs (see README "Commands").
STATUS_URL = "plume:status"

PANEL_FACTORY = "org.plume.assistant.PanelFactory"
PANEL_FACTORY_SERVICES = ("com.sun.star.ui.UIElementFactory",)
PANEL_FACTORY_NAME = "PlumePanelFactory"  # the <FactoryName> in private:resource/toolpanel/<FactoryName>/<Panel>
SIDEBAR_DECK = "PlumeDeck"
SIDEBAR_PANEL = "PlumePanel"

OPTIONS_HANDLER = "org.plume.assistant.OptionsHandler"
OPTIONS_HANDLER_SERVICES = ("org.plume.assistant.OptionsHandler",)
OPTIONS_PAGE_URL = "vnd.sun.star.extension://org.plume.assistant/dialogs/options.xdl"
