from __future__ import annotations

import ssl

import httpx
import pytest

from plume.backends.base import create_backend
from plume.errors import (
    AuthenticationError,
    BackendTimeout,
    CertificateError,
    HTTPStatusError,
    InvalidReply,
    ModelNotFound,
    Unreachable,
)
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.mock_http import Recorder, openai_chunks, raising, sse

SETTINGS = Settings(backend="openai", base_url="https://albert.example/v1", model="m", approved_hosts="albert.example")
REQUEST = ChatRequest(model="m", messages=(Message("user", "Bonjour"),), max_tokens=50)


def _stream(handler, api_key: str = "k") -> list[str]:  # type: ignore[no-untyped-def]
    recorder = handler if isinstance(handler, Recorder) else Recorder(handler)
    return list(create_backend(SETTINGS, api_key, recorder.transport).stream_chat(REQUEST))


def test_streams_pieces_and_sends_only_the_shared_fields() -> None:
    recorder = Recorder(lambda r: sse(openai_chunks("Le ", "conseil")))
    assert _stream(recorder) == ["Le ", "conseil"]
    request, body = recorder.requests[0], recorder.bodies[0]
    assert request.url == "https://albert.example/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer k"
    assert set(body) == {"model", "messages", "stream", "temperature", "max_tokens"}
    assert body["stream"] is True and body["max_tokens"] == 50


def test_no_key_no_authorization_header() -> None:
    recorder = Recorder(lambda r: sse(openai_chunks("x")))
    _stream(recorder, api_key="")
    assert "authorization" not in recorder.requests[0].headers


def test_stream_without_done_marker_is_complete() -> None:
    assert _stream(lambda r: sse(openai_chunks("a", "b", done=False))) == ["a", "b"]


def test_server_ignoring_stream_answers_json() -> None:
    answer = {"choices": [{"message": {"role": "assistant", "content": "Tout"}}]}
    assert _stream(lambda r: httpx.Response(200, json=answer)) == ["Tout"]


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        (401, {"error": {"message": "Invalid API key"}}, AuthenticationError),
        (403, {"detail": "Forbidden"}, AuthenticationError),
        (404, {"error": {"message": "The model `m` does not exist"}}, ModelNotFound),
        (400, {"error": {"message": "model 'm' not found"}}, ModelNotFound),
        (500, {"error": {"message": "CUDA out of memory"}}, HTTPStatusError),
        (502, "<html>Bad gateway</html>", HTTPStatusError),
    ],
)
def test_status_errors_carry_the_server_message(status: int, body: object, error_class: type) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body) if isinstance(body, dict) else httpx.Response(status, text=str(body))

    with pytest.raises(error_class) as raised:
        _stream(handler)
    error = raised.value
    assert isinstance(error, HTTPStatusError) and error.status == status
    expected = next(iter(body.values())) if isinstance(body, dict) else body
    expected = expected["message"] if isinstance(expected, dict) else expected
    assert str(expected).split()[0] in error.server_message
    assert "\n" not in str(error)


def test_malformed_stream_is_an_invalid_reply() -> None:
    with pytest.raises(InvalidReply):
        _stream(lambda r: sse([*openai_chunks("ok", done=False), "{not json"]))


def test_unexpected_chunk_shape_is_an_invalid_reply() -> None:
    with pytest.raises(InvalidReply):
        _stream(lambda r: sse(['{"choices": "nope"}']))


def test_error_event_mid_stream_is_a_status_error() -> None:
    with pytest.raises(HTTPStatusError) as raised:
        _stream(lambda r: sse([*openai_chunks("a", done=False), '{"error": {"message": "overloaded", "code": 503}}']))
    assert raised.value.status == 503


def _caused(error: Exception, cause: Exception) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ConnectError("Connection refused"), Unreachable),
        (httpx.ConnectTimeout("slow"), BackendTimeout),
        (httpx.ReadTimeout("slow first byte"), BackendTimeout),
        (httpx.RemoteProtocolError("peer closed connection"), InvalidReply),
        (
            _caused(httpx.ConnectError("[SSL] failed"), _caused(Exception("httpcore"), ssl.SSLCertVerificationError())),
            CertificateError,
        ),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] only the words"), Unreachable),  # the class decides
    ],
)
def test_transport_errors_are_converted(error: Exception, expected: type) -> None:
    with pytest.raises(expected):
        _stream(raising(error))


def test_models_are_listed() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"object": "list", "data": [{"id": "albert-large"}, {"id": "b"}]}))
    backend = create_backend(SETTINGS, "", recorder.transport)
    assert [m.name for m in backend.list_models()] == ["albert-large", "b"]
    assert recorder.requests[0].url == "https://albert.example/v1/models"


def test_url_without_v1_gets_it() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"data": []}))
    create_backend(SETTINGS.replace(base_url="http://localhost:8080/"), "", recorder.transport).list_models()
    assert recorder.requests[0].url == "http://localhost:8080/v1/models"


def test_tls_verification_is_on_with_an_extra_ca(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from plume.egress.door import Door

    options = Door(SETTINGS).client_options()
    assert isinstance(options["verify"], ssl.SSLContext)
    assert options["verify"].verify_mode == ssl.CERT_REQUIRED
    assert Door(SETTINGS.replace(verify_tls=False)).client_options()["verify"] is False
