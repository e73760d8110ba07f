"""Plume's settings: one dataclass, its defaults and its validation. No storage here:
the adapter maps these fields to LibreOffice's configuration (``build.py`` generates the
``.xcs`` schema, defaults included, from :data:`SETTING_FIELDS`), the CLI maps them
to ``PLUME_*`` environment variables. API keys are not settings: they are secrets, kept in
LibreOffice's PasswordContainer or passed through the environment.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import SettingsError

# The values of the choice settings: a field names its tuple in its metadata ("choices"), and
# everything else reads them from :data:`CHOICES`.
BACKENDS = ("ollama", "openai")
LOCAL_POLICIES = ("send", "pseudonymise", "warn", "block")
OPERATOR_POLICIES = ("pseudonymise", "warn", "block")
APPLY_MODES = ("preview", "replace", "after")


@dataclass(frozen=True)
class Settings:
    backend: str = field(
        default="ollama",
        metadata={
            "choices": BACKENDS,
            "doc": "Server protocol: 'ollama' (native API) or 'openai' (OpenAI-compatible: Albert, Mistral, vLLM, llama.cpp).",
        },
    )
    base_url: str = field(
        default="http://localhost:11434",
        metadata={
            "doc": "Server address, e.g. http://localhost:11434 for Ollama or https://albert.api.etalab.gouv.fr for Albert (without /v1)."
        },
    )
    model: str = field(default="", metadata={"doc": "Model name; empty: the first model the server lists."})
    operator_name: str = field(
        default="", metadata={"doc": "Name of the organisation running the server, shown to users (empty: the host name)."}
    )
    connect_timeout: float = field(default=5.0, metadata={"doc": "Seconds to wait for a connection."})
    read_timeout: float = field(
        default=120.0, metadata={"doc": "Seconds to wait between two pieces of the answer (a model may need time to load)."}
    )
    verify_tls: bool = field(
        default=True, metadata={"doc": "Verify the server's TLS certificate. Turn off only for a test server."}
    )
    ca_bundle: str = field(
        default="",
        metadata={"doc": "PEM file of extra certificate authorities (an internal PKI); empty: the system's and certifi's."},
    )
    keep_alive: str = field(
        default="5m",
        metadata={"doc": "Ollama only: how long the server keeps the model loaded after a request (e.g. 5m, 1h, 0)."},
    )
    temperature: float = field(
        default=0.2, metadata={"doc": "Sampling temperature; low values keep rewrites close to the source."}
    )
    max_output_tokens: int = field(default=1024, metadata={"doc": "Upper bound on the length of an answer, in tokens."})
    summary_mode: str = field(
        default="after",
        metadata={
            "choices": APPLY_MODES,
            "doc": "What summaries do when done: preview (sidebar), after (insert after the text) or replace.",
        },
    )
    rewrite_mode: str = field(
        default="replace",
        metadata={"choices": APPLY_MODES, "doc": "What rewrites do when done: preview (sidebar), replace (the text) or after."},
    )
    draft_mode: str = field(
        default="after",
        metadata={
            "choices": APPLY_MODES,
            "doc": "What drafting, replies and continued paragraphs do when done: preview (sidebar), after (insert them) or replace.",
        },
    )
    signature_block: str = field(
        default="",
        metadata={
            "doc": "The signature block drafted letters and replies end with (name, title, service; lines separated by \\n); empty: none."
        },
    )
    policy_actions: str = field(
        default="",
        metadata={
            "doc": "Actions IT adds for every user (JSON, written by build.py policy --actions FILE); users cannot change them."
        },
    )
    allow_personal_actions: bool = field(
        default=False, metadata={"doc": "Let users add their own actions on the Options page (IT's policy decides)."}
    )
    personal_actions: str = field(
        default="",
        metadata={"doc": "The user's own actions (TOML or JSON, same form as IT's); used only with allow_personal_actions."},
    )
    approved_hosts: str = field(
        default="",
        metadata={
            "doc": "Hosts of the operators your organisation approved, comma-separated (e.g. albert.api.etalab.gouv.fr). Text never goes to any other host but this computer."
        },
    )
    allow_plain_http: bool = field(
        default=False,
        metadata={"doc": "Allow plain http:// to an approved operator (not this computer). Off: only https leaves the machine."},
    )
    local_policy: str = field(
        default="send",
        metadata={
            "choices": LOCAL_POLICIES,
            "doc": "Personal data sent to a model on this computer: send, pseudonymise, warn (show first) or block.",
        },
    )
    operator_policy: str = field(
        default="pseudonymise",
        metadata={
            "choices": OPERATOR_POLICIES,
            "doc": "Personal data sent to an approved operator: pseudonymise, warn (show first) or block.",
        },
    )
    mark_ai_output: bool = field(
        default=True,
        metadata={
            "doc": "Add a visible comment on text Plume applied (action, model, destination, date). The machine-readable record in the document's properties is always written."
        },
    )
    audit_include_text: bool = field(
        default=False, metadata={"doc": "Keep the texts sent and received in the local audit log (off: sizes and metadata only)."}
    )
    audit_max_kb: int = field(default=1024, metadata={"doc": "Size of the audit log file before it is rotated, in KB."})
    track_changes: bool = field(
        default=False, metadata={"doc": "Apply results as tracked changes (Edit > Track Changes) for the user to review."}
    )
    min_context_tokens: int = field(
        default=4096, metadata={"doc": "Smallest context window Plume asks Ollama for; grown to fit the input."}
    )
    context_window: int = field(
        default=0,
        metadata={
            "doc": "The model's context window in tokens (prompt and answer together); longer texts are split to fit. 0: ask the server (Ollama's model information, up to 8192; what an OpenAI-compatible server reports), else 4096."
        },
    )
    language_packages_dir: str = field(
        default="",
        metadata={
            "doc": "Folder of the language packages IT deploys for offline translation (several: separated by ';'); empty: %ProgramData%\\Plume\\languages on Windows, /usr/local/share/plume/languages on Linux."
        },
    )
    translate_target: str = field(
        default="en", metadata={"doc": "Language Plume translates into by default (a code such as en, de, ar)."}
    )
    translate_with_model: bool = field(
        default=True,
        metadata={
            "doc": "When no language package covers a pair, offer to translate with the configured model instead (the result is labelled as such; the data-protection rules apply)."
        },
    )
    knowledge_shared_index: str = field(
        default="",
        metadata={
            "doc": "Folder of the collections IT indexes for everyone (python -m plume index --shared DIR); workstations only read it. Empty: no shared collection."
        },
    )
    knowledge_personal_dirs: str = field(
        default="",
        metadata={
            "doc": "Folders of your own documents Plume may index for asking (several: separated by ';'). Empty: none; nothing else is ever indexed."
        },
    )
    knowledge_embedding_model: str = field(
        default="",
        metadata={
            "doc": "Embedding model on the configured server (e.g. nomic-embed-text, embeddings-small), for retrieval by meaning fused with word search. Empty: word search only."
        },
    )
    knowledge_rerank_model: str = field(
        default="",
        metadata={
            "doc": "Reranking model on the configured server (OpenAI-compatible /v1/rerank), to reorder the passages found. Empty: no reranking."
        },
    )

    def validate(self) -> Settings:
        """Return ``self`` or raise :class:`SettingsError` listing every problem."""
        problems = _type_problems(self)
        if problems:  # the checks below compare values: they need the right types
            raise SettingsError(problems)
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                problems.append(f"{name} must be one of {', '.join(allowed)}, not {_shown(getattr(self, name))}")
        url_problem = base_url_problem(self.base_url)
        if url_problem:
            problems.append(url_problem)
        for name in ("connect_timeout", "read_timeout"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                problems.append(f"{name} must be a positive number of seconds, not {value!r}")
        if self.ca_bundle:
            ca_problem = ca_bundle_problem(self.ca_bundle)
            if ca_problem:
                problems.append(ca_problem)
        if not (math.isfinite(self.temperature) and 0 <= self.temperature <= 2):
            problems.append("temperature must be between 0 and 2")
        if self.max_output_tokens < 16:
            problems.append("max_output_tokens must be at least 16")
        if self.audit_max_kb < 16:
            problems.append("audit_max_kb must be at least 16")
        if self.min_context_tokens < 512:
            problems.append("min_context_tokens must be at least 512")
        if self.context_window and self.context_window < 1024:
            problems.append("context_window must be 0 (ask the server) or at least 1024")
        if not re.fullmatch(r"[a-z]{2,3}", self.translate_target):
            problems.append(f"translate_target must be a language code such as en or de, not {_shown(self.translate_target)}")
        from .actions.custom import settings_problems

        problems += settings_problems(self)
        if problems:
            raise SettingsError(problems)
        return self

    @property
    def host(self) -> str:
        """The server's host name, lower case; empty when ``base_url`` is not a valid URL
        (an empty host is no destination: nothing is sent to it). Never raises."""
        if not isinstance(self.base_url, str) or base_url_problem(self.base_url):
            return ""
        return urlsplit(self.base_url).hostname or ""

    @property
    def approved(self) -> tuple[str, ...]:
        return tuple(h.strip().lower() for h in self.approved_hosts.split(",") if h.strip())

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Build from stored values, ignoring unknown keys and converting types
        (configuration back-ends and the environment give strings or numbers)."""
        kwargs: dict[str, Any] = {}
        for f in SETTING_FIELDS:
            if f.name in values and values[f.name] is not None:
                kwargs[f.name] = _convert(f.name, f.type, values[f.name])
        return cls(**kwargs)


