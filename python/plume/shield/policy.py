"""What may leave the machine, decided per destination before any byte is sent:

- this computer (loopback): ``local_policy`` (default: send as is);
- a host in ``approved_hosts``: ``operator_policy`` (default: pseudonymise);
- any other host: blocked, whatever the settings say.

"warn" pseudonymises too, and asks the user to look at what will be sent first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..destination import Destination, destination_of
from ..errors import DestinationBlocked
from ..settings import Settings


@dataclass(frozen=True)
class Decision:
    destination: Destination
    action: str  # send, pseudonymise, warn, block

    @property
    def blocked(self) -> bool:
        return self.action == "block"

    @property
    def pseudonymise(self) -> bool:
        return self.action in ("pseudonymise", "warn")

    @property
    def needs_confirmation(self) -> bool:
        return self.action == "warn"


def decide(settings: Settings) -> Decision:
    destination = destination_of(settings)
    if destination.kind == "local":
        return Decision(destination, settings.local_policy)
    if destination.kind == "operator":
        return Decision(destination, settings.operator_policy)
    return Decision(destination, "block")


def check_allowed(settings: Settings) -> Decision:
    """The decision, or :class:`DestinationBlocked` when nothing may be sent."""
    decision = decide(settings)
    if decision.blocked:
        if decision.destination.kind == "blocked":
            raise DestinationBlocked(settings.host, "not an approved operator", "unapproved")
        raise DestinationBlocked(settings.host, "blocked by the settings", "policy")
    return decision
