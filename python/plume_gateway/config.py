"""The gateway's configuration: one TOML file (read with :mod:`tomllib`), or, to try it in one
command, an upstream URL and the ``PLUME_*`` environment (loopback only, no key).

The file::

    [server]
    host = "127.0.0.1"            # TLS is the reverse proxy's job: listen behind it
    port = 8088
    origins = ["https://office.example.org"]   # Collabora Online's, for the browser's calls (CORS)
    audit_log = "/var/log/plume-gateway/audit.jsonl"
    upstream_models = ["mistral-small"]        # the upstream models IT allows; empty: all it lists
    actions = true                             # offer Plume's actions as models plume-<id>
    max_body_kb = 8192
    shutdown_seconds = 30                      # how long running streams may finish on SIGTERM

    [plume]                       # Plume's settings, named as in plume.settings (base_url, approved_hosts...)
    backend = "openai"
    base_url = "https://albert.api.etalab.gouv.fr"
    approved_hosts = "albert.api.etalab.gouv.fr"

    [[keys]]
    name = "collabora"
    hash = "sha256:..."           # python -m plume gateway hash-key
    models = ["*"]                # fnmatch patterns over model names, virtual ones included
    requests_per_minute = 120     # 0: no limit

The upstream's API key is never in the file: ``PLUME_API_KEY`` in the environment.
:func:`load` returns a :class:`GatewayConfig` or raises :class:`ConfigError` with one line per
problem; nothing is half-applied.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from plume.errors import SettingsError
from plume.settings import Settings, settings_from_env

from .keys import Key, parse_hash

DEFAULT_PORT = 8088
LOOPBACK = "127.0.0.1"


class ConfigError(Exception):
    """The configuration cannot be used: one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class GatewayConfig:
    settings: Settings
    api_key: str = ""  # the upstream's, from PLUME_API_KEY
    host: str = LOOPBACK
    port: int = DEFAULT_PORT
    origins: tuple[str, ...] = ()
    keys: tuple[Key, ...] = ()
    require_key: bool = True  # False only without a file: loopback, for one user trying it
    audit_log: Path = field(default_factory=lambda: default_audit_path(os.environ))
    upstream_models: tuple[str, ...] = ()
    actions: bool = True
    max_body_bytes: int = 8 * 1024 * 1024
    shutdown_seconds: float = 30.0
    source: str = ""  # the file it came from, for the logs

    @property
    def api_root(self) -> str:
        """The upstream's ``/v1`` address: with or without the suffix in ``base_url``, as
        operators document both (the same reading as the ``openai`` backend's)."""
        root = self.settings.base_url.rstrip("/")
        return root if root.endswith("/v1") else root + "/v1"


def default_audit_path(environ: Mapping[str, str]) -> Path:
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "plume" / "gateway-audit.jsonl"


_SERVER_KEYS = {"host", "port", "origins", "audit_log", "upstream_models", "actions", "max_body_kb", "shutdown_seconds"}
_KEY_KEYS = {"name", "hash", "models", "requests_per_minute"}


def for_upstream(url: str, port: int, environ: Mapping[str, str]) -> GatewayConfig:
    """No file: the ``PLUME_*`` settings with ``url`` as the server, on loopback, no key."""
    settings = settings_from_env(environ).replace(backend="openai", base_url=url)
    problems: list[str] = []
    settings = _valid_settings(settings, problems)
    if not 0 < port < 65536:
        problems.append(f"--port must be between 1 and 65535, not {port}")
    if problems:
        raise ConfigError(problems)
    return GatewayConfig(
        settings=settings, api_key=environ.get("PLUME_API_KEY", ""), port=port, require_key=False,
        audit_log=default_audit_path(environ), source="--upstream",
    )  # fmt: skip


def load(path: Path, environ: Mapping[str, str]) -> GatewayConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError([f"{path}: cannot be read: {error.strerror or error}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path}: not valid TOML: {error}"]) from None
    return from_mapping(data, environ, source=str(path))


