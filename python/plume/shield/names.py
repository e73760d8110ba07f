"""People's names: after a civility, or a first name with a surname in capitals (best
effort), and every later mention of a name once found."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Finding

_NAME_WORD = r"(?:[A-ZÉÈÀÂÎÔÇ][a-zéèêëàâîïôöûüç']+(?:-[A-ZÉÈÀÂÎÔÇ][a-zéèêëàâîïôöûüç']+)*|[A-ZÉÈÀÂÎÔÇ]{2,}(?:-[A-ZÉÈÀÂÎÔÇ]{2,})*)"
_CIVILITY = re.compile(
    rf"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle|Me|Maître|Dr|Docteur)\s+({_NAME_WORD}(?:[ -](?:{_NAME_WORD}|d'|de|du|des|le|la)){{0,3}})"
)
# "Jean DUPONT", "Marie-Claire MARTIN": a capitalised first name and a surname in capitals.
_SIGNATURE = re.compile(r"\b([A-ZÉÈ][a-zéèêëàâîïôöûüç]+(?:-[A-ZÉÈ][a-zéèêëàâîïôöûüç]+)?\s+[A-ZÉÈÀ]{2,}(?:-[A-ZÉÈÀ]{2,})?)\b")
_NOT_FIRST_NAMES = frozenset(
    [
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "Au",
        "Aux",
        "Article",
        "Articles",
        "Décret",
        "Loi",
        "Code",
        "Arrêté",
        "Vu",
        "Considérant",
        "Service",
        "Direction",
        "Mairie",
        "Conseil",
        "Monsieur",
        "Madame",
        "Objet",
        "Annexe",
        "Pièce",
        "Ville",
        "Commune",
        "Région",
        "Département",
        "République",
        "Société",
        "Entreprise",
        "Association",
        "Numéro",
        "Référence",
        "Total",
        "Montant",
    ]
)


_ACRONYMS = frozenset(
    [
        "SIREN",
        "SIRET",
        "NIR",
        "IBAN",
        "BIC",
        "RCS",
        "TVA",
        "EUR",
        "HT",
        "TTC",
        "CEDEX",
        "RGPD",
        "CNIL",
        "DGFIP",
        "CAF",
        "CPAM",
        "URSSAF",
        "CCAS",
        "EPCI",
        "PLU",
        "PDF",
        "SA",
        "SAS",
        "SARL",
        "EURL",
        "SCI",
        "ZAC",
        "ZI",
        "FALC",
        "IA",
        "AI",
    ]
)


def find_names(text: str) -> Iterator[Finding]:
    for m in _CIVILITY.finditer(text):
        yield Finding("NOM", m.start(1), m.end(1), m.group(1))
    for m in _SIGNATURE.finditer(text):
        first, last = m.group(1).split()
        if first not in _NOT_FIRST_NAMES and last not in _ACRONYMS:
            yield Finding("NOM", m.start(1), m.end(1), m.group(1))


def propagate_mentions(text: str, findings: list[Finding]) -> list[Finding]:
    """Every finding, plus the later mentions of the names found (not yet: the seam)."""
    return findings
