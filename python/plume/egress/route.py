"""Where a request goes and how: the destination the policy allowed, and the proxy on the
way, if any. This computer is never reached through a proxy (a proxy would receive the
whole text and the key while the user is told the text stays here); an approved operator is
reached through the environment's proxy, which is part of the route ``doctor`` and the
sidebar show. Plain ``http`` leaves the machine only if IT allows it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from ..destination import Destination
from ..errors import DestinationBlocked, SettingsError
from ..settings import Settings
from ..shield.policy import Decision, check_allowed

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Route:
    scheme: str
    host: str
    port: int
    destination: Destination
    proxy: str | None = None  # the proxy's URL as the client needs it (credentials included)

    @property
    def proxy_shown(self) -> str:
        """The proxy without its credentials: what may be printed."""
        return redact(self.proxy) if self.proxy else ""

    def describe(self) -> str:
        where = f"{self.scheme}://{self.host}:{self.port}"
        return f"{where} through the proxy {self.proxy_shown}" if self.proxy else f"{where}, direct"


def redact(url: str) -> str:
    """``url`` without user name and password."""
    try:
        parts = urlsplit(url)
        netloc = parts.hostname or ""
        if ":" in netloc:
            netloc = f"[{netloc}]"
        if parts.port:
            netloc += f":{parts.port}"
    except ValueError:
        return "(unreadable URL)"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def route_for(settings: Settings, environ: Mapping[str, str], decision: Decision | None = None) -> Route:
    """The route to the configured server, or :class:`DestinationBlocked` /
    :class:`SettingsError` before anything is sent. ``decision``: the policy's, when the
    caller already has it."""
    decision = decision or check_allowed(settings)
    try:
        parts = urlsplit(settings.base_url)
        scheme, host, port = parts.scheme, (parts.hostname or ""), parts.port
    except ValueError:
        raise SettingsError([f"base_url is not a valid URL: {redact(settings.base_url)}"]) from None
    if scheme not in _DEFAULT_PORTS or not host:
        raise SettingsError([f"base_url must be an http(s) URL, not {redact(settings.base_url)}"])
    port = port or _DEFAULT_PORTS[scheme]
    if decision.destination.kind == "local":
        return Route(scheme, host, port, decision.destination)
    if scheme == "http" and not settings.allow_plain_http:
        raise DestinationBlocked(
            host, "plain http to an operator is not allowed (use https, or IT sets allow_plain_http)", "plain_http"
        )
    return Route(scheme, host, port, decision.destination, _proxy(scheme, host, port, environ))


def _proxy(scheme: str, host: str, port: int, environ: Mapping[str, str]) -> str | None:
    def env(name: str) -> str:
        return (environ.get(name.lower()) or environ.get(name.upper()) or "").strip()

    proxy = env(f"{scheme}_proxy") or env("all_proxy")
    if not proxy:
        return None
    no_proxy = env("no_proxy")
    if _bypassed(host.lower(), port, no_proxy):
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy  # as curl and httpx read "proxy:3128"
    try:
        parts = urlsplit(proxy)
        parts.port  # noqa: B018 - raises on an unreadable port
    except ValueError:
        raise SettingsError([f"the proxy in the environment is not a valid URL: {redact(proxy)}"]) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            [f"the proxy {redact(proxy)} is not supported: Plume goes through http(s) proxies only (set HTTPS_PROXY to one)"]
        )
    return proxy


def _bypassed(host: str, port: int, no_proxy: str) -> bool:
    """NO_PROXY as curl reads it: ``*``, host names (a domain matches its subdomains, with
    or without a leading dot), each optionally with ``:port``."""
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if entry == "*":
            return True
        match = re.fullmatch(r"\.?(\[[^\]]+\]|[^:]+)(?::(\d+))?", entry)
        if not match:
            continue
        name, only_port = match.group(1).strip("[]"), match.group(2)
        if only_port and int(only_port) != port:
            continue
        if host == name or host.endswith("." + name):
            return True
    return False
