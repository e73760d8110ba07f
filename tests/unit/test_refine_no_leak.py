"""No value the shield masks leaves through refinement, whatever the model does with its
placeholders: generated administrative texts with personal data in every typography, a
model that glues each placeholder it was given to letters or digits (so that, restored,
the value is no whole word and no valid identifier), several revisions, back, and revisions
of an earlier version. The model is a scripted server (httpx.MockTransport)."""

from __future__ import annotations

import random
import re

import pytest

from plume.actions import ActionSpec
from plume.longdoc import Block
from plume.runs import prepare_run
from plume.settings import Settings
from plume.shield.detect import detect
from support.fake_chat import PLACEHOLDER, FakeChat
from support.personal_data import VALIDATED, Document, document

SETTINGS = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m", context_window=4096,
                    max_output_tokens=512, local_policy="pseudonymise")  # fmt: skip
SEPARATORS = re.compile(r"[\s.\-/\u00a0\u202f\u2009]")
GLUE = ("", "x", "s", "ne", "0", "12", "9-", "l'", "(")


def _gluing(rng: random.Random, words: str) -> FakeChat:
    """Each answer: a few words, then every placeholder of the request glued to something."""

    def answer(messages: list[dict[str, str]]) -> str:
        found = dict.fromkeys(p for m in messages for p in PLACEHOLDER.findall(m["content"]))
        glued = [f"{rng.choice(GLUE)}{p}{rng.choice(GLUE)}" for p in found]
        return f"{words} " + " ".join(glued) + "."

    return FakeChat(*[answer] * 8)


def _must_not_leave(text: str, doc: Document) -> set[str]:
    return {s.value for s in doc.planted if s.kind in VALIDATED} | {f.value for f in detect(text)}


def _leaks(received: str, values: set[str]) -> list[str]:
    """A value as it is, or its digits run together (glued to others or typeset otherwise)."""
    compact = SEPARATORS.sub("", received)
    leaked = []
    for value in values:
        digits = SEPARATORS.sub("", value)
        if value in received or (sum(c.isdigit() for c in digits) >= 9 and digits in compact):
            leaked.append(value)
    return leaked


@pytest.mark.parametrize("seed", range(12))
def test_no_value_leaves_through_refinement_whatever_the_model_glues(seed: int) -> None:
    rng = random.Random(seed)
    doc = document(rng, f"refine{seed}")
    spec = rng.choice([ActionSpec("rewrite-formal"), ActionSpec("reply"), ActionSpec("summarize")])
    chat = _gluing(rng, "Version révisée :")
    run = prepare_run(SETTINGS, spec, [Block(line) for line in doc.text.splitlines()], transport=chat.transport)
    "".join(run.pieces())
    conversation = run.conversation()
    for instruction in ("Plus court.", "Plus formel.", "Ajoute une formule de politesse."):
        "".join(conversation.revise(instruction).pieces())
    conversation.back(1)
    "".join(conversation.revise("Reprends depuis cette version.").pieces())
    values = _must_not_leave(doc.text, doc)
    assert len(chat.chats) == 5
    for index in range(len(chat.chats)):
        assert not _leaks(chat.sent(index), values), (index, spec.key)
