"""Every error Plume raises. Backends convert transport errors at their boundary
(``raise ... from None``). ``str(error)`` is English, for logs and the command line's
details; the user's message, in French or English, comes from :data:`plume.i18n.ERROR_MESSAGES`,
keyed by class (:func:`plume.i18n.describe_error` takes the most specific entry along the
class's MRO), never from the English text. The front ends (the adapter, the CLI, the doctor)
show that message.

    PlumeError
    ├── SettingsError            invalid settings (each problem listed)
    ├── UnsupportedError         a request Plume refuses (empty text, unknown action or style)
    │   └── (plume.cli.InputError)   unusable input on the command line; the CLI words it itself
    ├── DestinationBlocked       the policy forbids sending anything to this host (checked before any byte)
    ├── NeedsConfirmation        policy "warn": the user must see what will be sent, then confirm
    ├── LeakPrevented            the door's last check found personal data in a request body: not sent
    ├── TooLong                  a request would not fit the model's window (never cut): a window too small for the instructions, or a text an action needs whole
    ├── KnowledgeError           asking the documents: a file or an index Plume cannot use
    │   ├── UnreadableFile           one file that cannot be read (damaged, encrypted, too large, unknown format)
    │   └── IndexUnavailable         a collection's index that is missing, damaged or not writable
    ├── TranslationError         offline translation (Argos) cannot do what was asked
    │   ├── TranslationUnavailable   the Argos runtime is not installed with this Plume
    │   ├── MissingPair              no installed package translates source -> target, even through English
    │   └── BadPackage               a file that is not a usable .argosmodel
    │       └── BrokenPackage        an installed package the runtime cannot load
    └── BackendError             anything between Plume and the model server
        ├── Unreachable          connection refused, DNS failure, network down
        │   └── CertificateError TLS verification failed (internal PKI without its CA bundle)
        ├── BackendTimeout       connect or read timeout
        ├── HTTPStatusError      non-2xx answer; keeps ``status`` and the server's ``server_message``
        │   ├── AuthenticationError  401 / 403: missing or wrong API key
        │   └── ModelNotFound        the requested model is not on the server
        ├── RedirectRefused      the server answered with a redirect: never followed (it names where)
        ├── InvalidReply         a reply Plume cannot read (malformed stream, unexpected JSON, too large)
        └── Cancelled            the user stopped the request
"""

from __future__ import annotations

import os


class PlumeError(Exception):
    """Base class. ``str(error)`` is one line, in English, for logs and the CLI."""


