"""Where the text goes when Plume sends it: this computer or a named operator. Shown to
the user before anything is sent (the sidebar's badge). The personal-data policy adds
"blocked" destinations on top of this."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from .settings import Settings

DestinationKind = Literal["local", "operator"]


@dataclass(frozen=True)
class Destination:
    kind: DestinationKind
    label: str  # the operator's name or host; empty for this computer


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def destination_of(settings: Settings) -> Destination:
    if is_loopback(settings.host):
        return Destination("local", "")
    return Destination("operator", settings.operator_name or settings.host)
