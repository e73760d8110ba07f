"""One action on one text, set up the same way for every front end (see :mod:`plume.runs`)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from ..actions import ActionSpec, registry_for
from ..actions.model import Action
from ..backends.base import create_backend
from ..cancel import CancelToken
from ..errors import UnsupportedError
from ..longdoc.run import LongGeneration, require_confirmation, source_of, what_is_sent
from ..longdoc.split import Block
from ..settings import Settings

if TYPE_CHECKING:
    import httpx

    from ..backends.base import Backend
    from ..egress.door import Door
    from ..factcheck import Finding
    from ..formatting import Segment
    from ..pipeline import GenerationStats
    from ..shield.policy import Decision
    from ..window import WindowCache
    from .conversation import Conversation

_log = logging.getLogger(__name__)


def signature_of(settings: Settings) -> str:
    """The signature block as letters end with it: a literal ``\\n`` in the setting (a
    one-line field in the options, an environment variable) is a new line."""
    return settings.signature_block.replace("\\n", "\n").strip()


def spec_for(settings: Settings, name: str, *, style: str = "", instruction: str = "", target: str = "") -> ActionSpec:
    """The action ``name`` (an id, or an earlier name with ``style``) among the actions these
    settings give (built-in, IT's, personal), as the user asked for it: a translation goes to
    ``target`` or to the ``translate_target`` setting; a letter ends with the signature block.
    Raises :class:`UnsupportedError` for an unknown action or a missing instruction."""
    action = registry_for(settings).get(name, style)
    # Only a translation has a target (the fact check reads the answer in that language).
    target = (target or settings.translate_target) if _asks(action, "{language}") else ""
    return ActionSpec(action, instruction=instruction, target=target, signature=_signature(settings, action))


def _asks(action: Action, placeholder: str) -> bool:
    return placeholder in action.prompt.fr or placeholder in action.prompt.en


def _signature(settings: Settings, action: Action) -> str:
    return signature_of(settings) if _asks(action, "{signature}") else ""


def prepare_run(
    settings: Settings,
    spec: ActionSpec,
    blocks: Sequence[Block],
    *,
    api_key: str = "",
    ui_language: str = "fr",
    cancel: CancelToken | None = None,
    confirmed: bool | str = False,
    windows: WindowCache | None = None,
    transport: httpx.BaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
) -> ModelRun:
    """A run of ``spec`` on ``blocks``, ready to start. Raises here (the caller's thread,
    nothing sent) what can be refused at once: invalid settings, a blocked destination, no
    text for an action that reads one, a translation by the model the settings turn off. Everything that may ask the server happens in
    :meth:`ModelRun.pieces`."""
    settings = settings.validate()
    action = spec.definition
    if action.reads == "passages":  # its text is what a retriever finds for the question
        raise UnsupportedError(f"{action.id} asks the documents: python -m plume ask (plume.knowledge.answer.prepare_ask)")
    if action.group == "translate" and not settings.translate_with_model:
        raise UnsupportedError("translating with the model is turned off in the settings (translate_with_model)")
    if not spec.signature and _signature(settings, action):
        spec = dataclasses.replace(spec, signature=_signature(settings, action))
    # An action that reads nothing sends nothing of the document, whatever the caller read.
    blocks = list(blocks) if action.needs_text else []
    if action.needs_text and not source_of(blocks).strip():
        raise UnsupportedError("there is no text to work on")
    backend = create_backend(settings, api_key, transport=transport, environ=environ)
    return ModelRun(backend, settings, spec, blocks, ui_language=ui_language, cancel=cancel or CancelToken(),
                    confirmed=confirmed, windows=windows)  # fmt: skip


class ModelRun:
    """An action's run: :meth:`pieces` (iterated on a worker thread) asks for confirmation
    under a "warn" policy, resolves the model and its window, generates (over several
    requests for a long text) and checks the facts; then ``text``, ``stats``, ``unsupported``
    and ``truncated`` describe the result."""

    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        spec: ActionSpec,
        blocks: list[Block],
        *,
        ui_language: str,
        cancel: CancelToken,
        confirmed: bool | str,
        windows: WindowCache | None,
    ) -> None:
        self.backend, self.settings, self.spec, self.blocks = backend, settings, spec, blocks
        self.ui_language, self.cancel, self.confirmed, self.windows = ui_language, cancel, confirmed, windows
        self.source = source_of(blocks)  # the text read, as sent (one line per non-blank block)
        self.model = ""  # known once pieces() started
        self.window = 0
        self.long: LongGeneration | None = None  # the generation: progress, segments, requests
        self.unsupported: list[Finding] | None = None  # fact-check findings; None until (or unless) checked

    @property
    def door(self) -> Door:
        """Every request of the run (and of its refinements) goes through it: the audit counts it."""
        return self.backend.door

    @property
    def decision(self) -> Decision:
        return self.door.decision

    @property
    def needs_confirmation(self) -> bool:
        """A "warn" policy: the user must see :meth:`what_is_sent` before anything leaves."""
        return self.door.decision.needs_confirmation

    def what_is_sent(self) -> tuple[str, int]:
        """The text read and the instruction as the server will see them, and how many
        values were replaced."""
        return what_is_sent(self.settings, self.spec, self.source)

    def pieces(self) -> Iterator[str]:
        """The answer's pieces (empty ones while a long text's parts are summarised: progress
        only). Raises :class:`~plume.errors.NeedsConfirmation` first under a "warn" policy
        unless ``confirmed`` (True, or the token of the NeedsConfirmation the user saw)."""
        from ..pipeline import resolve_model
        from ..window import resolve_window

        # Before anything else: not even the window is asked of the server before the user
        # has seen what will be sent.
        require_confirmation(self.settings, self.spec, self.blocks, self.confirmed)
        self.model = resolve_model(self.backend, self.settings)
        self.window = resolve_window(self.backend, self.settings, self.model, self.windows).tokens
        self.long = LongGeneration(self.backend, self.settings, self.spec, self.blocks, model=self.model, window=self.window,
                                   ui_language=self.ui_language, cancel=self.cancel, confirmed=self.confirmed)  # fmt: skip
        yield from self.long
        self.unsupported = fact_check(self.long.text, reference(self.spec, self.source), self.spec)

    @property
    def text(self) -> str:
        """The answer, values restored (a cut summary ends at its last complete sentence)."""
        return self.long.text if self.long is not None else ""

    @property
    def stats(self) -> GenerationStats | None:
        """None until the model was asked."""
        return self.long.stats if self.long is not None else None

    @property
    def truncated(self) -> bool:
        """The answer stopped at the length limit: its end is missing."""
        return bool(self.long is not None and self.long.stats.truncated)

    @property
    def segments(self) -> list[Segment] | None:
        """A long rewrite's stretches and the paragraphs each replaces (formatting is mapped
        batch by batch); None for an answer made in one request."""
        return self.long.segments if self.long is not None and self.long.segments else None

    @property
    def progress(self) -> tuple[int, int] | None:
        """(requests done, requests planned) for a text needing several requests."""
        return self.long.progress if self.long is not None else None

    def notes(self, lang: str) -> list[str]:
        """What the user should know about the answer, one line each (the values it lost,
        its missing end)."""
        return notes(self.stats, lang)

    def conversation(self) -> Conversation:
        """This finished run's result, to refine (see :class:`~plume.runs.Conversation`)."""
        from .conversation import Conversation

        return Conversation(self)


