"""The one door out: the route, redirects, credentials, the last check of the body, bounded
replies and stalls. Faults through ``httpx.MockTransport``; real sockets in
tests/integration/test_door_network.py."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.egress.door import Door
from plume.errors import (
    BackendTimeout,
    DestinationBlocked,
    InvalidReply,
    LeakPrevented,
    NeedsConfirmation,
    RedirectRefused,
    SettingsError,
)
from plume.pipeline import Generation
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.mock_http import Recorder, ndjson, ollama_chunks, openai_chunks, sse

LOCAL = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m")
OPERATOR = Settings(backend="openai", base_url="https://llm.operateur.example", model="m", approved_hosts="llm.operateur.example")
OLLAMA = Settings(backend="ollama", base_url="http://localhost:11434", model="m")
REQUEST = ChatRequest(model="m", messages=(Message("user", "Bonjour"),), max_tokens=32)
NIR = "2 69 05 49 588 157 80"
PROXIES = {
    "HTTP_PROXY": "http://proxy.example:3128",
    "HTTPS_PROXY": "http://proxy.example:3128",
    "ALL_PROXY": "socks5://proxy.example:1080",
}


def _redirect(request: httpx.Request) -> httpx.Response:
    return httpx.Response(307, headers={"Location": "https://collecte.example.net/v1/chat/completions"})


@pytest.mark.parametrize("settings", [LOCAL, OPERATOR, OLLAMA], ids=["openai-local", "openai-operator", "ollama"])
@pytest.mark.parametrize("call", ["chat", "models"])
def test_a_redirect_is_refused_and_names_where_the_server_tried_to_send(settings: Settings, call: str) -> None:
    recorder = Recorder(_redirect)
    backend = create_backend(settings, transport=recorder.transport)
    with pytest.raises(RedirectRefused) as raised:
        list(backend.stream_chat(REQUEST)) if call == "chat" else backend.list_models()
    assert "collecte.example.net" in str(raised.value)
    assert len(recorder.requests) == 1  # the redirect's target was never asked


def test_a_request_to_any_other_host_never_leaves() -> None:
    recorder = Recorder(lambda r: httpx.Response(200))
    door = Door(LOCAL, transport=recorder.transport)
    with door.build(httpx.Client) as client, pytest.raises(DestinationBlocked):
        client.post("http://127.0.0.2:8080/v1/chat/completions", json={})
    assert recorder.requests == []


def test_this_computer_is_never_reached_through_a_proxy() -> None:
    for settings in (LOCAL, OLLAMA, LOCAL.replace(base_url="http://[::1]:8080")):
        door = Door(settings, environ=PROXIES)
        assert door.route.proxy is None
        options = door.client_options()
        assert options["proxy"] is None and options["trust_env"] is False


def test_an_operator_is_reached_through_the_environments_proxy_unless_no_proxy_names_it() -> None:
    environ = {"HTTPS_PROXY": "http://user:secret@proxy.example:3128"}
    door = Door(OPERATOR, environ=environ)
    assert door.client_options()["proxy"] == "http://user:secret@proxy.example:3128"
    assert "secret" not in door.route.describe() and "proxy.example:3128" in door.route.describe()
    for no_proxy in ("llm.operateur.example", ".operateur.example", "operateur.example:443", "*"):
        assert Door(OPERATOR, environ={**environ, "NO_PROXY": no_proxy}).route.proxy is None
    assert Door(OPERATOR, environ={**environ, "no_proxy": "autre.example"}).route.proxy is not None


def test_a_socks_proxy_is_a_settings_error_for_an_operator_and_ignored_for_this_computer() -> None:
    with pytest.raises(SettingsError) as raised:
        Door(OPERATOR, environ={"ALL_PROXY": "socks5://user:pw@proxy.example:1080"})
    assert "pw" not in str(raised.value) and "http" in str(raised.value)
    assert Door(LOCAL, environ={"ALL_PROXY": "socks5://proxy.example:1080"}).route.proxy is None


def test_plain_http_to_an_operator_only_when_it_allows_it() -> None:
    plain = OPERATOR.replace(base_url="http://llm.operateur.example")
    with pytest.raises(DestinationBlocked):
        Door(plain)
    assert Door(plain.replace(allow_plain_http=True)).route.scheme == "http"


def test_only_the_doors_key_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_API_KEY", "cle-de-l-environnement")
    for key in ("", "cle-plume"):
        recorder = Recorder(lambda r: ndjson(ollama_chunks("Bonjour")))
        list(create_backend(OLLAMA, key, recorder.transport).stream_chat(REQUEST))
        assert recorder.requests[0].headers.get("Authorization") == (f"Bearer {key}" if key else None)


def _echo(request: httpx.Request) -> httpx.Response:
    if request.method == "GET":
        return httpx.Response(200, json={"data": [{"id": "m"}]})
    body = json.loads(request.content)
    return sse(openai_chunks("Réponse : " + body["messages"][-1]["content"][:200]))


def test_the_instruction_is_pseudonymised_and_shown_before_sending() -> None:
    recorder = Recorder(_echo)
    instruction = f"Ajoute que le NIR de l'usager est {NIR} et son courriel jean.valjean@exemple.fr"
    spec = ActionSpec("instruct", instruction=instruction)
    text = "Le dossier de l'usager est complet. Il sera examiné en commission."
    with pytest.raises(NeedsConfirmation) as raised:
        Generation(create_backend(OPERATOR.replace(operator_policy="warn"), transport=recorder.transport), OPERATOR, spec, text,
                   model="m")  # fmt: skip
    assert NIR not in raised.value.text and "jean.valjean" not in raised.value.text
    assert "[NIR_1]" in raised.value.text and raised.value.replaced == 2
    generation = Generation(create_backend(OPERATOR, transport=recorder.transport), OPERATOR, spec, text, model="m")
    answer = generation.run()
    sent = recorder.requests[0].content.decode()
    assert NIR not in sent and "jean.valjean" not in sent
    assert NIR in answer  # restored for the user


def test_the_last_check_stops_a_body_that_still_holds_personal_data() -> None:
    recorder = Recorder(_echo)
    door = Door(OPERATOR, transport=recorder.transport)
    assert door.protect("Contact : Mme Claire Durand.") == "Contact : Mme [NOM_1]."
    for leaked in (f"NIR {NIR}", "Claire Durand a rappelé", "écrire à claire.durand@mairie.example"):
        with door.build(httpx.Client) as client, pytest.raises(LeakPrevented):
            client.post(OPERATOR.base_url + "/v1/chat/completions", json={"messages": [{"role": "user", "content": leaked}]})
    assert recorder.requests == [] and door.prevented == 3 and door.requests == 0


def test_a_value_masked_once_stays_masked_in_every_later_request_of_the_run() -> None:
    recorder = Recorder(_echo)
    backend = create_backend(OPERATOR, transport=recorder.transport)
    first = Generation(backend, OPERATOR, ActionSpec("summarize"), "Reçu Mme Claire Durand pour son dossier.", model="m")
    assert "Claire Durand" in first.run()
    # A later pass sends an earlier answer back: the name alone, which detection would miss.
    second = Generation(backend, OPERATOR, ActionSpec("summarize"), "Claire Durand : dossier reçu.", model="m")
    second.run()
    assert all("Claire Durand" not in r.content.decode() for r in recorder.requests)
    assert json.loads(recorder.requests[1].content)["messages"][-1]["content"].startswith("[NOM_1]")


def test_a_reply_larger_than_any_answer_is_stopped() -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        def stream() -> Iterator[bytes]:
            yield b'data: {"choices":[{"index":0,"delta":{"content":"'
            for _ in range(2000):
                yield b"x" * 8192  # one 16 MB "token"
            yield b'"}}]}\n\n'

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream())

    with pytest.raises(InvalidReply, match="exceeds"):
        list(create_backend(LOCAL.replace(max_output_tokens=64), transport=httpx.MockTransport(endless)).stream_chat(REQUEST))


@pytest.mark.timeout(30)
def test_sse_comments_do_not_keep_a_run_alive_past_read_timeout() -> None:
    def trickle(request: httpx.Request) -> httpx.Response:
        def stream() -> Iterator[bytes]:
            yield b'data: {"choices":[{"index":0,"delta":{"content":"Le "}}]}\n\n'
            while True:
                time.sleep(0.02)
                yield b": keep-alive\n\n"

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream())

    with pytest.raises(BackendTimeout):  # the trickle never ends: only the idle limit ends the run
        list(create_backend(LOCAL.replace(read_timeout=0.3), transport=httpx.MockTransport(trickle)).stream_chat(REQUEST))


def test_empty_ollama_parts_do_not_keep_a_run_alive_past_read_timeout() -> None:
    def trickle(request: httpx.Request) -> httpx.Response:
        def stream() -> Iterator[bytes]:
            part = {
                "model": "m",
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": ""},
                "done": False,
            }
            while True:
                time.sleep(0.02)
                yield (json.dumps(part) + "\n").encode()

        return httpx.Response(200, headers={"content-type": "application/x-ndjson"}, content=stream())

    with pytest.raises(BackendTimeout):
        list(create_backend(OLLAMA.replace(read_timeout=0.3), transport=httpx.MockTransport(trickle)).stream_chat(REQUEST))


def test_an_ollama_server_answering_a_json_list_is_an_invalid_reply() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json=[{"name": "m"}]))
    with pytest.raises(InvalidReply):
        create_backend(OLLAMA, transport=transport).list_models()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_refusal_tells_the_user_what_happened_and_what_to_do(lang: str) -> None:
    from plume.i18n import describe_error

    errors = [
        DestinationBlocked("a.example", "x", "unapproved"),
        DestinationBlocked("a.example", "x", "policy"),
        DestinationBlocked("a.example", "x", "plain_http"),
        DestinationBlocked("a.example", "x", "other_host"),
        RedirectRefused(307, "https://collecte.example.net/x", url="https://a.example/v1/chat/completions"),
        LeakPrevented(["NIR", "EMAIL"]),
    ]
    messages = [describe_error(error, lang) for error in errors]
    assert len(set(messages)) == len(messages)
    assert all("a.example" in m for m in messages[:5]) and "collecte.example.net" in messages[4]
    assert "EMAIL, NIR" in messages[5]


@pytest.mark.parametrize("body", [[{"id": "m"}], {"data": {"id": "m"}}, "texte", 12])
def test_an_openai_model_list_of_another_shape_is_an_invalid_reply(body: object) -> None:
    backend = create_backend(LOCAL, transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
    with pytest.raises(InvalidReply):
        backend.list_models()
    with pytest.raises(InvalidReply):
        backend.context_limit("m")  # type: ignore[attr-defined]


def test_no_door_opens_for_invalid_settings() -> None:
    with pytest.raises(SettingsError):
        Door(LOCAL.replace(base_url="http://[::1"))


def test_a_confirmation_holds_for_the_text_the_user_saw_only() -> None:
    from plume.longdoc import blocks_from_text, require_confirmation

    warn = OPERATOR.replace(operator_policy="warn")
    spec = ActionSpec("summarize")
    shown = blocks_from_text(f"Dossier de Mme Claire Durand, NIR {NIR}.")
    with pytest.raises(NeedsConfirmation) as raised:
        require_confirmation(warn, spec, shown, "")
    require_confirmation(warn, spec, shown, raised.value.token)  # what was shown: sent
    edited = blocks_from_text(f"Dossier de Mme Claire Durand, NIR {NIR}, courriel claire.durand@exemple.fr.")
    with pytest.raises(NeedsConfirmation):
        require_confirmation(warn, spec, edited, raised.value.token)  # edited since: shown again
    with pytest.raises(NeedsConfirmation):
        require_confirmation(warn, ActionSpec("instruct", instruction="Ajoute mon numéro 06 12 34 56 78"), shown,
                             raised.value.token)  # fmt: skip
    require_confirmation(warn, spec, edited, True)  # the command line shows what it reads itself


def _hidden_forms(text: str) -> str:
    """``text`` as a PDF paste or a hostile document may hold it: decomposed accents, digits
    in full width, an invisible character inside a number."""
    import unicodedata

    full_width = {ord(d): chr(0xFF10 + int(d)) for d in "0123456789"}
    return unicodedata.normalize("NFD", text).replace("06 12", "06\u200b12").translate(full_width)


def test_the_preview_and_redact_hide_what_the_door_hides() -> None:
    from plume.cli import main
    from plume.longdoc.run import what_is_sent

    text = _hidden_forms(f"Mme Hélène Lefèvre, née le 3 février 1980, tél. 06 12 34 56 78, NIR {NIR}.")
    door = Door(OPERATOR)
    sent = door.protect(text)
    shown, count = what_is_sent(OPERATOR, ActionSpec("summarize"), text)
    assert shown == sent and count == door.masked == 4
    import io

    out = io.StringIO()
    assert main(["redact"], stdin=io.StringIO(text), stdout=out) == 0
    assert out.getvalue().splitlines()[0] == sent
