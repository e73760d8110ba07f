"""What IT departments configure: proxies from the environment and an internal CA
(``ca_bundle``), over real sockets on loopback."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from plume.backends.base import create_backend
from plume.errors import CertificateError
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.faulty_server import FaultyServer

REQUEST = ChatRequest(model="smollm2", messages=(Message("user", "Bonjour"),))


def test_requests_go_through_the_proxy_from_the_environment(faulty: FaultyServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", faulty.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    settings = Settings(
        backend="openai",
        base_url="http://llm.mairie.invalid/complete",
        model="smollm2",
        approved_hosts="llm.mairie.invalid",
        allow_plain_http=True,
    )
    assert "".join(create_backend(settings).stream_chat(REQUEST)) == "Le conseil."
    assert faulty.paths == ["http://llm.mairie.invalid/complete/v1/chat/completions"]


@pytest.fixture
def internal_ca(tmp_path: Path) -> Path:
    """A throwaway CA-signed certificate for 127.0.0.1, as an internal PKI would issue."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=tmp_path)

    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=Mairie test CA",
    )
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (tmp_path / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "san.ext",
    )
    return tmp_path


@pytest.fixture
def https_server(internal_ca: Path) -> Iterator[FaultyServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(internal_ca / "server.pem", internal_ca / "server.key")
    with FaultyServer(tls=context) as server:
        yield server


def test_an_internal_ca_is_refused_by_default(https_server: FaultyServer) -> None:
    settings = Settings(backend="openai", base_url=https_server.url + "/complete", model="smollm2")
    with pytest.raises(CertificateError):
        list(create_backend(settings).stream_chat(REQUEST))


def test_the_ca_bundle_setting_trusts_it(https_server: FaultyServer, internal_ca: Path) -> None:
    settings = Settings(
        backend="openai", base_url=https_server.url + "/complete", model="smollm2", ca_bundle=str(internal_ca / "ca.pem")
    )
    assert "".join(create_backend(settings.validate()).stream_chat(REQUEST)) == "Le conseil."