def notes(stats: GenerationStats | None, lang: str) -> list[str]:
    from ..i18n import t

    found = []
    if stats is not None and stats.missing:
        found.append(t("warning.missing", lang, values=", ".join(stats.missing)))
    if stats is not None and stats.truncated:
        found.append(t("warning.truncated", lang))
    return found


def reference(spec: ActionSpec, source: str, instructions: Sequence[str] = ()) -> str | None:
    """What the answer's facts must come from, per the action's ``check_against``: the text
    read, the instruction (a draft's figures are the user's), or both (a reply); None: not
    checked. Follow-up ``instructions`` (refinements) are the user's words too."""
    check = spec.definition.check_against
    if check in ("none", "passages"):  # the cited passages: plume.knowledge.answer checks those itself
        return None
    parts = [source] if check in ("source", "source_and_instruction") else []
    if check in ("instruction", "source_and_instruction"):
        parts.append(spec.instruction)
    parts.append(spec.signature)  # the letter ends with it: its name and number are the user's
    parts += instructions
    return "\n\n".join(part.strip() for part in parts if part.strip())


def fact_check(answer: str, against: str | None, spec: ActionSpec) -> list[Finding] | None:
    """The answer's elements ``against`` does not support; None when the action is not
    checked or the check failed (it informs: the result stays usable)."""
    if against is None:
        return None
    from ..factcheck import check

    try:
        return check(answer, against, answer_language=spec.target)  # a translation's language is known
    except Exception:
        _log.exception("fact check failed")
        return None
