"""The reception-desk translator's behaviour, without any window: two sides (the agent and
the visitor), their languages, which way a text typed on one side goes, and which answer is
still wanted when translations finish out of order.

It keeps no text: the window owns what is typed and forgets it when closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .argos import ArgosTranslator
from .service import TranslationPlan, translate_paragraphs

SIDES = ("agent", "visitor")
PAUSE_SECONDS = 0.8  # translate after this much silence in typing


@dataclass(frozen=True)
class Request:
    """One translation the window asked for; ``number`` orders requests."""

    number: int
    side: str  # where the text was typed
    source: str
    target: str


class DeskSession:
    def __init__(self, translator: ArgosTranslator, agent_language: str = "fr", visitor_language: str = "en") -> None:
        self.translator = translator
        self.languages = {"agent": agent_language, "visitor": visitor_language}
        self._issued = 0

    def other(self, side: str) -> str:
        return "visitor" if side == "agent" else "agent"

    def agent_choices(self) -> tuple[str, ...]:
        """Languages the agent can work in: any installed source or target."""
        codes = set(self.translator.source_languages()) | set(self.translator.target_languages())
        return tuple(sorted(codes | {self.languages["agent"]}))

    def visitor_choices(self) -> tuple[str, ...]:
        """Languages reachable from the agent's language, in at least one direction."""
        agent = self.languages["agent"]
        codes = set(self.translator.target_languages(agent))
        codes |= {code for code in self.translator.source_languages() if self.translator.route(code, agent) is not None}
        codes.discard(agent)
        return tuple(sorted(codes | {self.languages["visitor"]}))

    def choose(self, side: str, language: str) -> None:
        self.languages[side] = language

    def swap(self) -> None:
        """Exchange the two languages (the window exchanges the texts)."""
        self.languages["agent"], self.languages["visitor"] = self.languages["visitor"], self.languages["agent"]

    def request(self, side: str) -> Request:
        """A new request for text typed on ``side``; earlier ones become stale."""
        self._issued += 1
        return Request(self._issued, side, self.languages[side], self.languages[self.other(side)])

    def is_current(self, request: Request) -> bool:
        """Whether the answer to ``request`` should still be shown (no newer request since)."""
        return request.number == self._issued

    def translate(self, request: Request, text: str) -> str:
        """Called off the main thread; raises :class:`MissingPair` when no route exists."""
        plan = TranslationPlan(request.source, request.target, None)
        return "\n".join(translate_paragraphs(self.translator, text.split("\n"), plan))
