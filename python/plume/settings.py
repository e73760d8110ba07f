"""Plume's settings: one dataclass, its defaults and its validation. No storage here:
the adapter maps these fields to LibreOffice's configuration (``build.py`` generates the
``.xcs`` schema, defaults included, from :data:`SETTING_FIELDS`), the CLI maps them
to ``PLUME_*`` environment variables. API keys are not settings: they are secrets, kept in
LibreOffice's PasswordContainer or passed through the environment.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import SettingsError

BACKENDS = ("ollama", "openai")
LOCAL_POLICIES = ("send", "pseudonymise", "warn", "block")
OPERATOR_POLICIES = ("pseudonymise", "warn", "block")
APPLY_MODES = ("preview", "replace", "after")


@dataclass(frozen=True)
class Settings:
    backend: str = field(
        default="ollama",
        metadata={
            "doc": "Server protocol: 'ollama' (native API) or 'openai' (OpenAI-compatible: Albert, Mistral, vLLM, llama.cpp)."
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
    allow_plain_http: bool = field(
        default=False,
        metadata={"doc": "Allow plain http:// to an approved operator (not this computer). Off: only https leaves the machine."},
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
        metadata={"doc": "What summaries do when done: preview (sidebar), after (insert after the text) or replace."},
    )
    rewrite_mode: str = field(
        default="replace", metadata={"doc": "What rewrites do when done: preview (sidebar), replace (the text) or after."}
    )
    approved_hosts: str = field(
        default="",
        metadata={
            "doc": "Hosts of the operators your organisation approved, comma-separated (e.g. albert.api.etalab.gouv.fr). Text never goes to any other host but this computer."
        },
    )
    local_policy: str = field(
        default="send",
        metadata={"doc": "Personal data sent to a model on this computer: send, pseudonymise, warn (show first) or block."},
    )
    operator_policy: str = field(
        default="pseudonymise",
        metadata={"doc": "Personal data sent to an approved operator: pseudonymise, warn (show first) or block."},
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

    def validate(self) -> Settings:
        """Return ``self`` or raise :class:`SettingsError` listing every problem."""
        problems: list[str] = []
        if self.backend not in BACKENDS:
            problems.append(f"backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(f"base_url must be an http(s) URL, not {self.base_url!r}")
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            problems.append("timeouts must be positive")
        if self.ca_bundle and not os.path.isfile(self.ca_bundle):
            problems.append(f"ca_bundle {self.ca_bundle!r} is not a readable file")
        if not 0 <= self.temperature <= 2:
            problems.append("temperature must be between 0 and 2")
        if self.max_output_tokens < 16:
            problems.append("max_output_tokens must be at least 16")
        if self.local_policy not in LOCAL_POLICIES:
            problems.append(f"local_policy must be one of {', '.join(LOCAL_POLICIES)}")
        if self.operator_policy not in OPERATOR_POLICIES:
            problems.append(f"operator_policy must be one of {', '.join(OPERATOR_POLICIES)}")
        for name in ("summary_mode", "rewrite_mode"):
            if getattr(self, name) not in APPLY_MODES:
                problems.append(f"{name} must be one of {', '.join(APPLY_MODES)}")
        if self.audit_max_kb < 16:
            problems.append("audit_max_kb must be at least 16")
        if self.min_context_tokens < 512:
            problems.append("min_context_tokens must be at least 512")
        if self.context_window and self.context_window < 1024:
            problems.append("context_window must be 0 (ask the server) or at least 1024")
        if not re.fullmatch(r"[a-z]{2,3}", self.translate_target):
            problems.append(f"translate_target must be a language code such as en or de, not {self.translate_target!r}")
        if problems:
            raise SettingsError(problems)
        return self

    @property
    def host(self) -> str:
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


def _convert(name: str, kind: type, value: Any) -> Any:
    try:
        if kind is bool:
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError([f"{name} must be a {kind.__name__}, not {value!r}"]) from None


_TYPES = {"str": str, "float": float, "int": int, "bool": bool}

SETTING_FIELDS: tuple[SettingField, ...] = tuple(
    SettingField(f.name, _TYPES[str(f.type)], f.default, f.metadata["doc"]) for f in dataclasses.fields(Settings)
)


def settings_from_env(environ: Mapping[str, str], base: Settings | None = None) -> Settings:
    """``PLUME_BACKEND``, ``PLUME_BASE_URL``, ``PLUME_MODEL``... override ``base``."""
    values = dataclasses.asdict(base or Settings())
    for f in SETTING_FIELDS:
        key = "PLUME_" + f.name.upper()
        if key in environ:
            values[f.name] = environ[key]
    return Settings.from_mapping(values)
