"""Generated long documents for tests and benchmarks: numbered parts and sections with
headings, paragraphs of administrative French and bulleted lists, about 3 000 characters a
page. Deterministic for a given page count, so runs compare."""

from __future__ import annotations

import random

_SUBJECTS = ["La commune", "Le conseil municipal", "La métropole", "Le service des affaires scolaires",
             "La direction de la voirie", "Le centre communal d'action sociale", "L'association des riverains"]  # fmt: skip
_VERBS = ["a examiné", "propose", "a adopté", "prévoit", "rappelle", "engage", "finance", "organise"]
_OBJECTS = ["le budget des travaux de rénovation", "la convention avec la région", "un plan de mobilité douce",
            "la réfection des trottoirs du centre-ville", "l'extension de la médiathèque",
            "le programme d'accueil périscolaire", "la révision du plan local d'urbanisme",
            "une aide aux familles pour la cantine"]  # fmt: skip
_DETAILS = ["pour un montant de {n} 000 euros", "à compter du {d} mars 2026", "avec une participation de {p} %",
            "après une concertation de {d} jours", "dans un délai de {p} mois", "conformément à l'article L. 2122-{d}"]  # fmt: skip
PAGE_CHARS = 3000


def sentence(rng: random.Random) -> str:
    detail = rng.choice(_DETAILS).format(n=rng.randint(10, 990), d=rng.randint(1, 28), p=rng.randint(5, 60))
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {detail}."


def long_document(pages: int, seed: int = 7) -> list[tuple[str, int]]:
    """(text, heading level) for each paragraph: level 1 for parts, 2 for sections, 0 for body."""
    rng = random.Random(seed * 1000 + pages)
    blocks: list[tuple[str, int]] = []
    size, part = 0, 0
    target = pages * PAGE_CHARS
    while size < target:
        part += 1
        blocks.append((f"Partie {part} : {rng.choice(_OBJECTS).capitalize()}", 1))
        for section in range(1, rng.randint(2, 4) + 1):
            if size >= target:
                break
            blocks.append((f"{part}.{section} {rng.choice(_OBJECTS).capitalize()}", 2))
            for _ in range(rng.randint(2, 4)):
                text = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
                blocks.append((text, 0))
                size += len(text)
            if rng.random() < 0.5:
                for _ in range(rng.randint(2, 4)):
                    item = f"{rng.choice(_OBJECTS)} ;"
                    blocks.append((item, 0))
                    size += len(item)
    return blocks
