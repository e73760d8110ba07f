"""E-mail addresses, phone numbers and web links, in a form two texts can be compared in.

Candidates come from the data shield's detectors (phone numbers validated by
``phonenumbers``), so both features agree on what a phone number or an address is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from ..shield.detect import find_emails, find_phones
from .spans import Span, Taken

_LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>«»\"'()]+", re.IGNORECASE)


@dataclass(frozen=True)
class Contact(Span):
    kind: str  # "email", "phone" or "link"
    key: str  # lower-case address, E.164 number, link without scheme or final slash


def contacts(text: str, taken: Taken) -> Iterator[Contact]:
    for match in _LINK.finditer(text):
        link = match.group().rstrip(".,;:!?")
        if taken.claim(match.start(), match.start() + len(link)):
            key = re.sub(r"^(?:https?://)?(?:www\.)?", "", link.lower()).rstrip("/")
            yield Contact(match.start(), match.start() + len(link), link, "link", key)
    for email in find_emails(text):
        if taken.claim(email.start, email.end):
            yield Contact(email.start, email.end, email.value, "email", email.value.lower())
    for phone in find_phones(text):
        if taken.claim(phone.start, phone.end):
            yield Contact(phone.start, phone.end, phone.value, "phone", _e164(phone.value))


def _e164(value: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(value, "FR"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", value)