class SettingsError(PlumeError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class UnsupportedError(PlumeError):
    pass


class DestinationBlocked(PlumeError):
    """``kind`` says why, for the user's message: ``unapproved`` (not this computer nor an
    approved operator), ``policy`` (the settings block it), ``plain_http`` (an operator
    without TLS), ``other_host`` (a request aimed elsewhere than the configured server)."""

    def __init__(self, host: str, reason: str = "not an approved operator", kind: str = "unapproved") -> None:
        self.host, self.kind = host, kind
        super().__init__(f"sending to {host} is blocked: {reason}")


# Keys the confirmation tokens of this process: a token cannot be computed from a text
# outside it (a link in a received document, "plume:instruct?confirmed=...", whose author
# knows the letter and can guess what the user would be shown).
_TOKEN_KEY = os.urandom(32)


class NeedsConfirmation(PlumeError):
    """``token`` names exactly what was shown and where it goes: a confirmation carrying it
    is valid for that text to that ``destination`` only (text edited, or a server changed in
    the settings, after the user looked at it must be shown again), in this process only."""

    def __init__(self, text: str, replaced: int, destination: str = "") -> None:
        import hashlib
        import hmac

        self.text, self.replaced, self.destination = text, replaced, destination
        named = f"{destination}\n{text}".encode("utf-8", "surrogatepass")
        digest = hmac.new(_TOKEN_KEY, named, hashlib.sha256)
        self.token = digest.hexdigest()[:32]
        super().__init__(f"the text to send ({replaced} value(s) pseudonymised) must be confirmed first")


class LeakPrevented(PlumeError):
    """Under a pseudonymising policy, the serialised request still held a value the shield
    masks (a validated identifier, or a value already masked elsewhere in the run)."""

    def __init__(self, kinds: list[str]) -> None:
        self.kinds = sorted(set(kinds))
        super().__init__(
            f"the request still held personal data ({', '.join(self.kinds)}) after pseudonymisation; nothing was sent"
        )


class TooLong(PlumeError):
    """A request would not fit the model's context window: never cut, refused. Plume splits
    the texts of the actions that can be split, so that for those this means a window too small
    for the instructions (or a planning bug).

    ``whole_text``: the action needs its whole text in one request (a letter to answer, a
    text to refine) and this one is too long for it; nothing else is wrong."""

    def __init__(self, needed: int, window: int, *, whole_text: bool = False) -> None:
        super().__init__(f"a request of {needed} tokens does not fit the model's window of {window}")
        self.needed, self.window, self.whole_text = needed, window, whole_text


class KnowledgeError(PlumeError):
    pass


class UnreadableFile(KnowledgeError):
    """``reason``: format, access, too_large, damaged or encrypted; ``detail`` says more."""

    def __init__(self, path: str, reason: str, detail: str = "") -> None:
        self.path, self.reason, self.detail = path, reason, detail
        super().__init__(f"cannot read {path}: {reason}" + (f" ({detail})" if detail else ""))


class IndexUnavailable(KnowledgeError):
    def __init__(self, path: str, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"the index {path} cannot be used: {detail}")


class TranslationError(PlumeError):
    pass


class TranslationUnavailable(TranslationError):
    pass


class MissingPair(TranslationError):
    def __init__(self, source: str, target: str, *, model_allowed: bool = False) -> None:
        self.source, self.target, self.model_allowed = source, target, model_allowed
        super().__init__(f"no installed language package translates {source} to {target}")


class BadPackage(TranslationError):
    pass


class BrokenPackage(BadPackage):
    def __init__(self, path: str, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"the language package {path} cannot be loaded: {detail}")


class BackendError(PlumeError):
    def __init__(self, message: str, *, url: str = "") -> None:
        self.url = url
        super().__init__(message)


class Unreachable(BackendError):
    pass


class CertificateError(Unreachable):
    pass


class BackendTimeout(BackendError):
    pass


class HTTPStatusError(BackendError):
    def __init__(self, status: int, server_message: str, *, url: str = "") -> None:
        self.status = status
        self.server_message = server_message
        super().__init__(f"HTTP {status}: {server_message}" if server_message else f"HTTP {status}", url=url)


class AuthenticationError(HTTPStatusError):
    pass


class ModelNotFound(HTTPStatusError):
    def __init__(self, model: str, server_message: str = "", *, status: int = 404, url: str = "") -> None:
        self.model = model
        super().__init__(status, server_message or f"model {model!r} not found", url=url)


class InvalidReply(BackendError):
    pass


class RedirectRefused(BackendError):
    def __init__(self, status: int, location: str, *, url: str = "") -> None:
        self.status, self.location = status, location
        super().__init__(
            f"the server at {url} answered HTTP {status} to send the request to {location or 'elsewhere'}; redirects are never followed",
            url=url,
        )


class Cancelled(BackendError):
    def __init__(self) -> None:
        super().__init__("cancelled by the user")


def for_log(error: BaseException) -> str:
    """What a log may keep of ``error``: its kind, the server's address and HTTP status, the
    settings named, never its message text (a server's error body or an unreadable reply may
    quote the document)."""
    parts = [type(error).__name__]
    if isinstance(error, BackendError) and error.url:
        parts.append(error.url)
    if isinstance(error, HTTPStatusError):
        parts.append(f"HTTP {error.status}")
    if isinstance(error, SettingsError):
        parts.append("; ".join(error.problems))  # the settings' own values, never a document's
    if isinstance(error, DestinationBlocked):
        parts.append(f"{error.host} ({error.kind})")
    if isinstance(error, LeakPrevented):
        parts.append(", ".join(error.kinds))
    if isinstance(error, TooLong):
        parts.append(f"{error.needed} > {error.window} tokens")
    return " ".join(parts)
