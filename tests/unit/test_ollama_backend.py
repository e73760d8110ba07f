from __future__ import annotations

import json

import httpx
import pytest

from plume.backends.base import create_backend
from plume.errors import HTTPStatusError, InvalidReply, ModelNotFound, Unreachable
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.mock_http import Recorder, ndjson, ollama_chunks, raising

SETTINGS = Settings(
    backend="ollama",
    base_url="https://gpu.mairie.example:11434",
    model="mistral",
    keep_alive="30m",
    approved_hosts="gpu.mairie.example",
)
REQUEST = ChatRequest(model="mistral", messages=(Message("user", "Bonjour"),), max_tokens=64, context_tokens=8192)


def _stream(recorder: Recorder) -> list[str]:
    return list(create_backend(SETTINGS, "", recorder.transport).stream_chat(REQUEST))


def test_native_chat_streams_with_num_ctx_and_keep_alive() -> None:
    recorder = Recorder(lambda r: ndjson(ollama_chunks("Le ", "conseil")))
    assert _stream(recorder) == ["Le ", "conseil"]
    assert recorder.requests[0].url == "https://gpu.mairie.example:11434/api/chat"
    body = recorder.bodies[0]
    assert body["stream"] is True and body["keep_alive"] == "30m"
    assert body["options"]["num_ctx"] == 8192 and body["options"]["num_predict"] == 64


def test_missing_model_is_model_not_found() -> None:
    recorder = Recorder(lambda r: httpx.Response(404, json={"error": "model 'mistral' not found"}))
    with pytest.raises(ModelNotFound) as raised:
        _stream(recorder)
    assert "not found" in raised.value.server_message


def test_server_error_keeps_its_message() -> None:
    recorder = Recorder(lambda r: httpx.Response(500, json={"error": "llama runner process has terminated"}))
    with pytest.raises(HTTPStatusError) as raised:
        _stream(recorder)
    assert raised.value.status == 500 and "llama runner" in raised.value.server_message


def test_error_line_mid_stream() -> None:
    recorder = Recorder(lambda r: ndjson([*ollama_chunks("a")[:1], json.dumps({"error": "out of memory"})]))
    with pytest.raises(HTTPStatusError):
        _stream(recorder)


def test_malformed_line_is_an_invalid_reply() -> None:
    with pytest.raises(InvalidReply):
        _stream(Recorder(lambda r: ndjson([*ollama_chunks("a")[:1], "{oops"])))


def test_unreachable() -> None:
    with pytest.raises(Unreachable):
        _stream(Recorder(raising(httpx.ConnectError("refused"))))


def test_models_from_tags() -> None:
    tags = {
        "models": [
            {
                "model": "mistral:latest",
                "name": "mistral:latest",
                "size": 4_100_000_000,
                "details": {"family": "llama", "parameter_size": "7B"},
            }
        ]
    }
    recorder = Recorder(lambda r: httpx.Response(200, json=tags))
    models = create_backend(SETTINGS, "", recorder.transport).list_models()
    assert recorder.requests[0].url.path == "/api/tags"
    assert models[0].name == "mistral:latest" and models[0].size_bytes == 4_100_000_000
    assert models[0].details["parameter_size"] == "7B"
