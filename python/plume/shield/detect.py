"""Finding personal data. Identifiers are read from *digit runs* whatever their typography
(:mod:`.identifiers`, :mod:`.phones`, :mod:`.typography`) and validated by their checksum
(``python-stdnum`` for NIR, IBAN, SIREN, SIRET and cards; the RIB key) or, when they have
none, by their label ("n° fiscal", "allocataire", "passeport"...). Phone numbers follow the
French numbering plan's shape; ``phonenumbers`` only checks foreign numbers in international
form. Dates of birth need their cue ("né le", "date de naissance", "DN"); postal addresses
(:mod:`.places`) and people's names (:mod:`.names`) are best effort.

Each detector scans the text with one cheap pattern or looks for its labels with
``str.find``; regular expressions then only read short stretches.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from .finding import Finding
from .identifiers import capitals, corsican_nirs, labelled, numbers
from .identifiers import phones as _phones
from .names import find_names, propagate_mentions
from .places import addresses

# Order matters: when two findings overlap, the earlier kind wins (validated identifiers first).
KINDS = (
    "EMAIL",
    "IBAN",
    "RIB",
    "FISCAL",
    "NIR",
    "CARTE",
    "SIRET",
    "SIREN",
    "PASSEPORT",
    "SEJOUR",
    "CNI",
    "PERMIS",
    "CAF",
    "TEL",
    "PLAQUE",
    "NAISSANCE",
    "ADRESSE",
    "NOM",
)
# Found best-effort: masked as found, but the door's last check does not stop a request for
# them alone (the instructions, or an answer sent back, may read like one).
BEST_EFFORT_KINDS = frozenset({"NOM", "ADRESSE", "NAISSANCE"})
_PRIORITY = {kind: index for index, kind in enumerate(KINDS)}

Detector = Callable[[str, str], Iterator[Finding]]  # (text, text in lower case)

# --- e-mail addresses -----------------------------------------------------------------------

# "@", or its spelt-out forms: "(at)", "[at]", "{at}", " arobase ", "(arobase)".
_AT = re.compile(r"@|[(\[{]\s*(?:at|arobase|@)\s*[)\]}]|\sarobase\s", re.IGNORECASE)
_AT_CUES = ("@", "(at", "[at", "{at", "( at", "[ at", "arobase")
_DOMAIN = re.compile(
    r"\s*([\w-]+(?:(?:\.|\s*[\[({]\s*(?:dot|point)\s*[\])}]\s*|\s(?:dot|point)\s)[\w-]+)+)",
    re.IGNORECASE,
)
_LOCAL_CHARS = frozenset("._%+-'")
_DOMAIN_PARTS = re.compile(r"[.\s\])}]")


def find_emails(text: str, lower: str | None = None) -> Iterator[Finding]:
    """E-mail addresses, with accented local parts and domains, and their obfuscated forms
    ("jean.dupont (at) mairie.fr", "[at]", " arobase ", "[dot]")."""
    lower = text.lower() if lower is None else lower
    seen: set[int] = set()
    for cue in _AT_CUES:
        position = lower.find(cue)
        while position >= 0:
            at = _AT.match(text, position - 1 if cue == "arobase" else position)
            if at is not None and at.start() not in seen:
                seen.add(at.start())
                found = _email_at(text, at.start(), at.end())
                if found:
                    yield found
            position = lower.find(cue, position + 1)


def _email_at(text: str, at: int, after: int) -> Finding | None:
    start = at
    # Spaces around the sign: " (at) ", " arobase ", and one on each side of "@".
    while start > 0 and text[start - 1] == " " and (text[at] != "@" or start == at):
        start -= 1
    local_end = start
    while start > 0 and start > local_end - 64 and (text[start - 1].isalnum() or text[start - 1] in _LOCAL_CHARS):
        start -= 1
    while start < local_end and text[start] in ".'-":
        start += 1
    if start == local_end:
        return None
    domain = _DOMAIN.match(text, after)
    if domain is None or (text[at] == "@" and domain.start(1) > after + 1):
        return None
    end = domain.end(1)
    top = _DOMAIN_PARTS.split(domain.group(1))[-1]
    if len(top) < 2 or not top.isalpha():
        return None
    return Finding("EMAIL", start, end, text[start:end])


# --- dates of birth -------------------------------------------------------------------------

_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DATE = (
    rf"[0-9]{{1,2}}(?:er|ᵉʳ)?\s+(?:{_MONTHS})(?:\s+[0-9]{{4}})?"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})"
)
_BIRTH = re.compile(
    rf"(?:\((?:e|es|s)\)|es|e|s)?\s*(?:\(e\))?\s*(?:\([^()\n]{{0,20}}\))?[\s:]*(?:,\s*)?"
    rf"(?:(?:à|a)\s+[^\n,;:()]{{1,40}}?,?\s+(?=le\b|en\b))?"
    rf"(?:(?:le|on|the)\b[\s:]*)?(?:({_DATE})(?![0-9])|en\s+((?:(?:{_MONTHS})\s+)?(?:19|20)[0-9]{{2}})(?![0-9]))",
    re.IGNORECASE,
)
# Cues, looked up in lower case: "né(e)", "date de naissance", "DN", "DDN", "born", "date of birth".
_BIRTH_CUES = ("né", "naissance", "dn", "ddn", "d.n.", "born", "birth", "dob")


def _births(text: str, lower: str) -> Iterator[Finding]:
    for cue in _BIRTH_CUES:
        position = lower.find(cue)
        while position >= 0:
            end = position + len(cue)
            if (position == 0 or not lower[position - 1].isalpha()) and (
                cue == "né" or end == len(lower) or not lower[end].isalpha()
            ):
                m = _BIRTH.match(text, end)
                if m is not None and (cue != "né" or m.start() == end):
                    group = 1 if m.group(1) else 2
                    yield Finding("NAISSANCE", m.start(group), m.end(group), m.group(group))
            position = lower.find(cue, end)


# --- all together -----------------------------------------------------------------------------


def find_phones(text: str) -> Iterator[Finding]:
    """Phone numbers alone (the fact check compares them between two texts)."""
    return _phones(text)


def _emails(text: str, lower: str) -> Iterator[Finding]:
    return find_emails(text, lower)


def _capitals(text: str, lower: str) -> Iterator[Finding]:
    return capitals(text)


def _corsica(text: str, lower: str) -> Iterator[Finding]:
    return corsican_nirs(text)


def _names(text: str, lower: str) -> Iterator[Finding]:
    return find_names(text)


DETECTORS: tuple[Detector, ...] = (
    _emails,
    _capitals,
    _corsica,
    numbers,
    labelled,
    _births,
    addresses,
    _names,
)


def _lower(text: str) -> str:
    """``text`` in lower case with the same length (a few characters grow when lowered)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def detect(text: str) -> list[Finding]:
    """Every piece of personal data found, without overlaps, in text order."""
    lower = _lower(text)
    candidates = [f for detector in DETECTORS for f in detector(text, lower)]
    candidates.sort(key=lambda f: f.start)
    # Overlapping candidates form clusters; within one, the earlier kind in KINDS wins, then
    # the earlier start, then the longer span. Most clusters have one candidate.
    kept: list[Finding] = []
    cluster: list[Finding] = []
    cluster_end = -1
    for finding in candidates:
        if finding.start >= cluster_end:
            kept += cluster if len(cluster) == 1 else _resolve(cluster)
            cluster, cluster_end = [finding], finding.end
        else:
            cluster.append(finding)
            cluster_end = max(cluster_end, finding.end)
    kept += cluster if len(cluster) == 1 else _resolve(cluster)
    return propagate_mentions(text, kept)


def _resolve(cluster: list[Finding]) -> list[Finding]:
    cluster.sort(key=lambda f: (_PRIORITY[f.kind], f.start, -(f.end - f.start)))
    starts: list[int] = []  # kept findings, sorted by start: they never overlap each other
    kept: list[Finding] = []
    for finding in cluster:
        index = bisect.bisect_left(starts, finding.start)
        overlaps_before = index > 0 and kept[index - 1].end > finding.start
        overlaps_after = index < len(kept) and kept[index].start < finding.end
        if not (overlaps_before or overlaps_after):
            starts.insert(index, finding.start)
            kept.insert(index, finding)
    return kept
