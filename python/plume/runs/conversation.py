"""Refining a result (Affiner / Refine): the versions of one answer, in memory only.

A :class:`Conversation` starts from a finished :class:`~plume.runs.ModelRun`. Each
:meth:`~Conversation.revise` is a :class:`Turn`, run like the first (its :meth:`Turn.pieces`
on a worker thread): the request is the first one, then each answer of the versions it
builds on with the follow-up that revised it, then the new follow-up. When that would not
fit the model's window (or the first result needed several requests: a long summary, a
rewrite by batches), the current answer is revised alone.

Every turn goes through the run's door: the same mapping gives the answers sent back (in
clear for the user) their first placeholders, the same policy asks for a confirmation
under "warn", the answer is cleaned and restored the same way, and its facts are checked
against the same reference (the text read, the instruction) plus the follow-ups.

:meth:`~Conversation.back` makes an earlier version current: the next revision builds on it.
No version is ever dropped: each one knows the version it revised (``parent``).
Nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..actions.prompts import refine_alone, refine_messages
from ..budget import estimate_prompt_tokens, estimate_tokens
from ..cancel import CancelToken
from ..errors import NeedsConfirmation, TooLong, UnsupportedError
from ..language import guess_language
from ..longdoc.run import MARGIN, MIN_SUMMARY_TOKENS
from ..types import Message
from .model_run import fact_check, notes, reference

if TYPE_CHECKING:
    from ..egress.door import Door
    from ..factcheck import Finding
    from ..formatting import Segment
    from ..pipeline import Generation, GenerationStats
    from .model_run import ModelRun


@dataclass(frozen=True)
class Version:
    """One answer of the conversation."""

    text: str  # values restored: what the user sees and applies
    instruction: str  # the follow-up that made it; "" for the first answer
    parent: int | None  # the version it revised; None for the first
    unsupported: tuple[Finding, ...] | None  # fact-check findings; None: not checked
    truncated: bool = False  # stopped at the length limit: its end is missing
    alone: bool = False  # revised without the conversation (it would not fit the window)
    stats: GenerationStats | None = None
    segments: tuple[Segment, ...] | None = None  # the first answer of a long rewrite only

    def notes(self, lang: str) -> list[str]:
        return notes(self.stats, lang)


class Conversation:
    def __init__(self, run: ModelRun) -> None:
        """From a finished run (its pieces consumed without error)."""
        if run.long is None or not run.text.strip():
            raise UnsupportedError("there is no answer to refine yet")
        self.run = run
        self.spec, self.settings, self.backend = run.spec, run.settings, run.backend
        self.model, self.window = run.model, run.window
        self.language = run.long.language
        # The first request as sent, to continue; none for a result made of several requests.
        self.first: tuple[Message, ...] = run.long.messages if run.long.fits else ()
        unsupported = tuple(run.unsupported) if run.unsupported is not None else None
        segments = tuple(run.segments) if run.segments else None
        self.versions: list[Version] = [
            Version(run.text, "", None, unsupported, run.truncated, stats=run.stats, segments=segments)
        ]
        self.index = 0

    @property
    def door(self) -> Door:
        return self.backend.door

    @property
    def current(self) -> Version:
        return self.versions[self.index]

    @property
    def can_go_back(self) -> bool:
        return self.current.parent is not None

    def back(self, index: int | None = None) -> Version:
        """Make version ``index`` current (by default, the one the current version revised);
        the next revision starts from it."""
        if index is None:
            if self.current.parent is None:
                raise UnsupportedError("there is no earlier version")
            index = self.current.parent
        if not 0 <= index < len(self.versions):
            raise UnsupportedError(f"there is no version {index + 1}")
        self.index = index
        return self.current

    def path(self, index: int) -> list[int]:
        """The versions from the first to ``index``, each revising the one before."""
        chain = [index]
        while (parent := self.versions[chain[-1]].parent) is not None:
            chain.append(parent)
        return chain[::-1]

    def revise(self, instruction: str, *, confirmed: bool | str = False, cancel: CancelToken | None = None) -> Turn:
        """A revision of the current version following ``instruction``, ready to start (its
        :meth:`Turn.pieces`); once done, it is the current version."""
        if not instruction.strip():
            raise UnsupportedError("a revision needs an instruction")
        return Turn(self, instruction.strip(), self.index, confirmed, cancel or CancelToken())


class Turn:
    """One revision: iterated like a :class:`~plume.runs.ModelRun` (``pieces``, then
    ``text``, ``stats``, ``unsupported``, ``truncated``, ``notes``)."""

    def __init__(
        self, conversation: Conversation, instruction: str, base: int, confirmed: bool | str, cancel: CancelToken
    ) -> None:
        self.conversation, self.instruction, self.base = conversation, instruction, base
        self.confirmed, self.cancel = confirmed, cancel
        self.generation: Generation | None = None
        self.version: Version | None = None  # set when done
        self.alone = False
        self._stats: GenerationStats | None = None
        self._text = ""

    @property
    def door(self) -> Door:
        return self.conversation.door

    @property
    def needs_confirmation(self) -> bool:
        return self.door.decision.needs_confirmation

    def what_is_sent(self) -> tuple[str, int]:
        """What this turn adds to what the user already confirmed: the answer sent back and
        the follow-up, as the server will see them, and how many values they hold masked."""
        base = self.conversation.versions[self.base]
        shown = self.door.protect(f"{base.text.strip()}\n\n{self.instruction}", glued=True)
        mapping = self.door.mapping
        return shown, sum(1 for placeholder in mapping.values if placeholder in shown) if mapping is not None else 0

    def pieces(self) -> Iterator[str]:
        from ..pipeline import Generation

        conversation = self.conversation
        if self.needs_confirmation and self.confirmed is not True:
            pending = NeedsConfirmation(*self.what_is_sent(), conversation.settings.base_url)
            if self.confirmed != pending.token:
                raise pending
        messages, max_tokens = self._request()
        settings = conversation.settings.replace(max_output_tokens=max_tokens)
        base = conversation.versions[self.base]
        generation = Generation(conversation.backend, settings, conversation.spec, base.text, model=conversation.model,
                                ui_language=conversation.language, cancel=self.cancel, confirmed=True,
                                window=conversation.window, messages=messages)  # fmt: skip
        self.generation = generation
        self._stats = generation.stats
        yield from generation
        self._text = generation.text
        if conversation.spec.definition.summarises and generation.stats.truncated:
            from ..truncation import complete_sentences

            kept = complete_sentences(self._text)
            if kept is not None:
                self._text, generation.stats.trimmed = kept, True
        chain = conversation.path(self.base)
        follow_ups = [conversation.versions[i].instruction for i in chain[1:]] + [self.instruction]
        found = fact_check(self._text, reference(conversation.spec, conversation.run.source, follow_ups), conversation.spec)
        self.version = Version(self._text, self.instruction, self.base, tuple(found) if found is not None else None,
                               generation.stats.truncated, self.alone, generation.stats)  # fmt: skip
        conversation.versions.append(self.version)
        conversation.index = len(conversation.versions) - 1

    def _request(self) -> tuple[tuple[Message, ...], int]:
        """The messages (in clear: the Generation protects each with the run's door) and the
        answer's limit: the whole conversation if it fits, else the answer alone."""
        conversation = self.conversation
        chain = conversation.path(self.base)
        answers = [conversation.versions[i].text for i in chain]
        follow_ups = [conversation.versions[i].instruction for i in chain[1:]] + [self.instruction]
        language = _language(answers[-1], conversation.language)
        needed = min(conversation.settings.max_output_tokens, max(MIN_SUMMARY_TOKENS, estimate_tokens(answers[-1])))
        candidates = []
        if conversation.first:
            candidates.append((refine_messages(conversation.first, answers, follow_ups, language), False))
        candidates.append((refine_alone(answers[-1], self.instruction, language), True))
        for messages, alone in candidates:
            # The answers were restored for the user: every value they hold goes back masked,
            # also one the model glued to a word ("[NOM_1]ne" restored as "Dupontne"). The
            # follow-ups too, as what_is_sent showed them. The first request left as it is.
            kept = 0 if alone else len(conversation.first)
            protected = tuple(m if i < kept else Message(m.role, self.door.protect(m.content, glued=True))
                              for i, m in enumerate(messages))  # fmt: skip
            room = conversation.window - estimate_prompt_tokens(protected) - MARGIN
            if room >= needed:
                self.alone = alone
                return protected, min(conversation.settings.max_output_tokens, room)
        raise TooLong(estimate_prompt_tokens(protected) + needed + MARGIN, conversation.window, whole_text=True)

    @property
    def text(self) -> str:
        if self.version is None and self.generation is not None:
            return self.generation.text  # so far
        return self._text

    @property
    def stats(self) -> GenerationStats | None:
        return self._stats

    @property
    def unsupported(self) -> tuple[Finding, ...] | None:
        return self.version.unsupported if self.version is not None else None

    @property
    def truncated(self) -> bool:
        return bool(self._stats is not None and self._stats.truncated)

    def notes(self, lang: str) -> list[str]:
        return notes(self._stats, lang)


def _language(answer: str, default: str) -> str:
    """The follow-up's wording language: the answer's (a translation's is not its source's)."""
    return guess_language(answer, default=default) if re.search(r"\w", answer) else default
