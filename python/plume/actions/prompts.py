"""What each action asks the model, in French and in English.

Every prompt tells the model to keep the source's language and to answer with the text
only; :mod:`plume.cleaning` removes what small models add anyway.

The text comes first and the task after it. Models follow an instruction given after a
long document better than one given before it, an instruction hidden in the document no
longer comes last, and small models stop opening their answer by echoing a "Texte :"
label, which the cleaning must hold back before anything can be shown (the test model on
the ten first fact-check corpus sources, four actions each: the cleaning held back the
start of 33 of 40 answers with the text last, 8 of 40 with the text first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UnsupportedError
from ..types import Message
from .model import Action
from .registry import BUILTINS

_SYSTEM = {
    "fr": (
        "Tu es l'assistant de rédaction d'une administration publique française. "
        "Tu réponds uniquement par le texte demandé : pas d'introduction, pas de commentaire, "
        "pas de guillemets autour de la réponse. Tu écris dans la même langue que le texte fourni. "
        "Tu conserves exactement les noms, dates, montants et références du texte."
    ),
    "en": (
        "You are the writing assistant of a public administration. "
        "Answer with the requested text only: no introduction, no comment, no quotation marks "
        "around the answer. Write in the same language as the given text. "
        "Keep names, dates, amounts and references exactly as in the text."
    ),
}

# A summary's length, stated so that the answer ends before max_tokens does (plume.truncation).
_LENGTH = {"fr": ", {words} mots au plus", "en": ", {words} words at most"}
_SIGNATURE = {"fr": ", puis ce bloc de signature tel quel :\n{block}\n", "en": ", then this signature block as it is:\n{block}\n"}
_INSTRUCTION_LINE = {"fr": "\nConsigne : {instruction}", "en": "\nInstruction: {instruction}"}
_REFINE = {
    "fr": "Révise ta dernière réponse selon cette consigne : {instruction}\nRéponds uniquement par le texte révisé, en entier.",
    "en": "Revise your last answer following this instruction: {instruction}\nAnswer with the whole revised text only.",
}


@dataclass(frozen=True)
class ActionSpec:
    """One action as the user asked for it. ``action`` is an :class:`Action` or the id (or
    earlier name, with ``style``) of a built-in one."""

    action: Action | str
    style: str = ""  # the earlier "rewrite" URLs: rewrite?style=formal is the action rewrite-formal
    instruction: str = ""
    target: str = ""  # translate: the language code to translate into
    signature: str = ""  # drafting: the signature block to end a letter with (setting signature_block)
    definition: Action = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        action = self.action if isinstance(self.action, Action) else BUILTINS.get(self.action, self.style)
        object.__setattr__(self, "definition", action)
        if action.instruction == "required" and not self.instruction.strip():
            raise UnsupportedError(f"{action.id} needs an instruction")
        if "{language}" in action.prompt.fr and not self.target:
            raise UnsupportedError(f"{action.id} needs a target language")

    @property
    def key(self) -> str:
        """The action's id, as the audit log and the marks name it."""
        return self.definition.id


def build_messages(spec: ActionSpec, text: str, language: str, max_tokens: int = 0) -> tuple[Message, ...]:
    """The request's messages; with ``max_tokens`` (the answer's limit), a summary is asked
    for in a length that fits it."""
    action = spec.definition
    if action.needs_text and not text.strip():
        raise UnsupportedError("there is no text to work on")
    lang = language if language in _SYSTEM else "en"
    task = task_text(spec, lang, max_tokens)
    user = f"{text.strip()}\n\n{task}" if action.needs_text else task
    return (Message("system", _SYSTEM[lang]), Message("user", user))


def task_text(spec: ActionSpec, lang: str, max_tokens: int = 0) -> str:
    from ..translation.languages import name_in
    from ..truncation import summary_words

    action = spec.definition
    instruction = spec.instruction.strip()
    length = _LENGTH[lang].format(words=summary_words(max_tokens)) if max_tokens and action.summarises else ""
    signature = _SIGNATURE[lang].format(block=spec.signature.strip()) if spec.signature.strip() else ""
    line = _INSTRUCTION_LINE[lang].format(instruction=instruction) if instruction else ""
    return action.prompt(lang).format(instruction=instruction, language=name_in(spec.target, lang) if spec.target else "",
                                      length=length, signature=signature, instruction_line=line)  # fmt: skip


def refine_messages(
    first: tuple[Message, ...], answers: list[str], instructions: list[str], language: str
) -> tuple[Message, ...]:
    """A conversation that revises an answer: the first request, then each answer with the
    follow-up instruction that revised it (``answers`` has one more than ``instructions``
    before the last: the last instruction asks for the next version)."""
    lang = language if language in _REFINE else "en"
    messages = list(first)
    for answer, instruction in zip(answers, instructions, strict=True):
        messages += [Message("assistant", answer), Message("user", _REFINE[lang].format(instruction=instruction.strip()))]
    return tuple(messages)


def refine_alone(answer: str, instruction: str, language: str) -> tuple[Message, ...]:
    """The revision of ``answer`` without its source: when the whole conversation would not
    fit the model's window."""
    lang = language if language in _REFINE else "en"
    task = _REFINE[lang].format(instruction=instruction.strip()).replace(
        "ta dernière réponse", "le texte ci-dessus").replace("your last answer", "the text above")  # fmt: skip
    return (Message("system", _SYSTEM[lang]), Message("user", f"{answer.strip()}\n\n{task}"))