def from_mapping(data: Mapping[str, Any], environ: Mapping[str, str], source: str = "") -> GatewayConfig:
    problems: list[str] = []
    for name in sorted(set(data) - {"server", "plume", "keys"}):
        problems.append(f"unknown section [{name}] (known: server, plume, keys)")
    server = _table(data, "server", problems)
    plume = _table(data, "plume", problems)
    for name in sorted(set(server) - _SERVER_KEYS):
        problems.append(f"[server] {name}: unknown setting (known: {', '.join(sorted(_SERVER_KEYS))})")
    known = {f.name for f in fields(Settings)}
    for name in sorted(set(plume) - known):
        problems.append(f"[plume] {name}: not a Plume setting")
    settings = _valid_settings(Settings.from_mapping({**plume, "backend": "openai"}), problems) if "base_url" in plume else None
    if settings is None and "base_url" not in plume:
        problems.append("[plume] base_url is missing: the upstream server's address")
    host = _string(server, "host", LOOPBACK, problems)
    port = _integer(server, "port", DEFAULT_PORT, problems)
    if not 0 < port < 65536:
        problems.append(f"[server] port must be between 1 and 65535, not {port}")
    origins = tuple(_strings(server, "origins", problems))
    for origin in origins:
        if _origin_problem(origin):
            problems.append(f"[server] origins: {origin!r} {_origin_problem(origin)}")
    upstream_models = tuple(_strings(server, "upstream_models", problems))
    actions = server.get("actions", True)
    if not isinstance(actions, bool):
        problems.append("[server] actions must be true or false")
    max_body_kb = _integer(server, "max_body_kb", 8192, problems)
    if max_body_kb < 16:
        problems.append("[server] max_body_kb must be at least 16")
    shutdown = server.get("shutdown_seconds", 30)
    if isinstance(shutdown, bool) or not isinstance(shutdown, (int, float)) or not 0 <= shutdown <= 3600:
        problems.append("[server] shutdown_seconds must be a number of seconds between 0 and 3600")
        shutdown = 30
    audit = _string(server, "audit_log", "", problems)
    keys = _keys(data.get("keys", []), problems)
    if not data.get("keys"):
        problems.append("no [[keys]]: every client needs a key (python -m plume gateway hash-key makes one)")
    if problems or settings is None:
        raise ConfigError(problems)
    return GatewayConfig(
        settings=settings, api_key=environ.get("PLUME_API_KEY", ""), host=host, port=port, origins=origins,
        keys=keys, audit_log=Path(audit) if audit else default_audit_path(environ), upstream_models=upstream_models,
        actions=bool(actions), max_body_bytes=max_body_kb * 1024, shutdown_seconds=float(shutdown), source=source,
    )  # fmt: skip


def _valid_settings(settings: Settings, problems: list[str]) -> Settings:
    try:
        return settings.validate()
    except SettingsError as error:
        problems += [f"[plume] {problem}" for problem in error.problems]
        return settings


def _origin_problem(origin: str) -> str:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        return "must be scheme://host[:port], as a browser sends it"
    return ""


def _table(data: Mapping[str, Any], name: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"[{name}] must be a table")
        return {}
    return value


def _string(table: Mapping[str, Any], name: str, default: str, problems: list[str]) -> str:
    value = table.get(name, default)
    if not isinstance(value, str):
        problems.append(f"[server] {name} must be a string")
        return default
    return value


def _integer(table: Mapping[str, Any], name: str, default: int, problems: list[str]) -> int:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"[server] {name} must be a whole number")
        return default
    return value


def _strings(table: Mapping[str, Any], name: str, problems: list[str], section: str = "server") -> list[str]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"[{section}] {name} must be a list of non-empty strings")
        return []
    return list(value)


def _keys(value: Any, problems: list[str]) -> tuple[Key, ...]:
    if not isinstance(value, list):
        problems.append("keys must be [[keys]] tables")
        return ()
    keys: list[Key] = []
    names: set[str] = set()
    hashes: set[str] = set()
    for index, entry in enumerate(value, 1):
        where = f"[[keys]] #{index}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a table")
            continue
        for name in sorted(set(entry) - _KEY_KEYS):
            problems.append(f"{where}: unknown setting {name} (known: {', '.join(sorted(_KEY_KEYS))})")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: name is missing")
            continue
        where = f"[[keys]] {name!r}"
        if name in names:
            problems.append(f"{where}: declared twice")
        names.add(name)
        digest = parse_hash(entry.get("hash"))
        if digest is None:
            problems.append(f"{where}: hash must be 'sha256:' and 64 hex digits (python -m plume gateway hash-key)")
            continue
        if digest in hashes:
            problems.append(f"{where}: the same key as another entry")
        hashes.add(digest)
        models = _strings(entry, "models", problems, where) if "models" in entry else ["*"]
        rate = entry.get("requests_per_minute", 0)
        if isinstance(rate, bool) or not isinstance(rate, int) or rate < 0:
            problems.append(f"{where}: requests_per_minute must be a whole number, 0 for no limit")
            rate = 0
        keys.append(Key(name=name, digest=digest, models=tuple(models), requests_per_minute=rate))
    return tuple(keys)
