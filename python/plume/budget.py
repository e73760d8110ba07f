"""Token estimates, without downloading a tokenizer.

Deliberately pessimistic: one token per 3 bytes of UTF-8 (French averages about 4 bytes
per token with current tokenizers; accents cost 2 bytes each) plus a few tokens of chat
template per message. Overestimating wastes a little context; underestimating lets
Ollama silently cut the prompt.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .types import Message

BYTES_PER_TOKEN = 3.0
TOKENS_PER_MESSAGE = 8


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-8")) / BYTES_PER_TOKEN)


def estimate_prompt_tokens(messages: Iterable[Message]) -> int:
    return sum(estimate_tokens(m.content) + TOKENS_PER_MESSAGE for m in messages)


def context_window_for(prompt_tokens: int, max_output_tokens: int, minimum: int) -> int:
    """The context to ask for: enough for prompt and answer, rounded up to a power of two.

    Rounding matters with Ollama: each new ``num_ctx`` value reloads the model, so a few
    fixed sizes keep reloads rare."""
    needed = max(minimum, prompt_tokens + max_output_tokens)
    return 1 << (needed - 1).bit_length()
