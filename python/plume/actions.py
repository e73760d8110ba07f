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

from dataclasses import dataclass

from .errors import UnsupportedError
from .types import Message

ACTIONS = ("summarize", "rewrite", "instruct", "translate")
STYLES = ("formal", "shorter", "plain", "correct")

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

_TASKS = {
    "fr": {
        "summarize": (
            "Résume le texte ci-dessus en quelques phrases claires et complètes{length}. Garde les décisions, dates et montants."
        ),
        "formal": "Réécris le texte ci-dessus dans un style administratif soutenu et courtois, sans changer son sens.",
        "shorter": "Réécris le texte ci-dessus de façon plus courte et directe, sans perdre d'information importante.",
        "plain": (
            "Réécris le texte ci-dessus en langage facile à lire et à comprendre (FALC) : "
            "phrases courtes, mots simples, une idée par phrase, pas d'abréviation."
        ),
        "correct": (
            "Corrige uniquement l'orthographe, la grammaire et la ponctuation du texte ci-dessus. "
            "Ne change ni le style, ni le sens, ni l'ordre des phrases."
        ),
        "instruct": "Applique au texte ci-dessus la consigne suivante : {instruction}",
        "translate": (
            "Traduis le texte ci-dessus en {language}. Garde le même nombre de paragraphes, "
            "les noms, nombres et dates. Réponds uniquement par la traduction."
        ),
    },
    "en": {
        "summarize": "Summarise the text above in a few clear, complete sentences{length}. Keep decisions, dates and amounts.",
        "formal": "Rewrite the text above in a formal, courteous administrative style without changing its meaning.",
        "shorter": "Rewrite the text above shorter and more direct, without losing important information.",
        "plain": (
            "Rewrite the text above in easy-to-read plain language: short sentences, "
            "simple words, one idea per sentence, no abbreviations."
        ),
        "correct": (
            "Correct only the spelling, grammar and punctuation of the text above. "
            "Change neither the style, the meaning nor the order of sentences."
        ),
        "instruct": "Apply the following instruction to the text above: {instruction}",
        "translate": (
            "Translate the text above into {language}. Keep the same number of paragraphs, "
            "the names, numbers and dates. Answer with the translation only."
        ),
    },
}


# A summary's length, stated so that the answer ends before max_tokens does (plume.truncation).
_LENGTH = {"fr": ", {words} mots au plus", "en": ", {words} words at most"}


@dataclass(frozen=True)
class ActionSpec:
    """One action as the user asked for it; ``key`` names the prompt template."""

    action: str
    style: str = ""
    instruction: str = ""
    target: str = ""  # translate: the language code to translate into

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise UnsupportedError(f"unknown action {self.action!r}; known: {', '.join(ACTIONS)}")
        if self.action == "rewrite" and self.style not in STYLES:
            raise UnsupportedError(f"rewrite needs a style among {', '.join(STYLES)}, not {self.style!r}")
        if self.action == "instruct" and not self.instruction.strip():
            raise UnsupportedError("instruct needs an instruction")
        if self.action == "translate" and not self.target:
            raise UnsupportedError("translate needs a target language")

    @property
    def key(self) -> str:
        return self.style if self.action == "rewrite" else self.action


def build_messages(spec: ActionSpec, text: str, language: str, max_tokens: int = 0) -> tuple[Message, ...]:
    """The request's messages; with ``max_tokens`` (the answer's limit), a summary is asked
    for in a length that fits it."""
    if not text.strip():
        raise UnsupportedError("there is no text to work on")
    lang = language if language in _TASKS else "en"
    from .translation.languages import name_in
    from .truncation import summary_words

    length = _LENGTH[lang].format(words=summary_words(max_tokens)) if max_tokens else ""
    task = _TASKS[lang][spec.key].format(instruction=spec.instruction.strip(), language=name_in(spec.target, lang), length=length)
    return (
        Message("system", _SYSTEM[lang]),
        Message("user", f"{text.strip()}\n\n{task}"),
    )
