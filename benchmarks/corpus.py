"""Loading the annotated shield corpus: ``{{KIND|value}}`` marks personal data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHIELD_CORPUS = Path(__file__).parent / "corpus" / "shield"
_MARK = re.compile(r"\{\{([A-Z]+)\|(.+?)\}\}")
# Kinds with a checksum (or, for phone numbers and e-mails, an unmistakable shape): recall 100 %.
VALIDATED = ("EMAIL", "TEL", "NIR", "IBAN", "RIB", "SIRET", "SIREN", "CARTE")


@dataclass(frozen=True)
class Annotated:
    name: str
    text: str
    gold: tuple[tuple[str, int, int], ...]  # (kind, start, end) in ``text``


def load(folder: Path = SHIELD_CORPUS) -> list[Annotated]:
    documents = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        text, gold, position = [], [], 0
        length = 0
        for match in _MARK.finditer(raw):
            before = raw[position : match.start()]
            text.append(before)
            length += len(before)
            gold.append((match.group(1), length, length + len(match.group(2))))
            text.append(match.group(2))
            length += len(match.group(2))
            position = match.end()
        text.append(raw[position:])
        documents.append(Annotated(path.name, "".join(text), tuple(gold)))
    return documents
