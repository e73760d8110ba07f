"""Answers that stop at the length limit (``max_tokens``): room to finish, and what is kept.

A model stopped by ``max_tokens`` ends wherever the limit falls, often mid-word. Two things
keep that from reaching a document unnoticed:

- a summary's prompt states a length the answer fits in (:func:`summary_words`): about one
  word per three tokens of the limit. SmolLM2's tokenizer takes close to three tokens per
  French word (``benchmarks/results-tokens.md``), multilingual models (Mistral, Qwen) 1.5 to
  2, and models overshoot a stated word count; a third leaves room for all of them;
- a summary still cut is shortened to its last complete sentence (:func:`complete_sentences`),
  and the run says so. Nothing is sent again: no second request re-sending the whole text
  (to an operator, too), no window to find room in for it, nothing a small model could repeat
  instead of continuing. What is lost is the sentence the model had not finished.

Rewrites, instructions and translations are never shortened (that would drop content): a cut
one is shown for review, never applied by itself (the adapter).
"""

from __future__ import annotations

import re

WORDS_PER_TOKEN = 1 / 3
MIN_WORDS = 10

# A sentence ends with . ! ? or … (closing quotes, French « » spaced, or brackets may follow) before a space or
# the end; a line break ends a complete line (a list item, a heading, a paragraph).
_END = re.compile(r"[.!?…](?:[ \u00a0\u202f]?[»\"”’)\]])*(?=\s|$)|\n")
_WORD_BEFORE = re.compile(r"(\w+)$")
# A period after these does not end a sentence ("M. Martin", "art. 12", "cf. annexe").
_ABBREVIATIONS = frozenset({"m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "me", "art", "cf", "p", "st", "ste", "av", "bd",
                            "mr", "mrs", "ms", "no", "vs", "fig"})  # fmt: skip


def summary_words(max_tokens: int) -> int:
    """The length a summary's prompt asks for, in words, for an answer of ``max_tokens``:
    a round number (tens) that leaves the model room to finish its last sentence."""
    words = int(max_tokens * WORDS_PER_TOKEN)
    return max(MIN_WORDS, words - words % 10)


def complete_sentences(text: str, start: int = 0) -> str | None:
    """``text`` up to the end of its last complete sentence (or line), right-stripped; None
    when there is nothing to remove (it already ends a sentence) or no complete sentence after
    ``start`` (a prefix that must be kept whole, such as a long summary's first line)."""
    cut = None
    for match in _END.finditer(text, start):
        if match.group() == "\n":
            end = match.start()
        else:
            if match.group()[0] == ".":
                word = _WORD_BEFORE.search(text, max(0, match.start() - 8), match.start())
                if word and (word.group(1).lower() in _ABBREVIATIONS or (len(word.group(1)) == 1 and word.group(1).isupper())):
                    continue  # an abbreviation or an initial ("J. Martin")
            end = match.end()
        if text[start:end].strip():
            cut = end
    if cut is None:
        return None
    kept = text[:cut].rstrip()
    return kept if len(kept) < len(text.rstrip()) else None
