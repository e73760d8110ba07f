"""Every error a user can meet has its own message in French and English, chosen by its class
(never by its English text), and the tree in plume.errors' docstring is the classes' own."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

from plume import errors
from plume.i18n import ERROR_MESSAGES, STRINGS, describe_error, error_message

CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.PlumeError)]

# One instance of each class, built as the code raises it.
SAMPLES: dict[type[errors.PlumeError], errors.PlumeError] = {
    errors.PlumeError: errors.PlumeError("something"),
    errors.SettingsError: errors.SettingsError(["base_url must be an http(s) URL"]),
    errors.UnsupportedError: errors.UnsupportedError("no text"),
    errors.DestinationBlocked: errors.DestinationBlocked("ia.example", kind="unapproved"),
    errors.NeedsConfirmation: errors.NeedsConfirmation("texte", 2),
    errors.LeakPrevented: errors.LeakPrevented(["nir"]),
    errors.TooLong: errors.TooLong(5000, 2048),
    errors.KnowledgeError: errors.KnowledgeError("the collection cannot be searched"),
    errors.UnreadableFile: errors.UnreadableFile("/docs/a.pdf", "encrypted"),
    errors.IndexUnavailable: errors.IndexUnavailable("/idx/mairie.plume-index", "file is not a database"),
    errors.TranslationError: errors.TranslationError("failed"),
    errors.TranslationUnavailable: errors.TranslationUnavailable("argostranslate missing"),
    errors.MissingPair: errors.MissingPair("fr", "de"),
    errors.BadPackage: errors.BadPackage("not a zip archive"),
    errors.BrokenPackage: errors.BrokenPackage("/p/x.argosmodel", "bad model"),
    errors.BackendError: errors.BackendError("odd", url="https://ia.example"),
    errors.Unreachable: errors.Unreachable("refused", url="https://ia.example"),
    errors.CertificateError: errors.CertificateError("tls", url="https://ia.example"),
    errors.BackendTimeout: errors.BackendTimeout("slow", url="https://ia.example"),
    errors.HTTPStatusError: errors.HTTPStatusError(500, "boom", url="https://ia.example"),
    errors.AuthenticationError: errors.AuthenticationError(401, "bad key"),
    errors.ModelNotFound: errors.ModelNotFound("m"),
    errors.RedirectRefused: errors.RedirectRefused(302, "https://elsewhere.example", url="https://ia.example"),
    errors.InvalidReply: errors.InvalidReply("not JSON"),
    errors.Cancelled: errors.Cancelled(),
}


def test_every_error_class_is_sampled_and_has_its_own_entry() -> None:
    assert set(CLASSES) == set(SAMPLES), "a new error class needs a sample here and an entry in ERROR_MESSAGES"
    assert set(CLASSES) <= set(ERROR_MESSAGES)


@pytest.mark.parametrize("kind", CLASSES, ids=lambda c: c.__name__)
def test_every_error_has_a_message_in_french_and_english(kind: type[errors.PlumeError]) -> None:
    error = SAMPLES[kind]
    key, _ = error_message(error, "fr")
    assert key != "error.internal" and STRINGS[key]["fr"] and STRINGS[key]["en"]
    french, english = describe_error(error, "fr"), describe_error(error, "en")
    assert french != english
    for text in (french, english):
        assert "\n" not in text and not re.search(r"\{[a-z_]+\}", text), text


def test_a_blocked_destination_is_worded_by_its_kind() -> None:
    keys = {kind: error_message(errors.DestinationBlocked("h", kind=kind), "en")[0]
            for kind in ("unapproved", "policy", "plain_http", "other_host")}  # fmt: skip
    assert len(set(keys.values())) == 4 and all(key in STRINGS for key in keys.values())


def test_the_most_specific_class_along_the_mro_decides() -> None:
    class Refused(errors.Unreachable):
        pass

    class Mixed(errors.CertificateError, errors.InvalidReply):
        pass

    assert error_message(Refused("x", url="u"), "en")[0] == "error.unreachable"
    assert error_message(Mixed("x", url="u"), "en")[0] == "error.certificate"
    # The English text never decides: the same words in another class give that class's message.
    assert error_message(errors.UnsupportedError("sending to h is blocked"), "en")[0] == "error.unsupported"
    assert error_message(ValueError("x"), "en")[0] == "error.internal"


def _docstring_tree() -> dict[str, str]:
    """{class: parent} as drawn in plume.errors' docstring."""
    parents: dict[str, str] = {}
    stack = ["PlumeError"]
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^    ((?:[│ ]   )*)[├└]── (\w+)", line)
        if found:
            depth = len(found.group(1)) // 4 + 1
            del stack[depth:]
            parents[found.group(2)] = stack[-1]
            stack.append(found.group(2))
    return parents


def test_the_docstring_tree_is_the_classes_tree() -> None:
    drawn = _docstring_tree()
    actual: dict[str, Any] = {c.__name__: c.__bases__[0].__name__ for c in CLASSES if c is not errors.PlumeError}
    assert drawn == actual
