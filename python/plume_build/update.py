"""Updates IT serves from its own web server: the package's ``description.xml`` names a feed
(``<update-information>``), the feed names the newest package; LibreOffice's Extension Manager
("Check for Updates", and its periodic check) reads both. One feed per platform, since each
package runs on one platform only."""

from __future__ import annotations

from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

DESCRIPTION_NS = "http://openoffice.org/extensions/description/2006"
XLINK_NS = "http://www.w3.org/1999/xlink"


def feed_name(target: str, suffix: str = "") -> str:
    return f"plume-update-{target}{suffix}.xml"


def join_url(base: str, name: str) -> str:
    return base if base.endswith(name) else base.rstrip("/") + "/" + name


def with_update_information(description: str, feed_url: str) -> str:
    """``description.xml`` with an ``<update-information>`` naming ``feed_url`` (any earlier one replaced)."""
    start = description.find("<update-information>")
    if start != -1:
        end = description.index("</update-information>") + len("</update-information>")
        description = description[:start].rstrip() + description[end:]
    element = f"\n  <update-information>\n    <src xlink:href={quoteattr(feed_url)}/>\n  </update-information>"
    closing = description.rindex("</description>")
    return description[:closing].rstrip() + element + "\n" + description[closing:]


def with_platform(description: str, platform: str) -> str:
    start = description.index("<platform ")
    end = description.index("/>", start) + 2
    return description[:start] + f"<platform value={quoteattr(platform)}/>" + description[end:]


def update_feed(description: str, download_url: str) -> str:
    """The feed for the package whose ``description.xml`` is ``description``: same identifier,
    version, platform and dependencies, and where to download it."""
    root = ElementTree.fromstring(description)

    def value(tag: str) -> str:
        element = root.find(f"{{{DESCRIPTION_NS}}}{tag}")
        if element is None or not element.get("value"):
            raise ValueError(f"description.xml has no <{tag}>")
        return element.get("value", "")

    dependencies = root.find(f"{{{DESCRIPTION_NS}}}dependencies")
    minimal = ""
    if dependencies is not None:
        for dependency in dependencies:
            if dependency.tag.endswith("LibreOffice-minimal-version"):
                minimal = dependency.get("value", "")
    requirement = (
        f"""
  <dependencies>
    <l:LibreOffice-minimal-version d:name={quoteattr("LibreOffice " + minimal)} value={quoteattr(minimal)}/>
  </dependencies>"""
        if minimal
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<description xmlns="http://openoffice.org/extensions/update/2006"
             xmlns:d="{DESCRIPTION_NS}"
             xmlns:l="http://libreoffice.org/extensions/description/2011"
             xmlns:xlink="{XLINK_NS}">
  <identifier value={quoteattr(value("identifier"))}/>
  <version value={quoteattr(value("version"))}/>
  <platform value={quoteattr(value("platform"))}/>{requirement}
  <update-download>
    <src xlink:href={quoteattr(download_url)}/>
  </update-download>
</description>
"""
