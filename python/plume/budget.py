"""Token estimates, without downloading a tokenizer.

Deliberately pessimistic, and measured (``benchmarks/token_estimate.py``): each digit,
punctuation mark, symbol and line break counts as a token (small models' tokenizers split
numbers digit by digit), each word as one token per 2 bytes of UTF-8 (accents cost 2 bytes),
plus a few tokens of chat template per message. Against SmolLM2's tokenizer on French and
English administrative texts this is never below the real count (median 1.25 times it).
Overestimating wastes a little context; underestimating would overflow the window, or let
Ollama silently cut the prompt.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from .types import Message

BYTES_PER_WORD_TOKEN = 2.0
TOKENS_PER_MESSAGE = 8
_PIECES = re.compile(r"[^\W\d_]+|\S|\n")  # a word, or any other single visible character, or a line break


def estimate_tokens(text: str) -> int:
    tokens = 0
    for piece in _PIECES.findall(text):
        tokens += math.ceil(len(piece.encode("utf-8")) / BYTES_PER_WORD_TOKEN) if piece[0].isalpha() else 1
    return tokens


def estimate_prompt_tokens(messages: Iterable[Message]) -> int:
    return sum(estimate_tokens(m.content) + TOKENS_PER_MESSAGE for m in messages)


def context_window_for(prompt_tokens: int, max_output_tokens: int, minimum: int) -> int:
    """The context to ask for: enough for prompt and answer, rounded up to a power of two.

    Rounding matters with Ollama: each new ``num_ctx`` value reloads the model, so a few
    fixed sizes keep reloads rare."""
    needed = max(minimum, prompt_tokens + max_output_tokens)
    return 1 << (needed - 1).bit_length()