@dataclass(frozen=True)
class SettingField:
    name: str
    type: type
    default: Any
    doc: str
    choices: tuple[str, ...] = ()  # the only values allowed, when the setting is a choice


TRUE_WORDS = ("true", "yes", "on", "1", "oui", "vrai")
FALSE_WORDS = ("false", "no", "off", "0", "non", "faux")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)


def _convert(name: str, kind: type, value: Any) -> Any:
    """``value`` as a ``kind``, or :class:`SettingsError`. Strict: a word that is not clearly
    true or false is an error, never False (``verify_tls=enabled`` must not turn TLS off),
    and numbers are finite."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        word = value.strip().lower() if isinstance(value, str) else None
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise SettingsError([f"{name} must be true or false (also yes/no, on/off, 1/0, oui/non, vrai/faux), not {_shown(value)}"])
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value.strip())
        raise SettingsError([f"{name} must be a whole number, not {_shown(value)}"])
    if kind is float:
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str) and value.strip().isascii():
            try:
                number = float(value)
            except ValueError:
                number = None
        if number is None or not math.isfinite(number):
            raise SettingsError([f"{name} must be a finite number, not {_shown(value)}"])
        return number
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise SettingsError([f"{name} must be text, not {_shown(value)}"])


def _type_problems(settings: Settings) -> list[str]:
    """Fields built with a value of the wrong type (``Settings(read_timeout="x")``)."""
    problems = []
    for f in SETTING_FIELDS:
        value = getattr(settings, f.name)
        if f.type is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif f.type is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, f.type)
        if not ok:
            problems.append(f"{f.name} must be a {f.type.__name__}, not {_shown(value)}")
    return problems


MAX_CA_BUNDLE_BYTES = 16 * 1024**2


def ca_bundle_problem(path: str) -> str:
    """Why ``path`` cannot be the extra certificate authorities, or ``""``: it must be a file
    of PEM certificates (otherwise every connection would fail as "server unreachable")."""
    import ssl

    if not os.path.isfile(path):
        return f"ca_bundle {_shown(path)} is not a readable file"
    try:
        if os.path.getsize(path) > MAX_CA_BUNDLE_BYTES:
            return f"ca_bundle {_shown(path)} is larger than 16 MB: not a certificate file"
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError, ValueError):
        return f"ca_bundle {_shown(path)} holds no readable PEM certificate"
    return ""


def _shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in a message: quoted, escaped, short."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


_HOST_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?", re.ASCII)


def base_url_problem(url: str) -> str:
    """Why ``url`` cannot be the server's address, or ``""``. Strict, so that what Plume
    checks (the host, for the destination policy) is what the HTTP client connects to:
    no spaces or control characters (``urlsplit`` silently drops tabs), no backslash, no
    user name or password (they would be printed in messages and sent as Basic auth),
    an ASCII host, a port from 1 to 65535, no query or fragment. A message never
    shows a URL holding an ``@``."""
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in url):
        return "base_url must not contain spaces or control characters"
    if "@" in url:  # before anything that shows the URL
        return (
            "base_url must not contain a user name or password: put the key in the API key setting"
            " (PLUME_API_KEY for the command line)"
        )
    if "\\" in url:
        return "base_url must not contain a backslash"
    shown = _shown(url)
    try:
        parts = urlsplit(url)
    except ValueError:  # "Invalid IPv6 URL": an unbalanced [ or ]
        return f"base_url is not a valid URL (check the brackets around an IPv6 address): {shown}"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"base_url must be an http(s) URL, not {shown}"
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port = -1
    if port is not None and not 1 <= port <= 65535:
        return f"base_url's port must be a number from 1 to 65535: {shown}"
    raw_host = parts.netloc
    if raw_host.startswith("["):
        raw_host = raw_host[1 : raw_host.find("]")]
        if "%" in raw_host or not _is_ipv6(raw_host):
            return f"base_url's host in brackets must be an IPv6 address: {shown}"
    else:
        raw_host = raw_host.rpartition(":")[0] if ":" in raw_host else raw_host
        if not raw_host.isascii():
            return f"base_url's host must be written in ASCII{_ascii_hint(raw_host)}: {shown}"
        if not _HOST_NAME.fullmatch(raw_host):
            return f"base_url must be an http(s) URL with a host name, not {shown}"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return f"base_url must not have a query (?...) or a fragment (#...): {shown}"
    return ""


def _is_ipv6(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _ascii_hint(host: str) -> str:
    """For an internationalised name, the ASCII form to write instead."""
    try:
        ascii_form = host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    return f" (here: {ascii_form})"


_TYPES = {"str": str, "float": float, "int": int, "bool": bool}

SETTING_FIELDS: tuple[SettingField, ...] = tuple(
    SettingField(f.name, _TYPES[str(f.type)], f.default, f.metadata["doc"], f.metadata.get("choices", ()))
    for f in dataclasses.fields(Settings)
)

# The allowed values of every choice setting, declared once in the fields' metadata: validation,
# ``build.py policy``'s options, the CLI and the Options page's lists all read this.
CHOICES: dict[str, tuple[str, ...]] = {f.name: f.choices for f in SETTING_FIELDS if f.choices}


def settings_from_env(environ: Mapping[str, str], base: Settings | None = None) -> Settings:
    """``PLUME_BACKEND``, ``PLUME_BASE_URL``, ``PLUME_MODEL``... override ``base``."""
    values = dataclasses.asdict(base or Settings())
    for f in SETTING_FIELDS:
        key = "PLUME_" + f.name.upper()
        if key in environ:
            values[f.name] = environ[key]
    return Settings.from_mapping(values)
