"""Where the text goes when Plume sends it: this computer, an approved operator, or nowhere
(any other host is blocked). Shown to the user before anything is sent (the sidebar's badge)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from .settings import Settings

DestinationKind = Literal["local", "operator", "blocked"]


@dataclass(frozen=True)
class Destination:
    kind: DestinationKind
    label: str  # the operator's name or host; empty for this computer


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":  # by name: the door checks the address it connects to
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def destination_of(settings: Settings) -> Destination:
    if is_loopback(settings.host):
        return Destination("local", "")
    if settings.host.lower() in settings.approved:
        return Destination("operator", settings.operator_name or settings.host)
    return Destination("blocked", settings.host)
