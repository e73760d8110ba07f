"""Postal addresses, best effort: a number and a street word ("12 rue des Lilas", "3 Grande
Rue"), a post-office box ("BP 123"), a named place without a number ("lieu-dit Les
Granges", "hameau de la Combe", "Résidence Les Tilleuls, bâtiment B, escalier 2", "chez
Mme Durand, ... 69004 Lyon"), or a line ending with a postcode and its town ("La
Croix-Rousse, 69004 Lyon"). The postcode and town are taken along when they follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .finding import Finding
from .typography import SPACES

_UPPER = "A-ZÉÈÀÂÊÎÔÛÇ"
_TOWN_WORD = rf"(?:[{_UPPER}][\w'’-]*|sur|sous|en|le|la|les|lès|de|du|des|d['’]\w+|l['’]\w+|aux?)"
_POSTCODE_TOWN = rf"[0-9]{{5}}[{SPACES}]+[{_UPPER}][\w'’-]*(?:[{SPACES}-]{_TOWN_WORD})*(?:[{SPACES}]+(?:CEDEX|Cedex)(?:[{SPACES}]+[0-9]{{1,2}})?)?"
_STREET = (
    r"(?:rue|avenue|av\.|boulevard|bd|place|allée|allee|impasse|chemin|route|quai|cours|square|résidence|residence"
    r"|lotissement|lieu-dit|grande[- ]rue|grand[-'’ ]rue|montée|passage|sentier|faubourg|chaussée|ruelle|venelle"
    r"|esplanade|parvis|cité|hameau|rond-point|voie|traverse|mail|clos)"
)
# Found in the lower-case text from the number's last digit (a plain character class first:
# the regex engine skips ahead fast), then read on in the text itself.
# (The lookaheads, on what may follow a number and on the street words' first letters, make
# a digit followed by anything else fail at once: administrative text is full of numbers.)
_NUMBER_STREET = re.compile(rf"[0-9](?=[\s,bt])(?:\s?(?:bis|ter))?,?\s+(?=[rabpiqcslgmfévehdt])({_STREET})(?:\s|(?=[,.;)]|$))")
# A street's name: capitalised words, maybe after particles ("de la République", "Jean-Jaurès").
_PARTICLE = r"(?i:de|du|des|d['’]|la|le|les|l['’]|aux?|en|sur|sous|et)"
_NAME_WORD = rf"[{_UPPER}0-9][\w'’-]*"
# (A number only as its first word, "rue du 8-Mai-1945": a number after the name is something else.)
_STREET_NAME = re.compile(rf"(?:{_PARTICLE}[{SPACES}]*)*{_NAME_WORD}(?:[{SPACES}](?:{_PARTICLE}[{SPACES}]*)*[{_UPPER}][\w'’-]*)*")
# Between a street and its postcode: a comma, spaces, a line break or a dash ("allée des
# Érables – 69100 Villeurbanne").
_TAIL = re.compile(rf"(?:,[{SPACES}]*|[{SPACES}]*[–—-][{SPACES}]*|[{SPACES}]+|[{SPACES}]*\n[{SPACES}]*)({_POSTCODE_TOWN})")

# Named places: the label, then a capitalised name or a number ("bâtiment B", "escalier 2").
_PLACE_LABELS = (
    "lieu-dit",
    "lieudit",
    "hameau",
    "résidence",
    "bâtiment",
    "bât.",
    "escalier",
    "esc.",
    "appartement",
    "appt",
    "chez",
)
_NAMED = re.compile(
    rf"(?i:lieu-?dit|hameau|résidence|chez)[{SPACES}]+"
    rf"(?:(?i:de|du|des|d['’])[{SPACES}]*(?:(?i:la)[{SPACES}]+|(?i:l)['’])?)?"
    rf"(?:M\.[{SPACES}]*|Mme[{SPACES}]+)?{_NAME_WORD}(?:[{SPACES}](?:{_PARTICLE}[{SPACES}]*)*{_NAME_WORD})*"
    rf"|(?i:bâtiment|bât\.|escalier|esc\.|appartement|appt\.?)[{SPACES}]*[{_UPPER}0-9][\w]{{0,3}}(?![\w])"
)
_NEXT_PART = re.compile(
    rf",[{SPACES}]*(?:(?:bâtiment|bât\.|escalier|esc\.|appartement|appt\.?|étage)[{SPACES}]*[{_UPPER}0-9][\w]{{0,3}}(?![\w])"
    rf"|(?:lieu-?dit|hameau|résidence)[{SPACES}]+[^\n,;.()]{{1,40}}"
    rf"|[0-9]{{1,4}}(?:\s?(?:bis|ter))?,?\s+{_STREET}\s+[^\n,;.]{{2,60}}?(?=[,;.\n]|$))",
    re.IGNORECASE,
)
_BP = re.compile(r"(?<![\w])B\.?[ \u00a0]?P\.?[ \u00a0]?[0-9]{1,5}(?![\w])")
_POSTCODE_AT = re.compile("[0-9][0-9]{4}" + _POSTCODE_TOWN.removeprefix("[0-9]{5}"))
# The name of a place before ", 69004 Lyon": capitalised words, maybe after a number.
_PLACE_BEFORE = re.compile(
    rf"(?<![\w'’])((?:[0-9]{{1,4}}[{SPACES}]+)?[{_UPPER}][\w'’-]*(?:[{SPACES}-]{_TOWN_WORD})*)[{SPACES}]*(?:,|\n)[{SPACES}]*$"
)


def _with_town(text: str, start: int, end: int) -> Finding:
    tail = _TAIL.match(text, end)
    if tail:
        end = tail.end()
    value = text[start:end].rstrip(" .")
    return Finding("ADRESSE", start, start + len(value), value)


def addresses(text: str, lower: str) -> Iterator[Finding]:
    ends: set[int] = set()  # where the addresses found so far end: their town needs no second look
    for found in _addresses(text, lower):
        ends.add(found.end)
        yield found
    yield from _towns(text, ends)


def _addresses(text: str, lower: str) -> Iterator[Finding]:
    for m in _NUMBER_STREET.finditer(lower):
        start = m.start()
        while start > 0 and m.start() - start < 3 and text[start - 1].isdigit():
            start -= 1
        if start and text[start - 1].isalnum():
            continue
        name = _STREET_NAME.match(text, m.end())
        if name is not None or m.group(1).startswith("grand"):
            yield _with_town(text, start, name.end() if name else m.end(1))
    for label in ("BP", "B.P", "B P"):
        position = text.find(label)
        while position >= 0:
            box = _BP.match(text, position)
            if box is not None:
                yield _with_town(text, box.start(), box.end())
            position = text.find(label, position + 2)
    yield from _named_places(text, lower)


def _named_places(text: str, lower: str) -> Iterator[Finding]:
    for label in _PLACE_LABELS:
        position = lower.find(label)
        while position >= 0:
            if position == 0 or not lower[position - 1].isalnum():
                m = _NAMED.match(text, position)
                if m:
                    start, end = (m.start() + 5 if label == "chez" else m.start()), m.end()
                    while (part := _NEXT_PART.match(text, end)) is not None:
                        end = part.end()
                    found = _with_town(text, start, end)
                    # "chez" is everyday French: an address only when a town follows.
                    if label != "chez" or found.end > end:
                        yield found
            position = lower.find(label, position + len(label))


# Words that announce an address rather than belong to it.
_ANNOUNCE = re.compile(
    rf"(?:Domicilié|Demeurant|Résidant|Habitant|Adresse|Siège|Sis|Situé|Chez)\w*[{SPACES}]*:?[{SPACES}]*", re.IGNORECASE
)


def _towns(text: str, ends: set[int]) -> Iterator[Finding]:
    """'La Croix-Rousse, 69004 Lyon': the named place on the line, then the postcode and town."""
    for m in _POSTCODE_AT.finditer(text):
        if m.end() in ends or (m.start() and text[m.start() - 1].isalnum()):
            continue
        last = m.start() - 1
        while last >= 0 and text[last] in SPACES:
            last -= 1
        if last < 0 or text[last] not in ",\n":  # the place ends with a comma or its line
            continue
        before = _PLACE_BEFORE.search(text, max(0, m.start() - 60), m.start())
        if before:
            start = before.start(1)
            announce = _ANNOUNCE.match(text, start)
            if announce and announce.end() < m.start():
                start = announce.end()
            yield Finding("ADRESSE", start, m.end(), text[start : m.end()])
