"""Asking the documents: an answer from the passages a retriever finds, citing them, checked
against the passages it cites. The same for every front end (the sidebar's Ask section,
``plume:ask``, ``python -m plume ask``).

Setting up a question, then running it::

    from plume.knowledge.answer import prepare_ask

    run = prepare_ask(settings, "Quel est le montant voté pour la cantine ?", retriever,
                      api_key=key, ui_language="fr", cancel=token, confirmed=False)
    for piece in run.pieces():   # worker thread: retrieves, may raise NeedsConfirmation, streams
        show(piece)
    if run.found_nothing:        # nothing relevant: the model was not asked
        say(run.notes("fr"))
    run.text, run.sources, run.uncited, run.unknown, run.unsupported, run.truncated, run.notes("fr")

Public API (stable; the LibreOffice side builds on it):

- :func:`prepare_ask` ``(settings, question, retriever, *, api_key="", ui_language="fr",
  cancel=None, confirmed=False, transport=None, environ=None, k=DEFAULT_K, windows=None)
  -> AskRun``. Raises at once, nothing sent, nothing searched: SettingsError,
  DestinationBlocked, UnsupportedError (an empty question). ``retriever``: any
  :class:`~plume.knowledge.types.Retriever` (the index, the open document, a remote search);
  ``k``: the most passages sent (1 to ``MAX_K``). ``windows``: a
  :class:`~plume.window.WindowCache` kept between runs. ``confirmed``: as for :func:`plume.runs.prepare_run` (True
  when the caller shows :meth:`AskRun.what_is_sent` itself, or the token of the
  :class:`~plume.errors.NeedsConfirmation` the user saw: a new run with the same question
  and the same passages).
- :class:`AskRun`:

  - :meth:`~AskRun.retrieve` (called by ``pieces()`` if the caller did not): the retriever's
    hits, kept when relevant (:mod:`.relevance`: they share a meaningful term with the
    question); ``hits`` (all it returned), ``passages`` (the relevant ones), ``sent`` (the
    first of those, as many as the window holds: passage ``[n]`` of the answer is
    ``sent[n - 1]``), ``found_nothing``.
  - :meth:`~AskRun.pieces`: nothing found → yields nothing, the model is never asked (no
    answer from memory); else, under a "warn" policy without ``confirmed``,
    :class:`~plume.errors.NeedsConfirmation` (what is sent: the numbered passages and the
    question, pseudonymised); then the model, its window (the last passages are left out
    when they do not all fit), and the answer streamed, values restored; then the
    citations parsed and the fact check.
  - ``text``: the answer with its marks "[1]" (:func:`.citations.marks` finds them, with
    positions, to make footnotes); ``sources``: the **cited** passages only, as
    :class:`Source` (``number`` as the answer writes it, ``hit``), by number; ``cited``: the
    numbers in the order the answer first cites them; ``unknown``: numbers cited that name
    no passage sent; ``uncited``: the answer cites no passage sent (flagged: nothing
    supports it); ``unsupported``: fact-check findings of the answer against the text of
    the cited passages only (none cited: against nothing, so every figure, date and name is
    listed), None until checked or when the check failed; ``truncated``; ``stats``;
    ``notes(lang)``: what the user should know, one line each (nothing found, no citation,
    unknown numbers, lost values, missing end); ``footnoted(lang)``: the answer as
    :class:`~.citations.Footnoted` stretches (text without marks, then the footnotes
    anchored after it: file, date, place), for inserting with sources.
  - ``door``, ``decision``, ``needs_confirmation``, ``what_is_sent()`` as :class:`~plume.runs.ModelRun`.
- :func:`source_record` ``(source, lang) -> dict``: a source as the command line prints it
  (number, file, title, place, passage, score, start, end, modified).
- :mod:`.citations`: ``marks(text)`` (each mark's ``start``, ``end``, ``numbers``: where a
  footnote goes), ``cited(text)``, ``describe_place(place, lang)``, ``describe_source(passage,
  lang)`` (a footnote's text: file, date, place).

Sources keep the answer's numbering (the text's [3] is ``Source(number=3)``) rather than
being renumbered: the marks and the list must agree without rewriting the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..actions import ActionSpec, build_messages
from ..backends.base import create_backend
from ..budget import estimate_prompt_tokens
from ..cancel import CancelToken
from ..errors import TooLong, UnsupportedError
from ..language import guess_language
from ..longdoc.run import MARGIN, require_confirmation, what_is_sent
from ..longdoc.split import Block
from ..settings import Settings
from ..types import Message
from .citations import Footnoted, blanked, cited, describe_place, describe_source, footnoted
from .relevance import relevant
from .types import Hit, Retriever

if TYPE_CHECKING:
    import httpx

    from ..backends.base import Backend
    from ..egress.door import Door
    from ..factcheck import Finding
    from ..pipeline import Generation, GenerationStats
    from ..shield.policy import Decision
    from ..window import WindowCache

_log = logging.getLogger(__name__)

DEFAULT_K = 5  # passages sent at most: enough to answer, small enough for a 4k window
MAX_K = 20  # what a caller may ask for: the window decides how many are sent in the end
ACTION = "ask"  # the registry's action (plume.actions.builtin): its prompt, its check


@dataclass(frozen=True)
class Source:
    """A passage the answer cites, with the number the answer gives it."""

    number: int
    hit: Hit


def prepare_ask(
    settings: Settings,
    question: str,
    retriever: Retriever,
    *,
    api_key: str = "",
    ui_language: str = "fr",
    cancel: CancelToken | None = None,
    confirmed: bool | str = False,
    transport: httpx.BaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
    k: int = DEFAULT_K,
    windows: WindowCache | None = None,
) -> AskRun:
    """A question about the documents, ready to run (see the module's docstring)."""
    settings = settings.validate()
    question = " ".join(question.split())
    if not question:
        raise UnsupportedError("there is no question to answer")
    spec = ActionSpec(ACTION, instruction=question)
    backend = create_backend(settings, api_key, transport=transport, environ=environ)
    return AskRun(backend, settings, spec, retriever, ui_language=ui_language, cancel=cancel or CancelToken(),
                  confirmed=confirmed, k=min(MAX_K, max(1, k)), windows=windows)  # fmt: skip


class AskRun:
    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        spec: ActionSpec,
        retriever: Retriever,
        *,
        ui_language: str,
        cancel: CancelToken,
        confirmed: bool | str,
        k: int,
        windows: WindowCache | None,
    ) -> None:
        self.backend, self.settings, self.spec, self.retriever = backend, settings, spec, retriever
        self.ui_language, self.cancel, self.confirmed, self.k, self.windows = ui_language, cancel, confirmed, k, windows
        self.question = spec.instruction
        self.hits: list[Hit] | None = None  # None until retrieve()
        self.passages: list[Hit] = []  # the relevant hits, best first
        self.sent: list[Hit] = []  # the first relevant ones, as many as the window holds: [n] is sent[n - 1]
        self.model = ""
        self.window = 0
        self.generation: Generation | None = None
        self.unsupported: list[Finding] | None = None

    # --- what leaves ----------------------------------------------------------------
    @property
    def door(self) -> Door:
        return self.backend.door

    @property
    def decision(self) -> Decision:
        return self.door.decision

    @property
    def needs_confirmation(self) -> bool:
        return self.door.decision.needs_confirmation

    def retrieve(self) -> list[Hit]:
        """The relevant passages (searched once per run; on the caller's thread: a hybrid
        index may ask the server for the question's embedding)."""
        if self.hits is None:
            self.cancel.raise_if_cancelled()
            self.hits = list(self.retriever.search(self.question, self.k, cancel=self.cancel))[: self.k]
            self.passages = relevant(self.question, self.hits)
        return self.passages

    @property
    def found_nothing(self) -> bool:
        """Retrieval found nothing relevant: the model is not asked."""
        return self.hits is not None and not self.passages

    def what_is_sent(self) -> tuple[str, int]:
        """The numbered passages and the question as the server will see them (pseudonymised
        when the policy says so), and how many values were replaced. Retrieves first."""
        return what_is_sent(self.settings, self.spec, numbered(self.retrieve()))

    # --- the answer -----------------------------------------------------------------
    def pieces(self) -> Iterator[str]:
        from ..pipeline import Generation, resolve_model
        from ..window import resolve_window

        passages = self.retrieve()
        if not passages:
            return  # nothing relevant: the model would answer from memory
        # The user sees what leaves before anything does, the window question included.
        require_confirmation(self.settings, self.spec, [Block(numbered(passages))], self.confirmed)
        self.model = resolve_model(self.backend, self.settings)
        self.window = resolve_window(self.backend, self.settings, self.model, self.windows).tokens
        self.sent, messages, max_tokens = self._fit(passages)
        settings = self.settings.replace(max_output_tokens=max_tokens)
        text = numbered(self.sent)
        # Every message goes through the door (Generation protects each one): passages may
        # hold citizens' names and numbers; the answer's placeholders are restored as they stream.
        self.door.protect(text)  # the whole text first: a value found through its context stays masked
        self.generation = Generation(self.backend, settings, self.spec, text, model=self.model,
                                     ui_language=self.ui_language, cancel=self.cancel, confirmed=True,
                                     window=self.window, messages=messages)  # fmt: skip
        yield from self.generation
        self.unsupported = self._checked()

    def _fit(self, passages: list[Hit]) -> tuple[list[Hit], tuple[Message, ...], int]:
        """The first passages that fit the window with room for an answer, their messages,
        and the answer's limit. One passage that does not fit: :class:`TooLong`."""
        language = guess_language(self.question, default=self.ui_language)
        for count in range(len(passages), 0, -1):
            messages = build_messages(self.spec, numbered(passages[:count]), language, self.settings.max_output_tokens)
            room = self.window - estimate_prompt_tokens(messages) - MARGIN
            # At least a short answer's room (a quarter of what the settings allow, 64 tokens or more).
            if room >= min(self.settings.max_output_tokens, max(64, self.settings.max_output_tokens // 4)):
                return passages[:count], messages, min(self.settings.max_output_tokens, room)
        raise TooLong(estimate_prompt_tokens(messages) + MARGIN + self.settings.max_output_tokens, self.window)

    def _checked(self) -> list[Finding] | None:
        """The answer against the text of the passages it cites, and nothing else."""
        from ..factcheck import check

        against = "\n\n".join(source.hit.passage.text for source in self.sources)
        try:
            return check(blanked(self.text), against)
        except Exception:  # it informs: the answer stays usable
            _log.exception("fact check failed")
            return None

    @property
    def text(self) -> str:
        return self.generation.text if self.generation is not None else ""

    @property
    def stats(self) -> GenerationStats | None:
        return self.generation.stats if self.generation is not None else None

    @property
    def truncated(self) -> bool:
        return bool(self.generation is not None and self.generation.stats.truncated)

    @property
    def cited(self) -> list[int]:
        """The passage numbers the answer cites, in the order it first cites them."""
        return cited(self.text)

    @property
    def sources(self) -> list[Source]:
        """The cited passages that were sent, by number."""
        return [Source(n, self.sent[n - 1]) for n in sorted(self.cited) if 1 <= n <= len(self.sent)]

    @property
    def unknown(self) -> list[int]:
        """Numbers the answer cites that name no passage it was sent."""
        return [n for n in self.cited if not 1 <= n <= len(self.sent)]

    @property
    def uncited(self) -> bool:
        """An answer that cites none of the passages it was sent: nothing supports it."""
        return self.generation is not None and bool(self.text.strip()) and not self.sources

    def footnoted(self, lang: str) -> list[Footnoted]:
        """The answer cut where its footnotes go, each cited source described as a footnote
        cites it (see :func:`.citations.footnoted`): what "insert with sources" writes."""
        return footnoted(self.text, {s.number: describe_source(s.hit.passage, lang) for s in self.sources})

    def notes(self, lang: str) -> list[str]:
        from ..i18n import t
        from ..runs.model_run import notes

        if self.found_nothing:
            return [t("ask.nothing", lang)]
        found = []
        if self.uncited:
            found.append(t("ask.uncited", lang))
        if self.unknown:
            found.append(t("ask.unknown", lang, numbers=", ".join(f"[{n}]" for n in self.unknown)))
        return found + notes(self.stats, lang)


def numbered(hits: list[Hit]) -> str:
    """The passages as the model reads them: "[n] (file — place)" then the text, in order.
    A file is named by its title or its base name, never its path (which may name a person's
    home folder); the door pseudonymises the rest like any text."""
    parts = []
    for number, hit in enumerate(hits, 1):
        passage = hit.passage
        name = passage.title or _base_name(passage.source)
        where = " — ".join(p for p in (name, describe_place(passage.place, "fr")) if p)
        head = f"[{number}] ({where})" if where else f"[{number}]"
        parts.append(f"{head}\n{passage.text.strip()}")
    return "\n\n".join(parts)


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def source_record(source: Source, lang: str = "fr") -> dict[str, object]:
    """A cited source as the command line prints it (one JSON object)."""
    passage = source.hit.passage
    return {
        "number": source.number,
        "file": passage.source,
        "title": passage.title,
        "place": describe_place(passage.place, lang),
        "page": passage.place.page,
        "section": passage.place.section,
        "paragraph": passage.place.paragraph,
        "start": passage.start,
        "end": passage.end,
        "modified": passage.modified,
        "passage": passage.text,
        "score": source.hit.score,
    }
