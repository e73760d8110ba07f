"""An action on a text of any length, never sending more than the model's window.

:class:`LongGeneration` is what the adapter and the CLI iterate, like a
:class:`~plume.pipeline.Generation`:

- the text fits one request (prompt and answer within the window): one Generation;
- a summary that does not fit: **map-reduce**. Each part (whole sections, else paragraphs,
  else sentences: :mod:`.split`) is summarised, then the summaries, grouped by what fits, are
  summarised again, as many levels as needed; only the last request streams to the user. The
  result starts with the sections it covers.
- an action that needs its whole text at once (``long_text`` "none": a reply, a continued
  paragraph) and a text that does not fit: :class:`~plume.errors.TooLong`, before any request;
- any other action: **batches** of whole paragraphs, each rewritten (or translated) in turn
  and streamed; their results are joined in order, to be applied as one step.

While intermediate summaries are made, iteration yields empty pieces: nothing to show, but
a moment to show the progress. The number of requests grows linearly with the text: each level of summaries is at most half
as long as the one below. ``progress`` is (requests done, requests planned).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..actions import ActionSpec, build_messages
from ..actions.prompts import task_text
from ..backends.base import Backend
from ..budget import estimate_prompt_tokens, estimate_tokens
from ..cancel import CancelToken
from ..errors import InvalidReply, NeedsConfirmation, TooLong
from ..formatting import Segment
from ..language import guess_language
from ..pipeline import Generation, GenerationStats
from ..settings import Settings
from ..shield.cut import cut_outside_findings
from ..shield.policy import check_allowed
from ..shield.pseudonym import Pseudonymiser
from ..types import Message
from .split import Block, Part, batches, split

MARGIN = 32  # tokens kept free in every request: the chat template's own tokens vary by model
SECTION_HEADER = 24  # tokens reserved for "[Section : …]" before a part that starts mid-section
MIN_SUMMARY_TOKENS = 64
MIN_TEXT_TOKENS = 64  # the least text a request must be able to carry
BATCH_SHARE = 0.45  # of the room left after the instructions: a rewrite is about as long as its input


@dataclass(frozen=True)
class Request:
    """One request as planned: what the tests check against the window."""

    prompt_tokens: int
    max_tokens: int
    context_tokens: int
    stage: str  # "single", "map", "reduce", "final" or "batch"


class LongGeneration:
    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        spec: ActionSpec,
        blocks: list[Block],
        *,
        model: str,
        window: int,
        ui_language: str = "fr",
        cancel: CancelToken | None = None,
        confirmed: bool | str = False,
    ) -> None:
        """Raises before any request, like a Generation: a blocked destination, or under a
        "warn" policy without ``confirmed`` (see :func:`require_confirmation`),
        :class:`NeedsConfirmation` for the whole text."""
        self.backend, self.settings, self.spec, self.model, self.window = backend, settings, spec, model, window
        self.blocks = [b for b in blocks if b.text.strip()]
        self.source = source_of(self.blocks)
        self.ui_language = ui_language
        self.language = guess_language(self.source or spec.instruction, default=ui_language)  # a draft reads no text
        self.cancel = cancel or CancelToken()
        self.requests: list[Request] = []
        self.progress: tuple[int, int] | None = None  # set when the text needs several requests
        # A rewrite by batches: which source paragraphs each answer stretch rewrites, so that
        # formatting is mapped batch by batch (a merged paragraph in one batch shifts no other).
        self.segments: list[Segment] = []
        # The request as sent when the text fitted one (placeholders and all): a refinement
        # (plume.runs.conversation) continues this very conversation.
        self.messages: tuple[Message, ...] = ()
        self.stats = GenerationStats(model=model, input_chars=len(self.source))
        self._text = ""
        self._confirm(confirmed)
        # With the longest length a summary's prompt may state: requests ask for at most this.
        messages = build_messages(spec, "x", self.language, settings.max_output_tokens)
        self._overhead = estimate_prompt_tokens(messages) + MARGIN
        self._head = ""  # a long summary's first line (the sections it covers): kept whole
        if window - self._overhead < MIN_SUMMARY_TOKENS + MIN_TEXT_TOKENS:
            # A server reporting a window that cannot hold the instructions with some text and
            # an answer: refuse before any request rather than ask for a negative answer size.
            raise TooLong(self._overhead + MIN_SUMMARY_TOKENS + MIN_TEXT_TOKENS, window)
        # Plan, send and keep every intermediate result in the form the server sees: the text
        # pseudonymised once by the run's door (the whole text first, so that a value found
        # through its context, "RCS Lyon 732 829 320", stays masked in a batch cut from that
        # context), partial summaries as the model wrote them, placeholders and all. Only
        # what reaches the user is restored: a value never comes back in clear to be sent
        # again, however the model glued it to a placeholder, and labels and cuts never split
        # a value, which is already a placeholder.
        door = backend.door
        door.protect(self.source)
        self._planned = [Block(door.protect(b.text), b.level) for b in self.blocks]
        self._partial = min(settings.max_output_tokens, max(MIN_SUMMARY_TOKENS, window // 8))
        # A batch's answer is about as long as its input, and must fit max_output_tokens: the
        # estimate (never below the real count) leaves room for a slightly longer rewrite.
        self._batch = max(16, int(min((window - self._overhead) * BATCH_SHARE, settings.max_output_tokens)))
        size = estimate_tokens("\n".join(b.text for b in self._planned))
        if spec.definition.long_text == "batches":
            self.fits = size <= self._batch
        else:  # the whole text in one request, with room for an answer
            self.fits = window - self._overhead - size >= self._partial
        if not self.fits and spec.definition.long_text == "none":
            # The action needs the whole text at once (a letter to answer, a paragraph to go on).
            raise TooLong(self._overhead + size + self._partial, window, whole_text=True)

    @property
    def text(self) -> str:
        return self._text

    def _confirm(self, confirmed: bool | str) -> None:
        self.decision = self.backend.door.decision
        require_confirmation(self.settings, self.spec, self.blocks, confirmed)

    def what_is_sent(self) -> tuple[str, int]:
        """The whole text and the instruction as the server will see them (pseudonymised
        when the policy says so), and the number of values replaced: what a "warn" policy
        shows before sending."""
        return what_is_sent(self.settings, self.spec, self.source)

    def _shown(self, planned: str) -> str:
        """A planned text with its values back, for the user."""
        mapping = self.backend.door.mapping
        return mapping.restore(planned) if mapping is not None else planned

    def __iter__(self) -> Iterator[str]:
        started = time.monotonic()
        try:
            if self.fits:
                planned = source_of(self._planned)
                room = self.window - self._overhead - estimate_tokens(planned)
                pieces = self._request(planned, min(self.settings.max_output_tokens, room), "single", stream=True)
            elif self.spec.definition.long_text == "map_reduce":
                pieces = self._map_reduce()
            else:
                pieces = self._batches()
            for piece in pieces:
                if piece and self.stats.first_piece_seconds is None:
                    self.stats.first_piece_seconds = time.monotonic() - started
                self._text += piece
                yield piece
            if self.spec.definition.summarises and self.stats.truncated:
                self._trim()
        finally:
            self.stats.total_seconds = time.monotonic() - started
            self.stats.output_chars = len(self._text)

    def run(self) -> str:
        for _ in self:
            pass
        return self.text

    def _trim(self) -> None:
        """A summary cut at max_tokens ends at its last complete sentence (see
        :mod:`plume.truncation`); ``text`` is then shorter than what was streamed."""
        from ..truncation import complete_sentences

        kept = complete_sentences(self._text, len(self._head))
        if kept is not None:
            self._text, self.stats.trimmed = kept, True

    # --- one request -----------------------------------------------------------------
    def _request(self, text: str, max_tokens: int, stage: str, *, stream: bool) -> Iterator[str]:
        """Stream (or, with ``stream`` False, collect and yield once) one request's answer."""
        self.cancel.raise_if_cancelled()  # Stop between two requests: the next one never starts
        settings = self.settings.replace(max_output_tokens=max_tokens)
        generation = Generation(self.backend, settings, self.spec, text, model=self.model, ui_language=self.ui_language,
                                cancel=self.cancel, confirmed=True, window=self.window, restore=stream)  # fmt: skip
        request = generation.request
        if stage == "single":
            self.messages = request.messages
        self.requests.append(Request(generation.prompt_tokens, request.max_tokens, request.context_tokens, stage))
        self.stats.context_tokens = max(self.stats.context_tokens, request.context_tokens)
        self.stats.pseudonymised = self.backend.door.masked
        if stream:
            yield from generation
        else:
            yield generation.run()
        self.stats.missing += generation.stats.missing
        if stream:  # a cut partial summary is summarised again; a cut streamed answer reaches the user
            self.stats.truncated = self.stats.truncated or generation.stats.truncated
        if self.progress is not None:
            self.progress = (self.progress[0] + 1, self.progress[1])

    def _collect(self, text: str, max_tokens: int, stage: str) -> str:
        return "".join(self._request(text, max_tokens, stage, stream=False))

    # --- summaries -------------------------------------------------------------------
    def _map_reduce(self) -> Iterator[str]:
        partial = self._partial
        parts = split(self._planned, self.window - self._overhead - partial - SECTION_HEADER)
        room = self.window - self._overhead - partial  # what a reduce request may hold
        self.progress = (0, len(parts) + _reduces_needed(len(parts), room, partial))
        summaries = []
        for part in parts:
            summaries.append((part.sections, self._collect(_with_section(part), partial, "map")))
            yield ""  # no text yet, but progress: lets the caller show "part 3 / 12"
        while True:
            groups = _groups([self._bounded(s, text, room // 2) for s, text in summaries], room, estimate_tokens)
            if len(groups) > 1 and len(groups) >= len(summaries):
                # Cannot happen with entries bounded to half a request; never loop forever.
                raise InvalidReply(f"summaries do not shrink ({len(summaries)} -> {len(groups)}): the text was not summarised")
            later = 0 if len(groups) == 1 else _reduces_needed(len(groups), room, partial)
            self.progress = (self.progress[0], self.progress[0] + len(groups) + later)
            if len(groups) == 1:
                break
            summaries = []
            for group in groups:
                summaries.append((_sections_of(group), self._collect(_joined(group), partial, "reduce")))
                yield ""
        final = min(self.settings.max_output_tokens, self.window - self._overhead - estimate_tokens(_joined(groups[0])))
        self._head = self._covered(parts)
        yield self._head
        yield from self._request(_joined(groups[0]), final, "final", stream=True)

    def _covered(self, parts: list[Part]) -> str:
        """The first line of a long summary: the sections it covers (top-level headings), or
        nothing for a text without headings."""
        from ..i18n import t

        levels = [b.level for b in self.blocks if b.level]
        top = [b.text.strip() for b in self.blocks if levels and b.level == min(levels)]
        names = top or list(dict.fromkeys(self._shown(s) for part in parts for s in part.sections))
        if not names:
            return ""  # a text without headings has no sections to name
        return t("long.covers", self.ui_language, sections=" ; ".join(names)) + "\n"

    def _bounded(self, sections: tuple[str, ...], text: str, budget: int) -> tuple[tuple[str, ...], str]:
        """A partial summary longer than planned (a model that ignores max_tokens' spirit) is
        cut at a sentence so that, with its label, it takes at most ``budget``: two always fit
        one request, so each level at least halves."""
        budget = max(16, budget - estimate_tokens(_label(sections)) - 4)
        while estimate_tokens(text) > budget and len(text) > 1:
            shorter = split([Block(text)], max(16, budget))[0].text
            text = shorter if len(shorter) < len(text) else cut_outside_findings(text, len(text) // 2)
        return sections, text

    # --- rewrites, instructions, translations ----------------------------------------
    def _batches(self) -> Iterator[str]:
        parts = batches(self._planned, self._batch)
        self.progress = (0, len(parts))
        for index, part in enumerate(parts):
            continues = index > 0 and part.pieces[0].block == parts[index - 1].pieces[-1].block
            if index:
                yield " " if continues else "\n"
            covered = tuple(self.blocks[i].text for i in range(part.pieces[0].block + continues, part.pieces[-1].block + 1))
            answer = ""
            if continues:  # the rest of a paragraph too long for one batch: same segment
                previous = self.segments.pop()
                covered, answer = previous.sources + covered, previous.answer + " "
            prompt = estimate_prompt_tokens(build_messages(self.spec, part.text, self.language))
            room = self.window - prompt - MARGIN
            for piece in self._request(part.text, min(self.settings.max_output_tokens, room), "batch", stream=True):
                answer += piece
                yield piece
            self.segments.append(Segment(covered, answer))


def what_is_sent(settings: Settings, spec: ActionSpec, source: str) -> tuple[str, int]:
    """``source`` and the action's instruction as the server would see them, and the number
    of values replaced."""
    # A draft: the instruction alone; a letter: its signature block too (it leaves with the task).
    # The prompt of an action IT or the user wrote leaves too, and may hold what Plume's own
    # prompts never do (a name, a phone number): it is shown whole, with the instruction in it.
    task = spec.instruction.strip()
    if spec.definition.origin != "builtin":
        task = task_text(spec, guess_language(source or task, default="fr")).strip()
    shown = "\n\n".join(part for part in (source, task, spec.signature.strip()) if part)
    if not check_allowed(settings).pseudonymise:
        return shown, 0
    mapping = Pseudonymiser()
    if spec.signature.strip():
        mapping.mask_whole(spec.signature)
    return mapping.protect_text(shown), len(mapping.values)


def source_of(blocks: list[Block]) -> str:
    """The text an action sends: the non-blank blocks, one per line."""
    return "\n".join(b.text for b in blocks if b.text.strip())


def require_confirmation(settings: Settings, spec: ActionSpec, blocks: list[Block], confirmed: bool | str) -> None:
    """Under a "warn" policy, raise :class:`NeedsConfirmation` unless ``confirmed``: True
    where the caller itself showed this very text (the command line), or the token of the
    :class:`NeedsConfirmation` the user saw, valid only while the text is the same. Callers
    check this before anything else, so that not even the window is asked of the server
    before the user has seen what will be sent."""
    if not check_allowed(settings).needs_confirmation or confirmed is True:
        return
    pending = NeedsConfirmation(*what_is_sent(settings, spec, source_of(blocks)), settings.base_url)
    if confirmed != pending.token:
        raise pending


def _with_section(part: Part) -> str:
    """A part that starts inside a section gets the section's title first, for context."""
    first = part.pieces[0]
    if first.section and first.text.strip() != first.section:
        return f"[{cut_outside_findings(first.section, 80)}]\n{part.text}"
    return part.text


def _groups(
    summaries: list[tuple[tuple[str, ...], str]], room: int, size: Callable[[str], int]
) -> list[list[tuple[tuple[str, ...], str]]]:
    groups: list[list[tuple[tuple[str, ...], str]]] = [[]]
    for summary in summaries:
        if groups[-1] and size(_joined([*groups[-1], summary])) > room:
            groups.append([])
        groups[-1].append(summary)
    return groups


def _joined(group: list[tuple[tuple[str, ...], str]]) -> str:
    return "\n\n".join((f"## {_label(sections)}\n{text}" if sections else text) for sections, text in group)


def _label(sections: tuple[str, ...]) -> str:
    """A summary's heading: its sections, or the first and last when there are many (a label
    that grew with every level would end up filling the request)."""
    if len(sections) <= 3:
        return " ; ".join(cut_outside_findings(s, 60) for s in sections)
    return f"{cut_outside_findings(sections[0], 60)} … {cut_outside_findings(sections[-1], 60)}"


def _sections_of(group: list[tuple[tuple[str, ...], str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for sections, _ in group:
        for section in sections:
            seen.setdefault(section)
    return tuple(seen)


def _reduces_needed(count: int, room: int, partial: int) -> int:
    """Requests that summarise ``count`` summaries down to the final one, if each is as long as
    allowed (estimated at 1.5 tokens per real token): the planned total for the progress."""
    per_group = max(2, room // max(1, int(partial * 1.5)))
    total = 0
    while True:
        count = math.ceil(count / per_group)
        total += count
        if count <= 1:
            return total
