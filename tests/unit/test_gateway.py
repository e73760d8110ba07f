"""The gateway in process (ASGI app, scripted upstream through the door's transport): the
routes as Collabora Online calls them, pseudonymisation across rounds, restoration in text and
tool-call arguments, access (401, 429, CORS), refusals before the upstream, upstream faults."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_support import (
    KEY,
    MODEL,
    ORIGIN,
    OTHER_KEY,
    Upstream,
    auth,
    completion,
    config,
    delta,
    events,
    running,
    sse,
    streamed_calls,
    streamed_text,
)

from plume.actions.prompts import ActionSpec, build_messages
from plume.actions.registry import BUILTINS
from plume.language import guess_language
from plume_gateway.app import State
from plume_gateway.config import ConfigError
from plume_gateway.keys import hash_line
from support import collabora_requests as collabora
from support.personal_data import email, phone


def _email(seed: int) -> str:
    """A generated e-mail address in its plain form (some generator forms write "(at)")."""
    rng = random.Random(seed)
    for _ in range(50):
        value = email(rng)
        if "@" in value:
            return value
    raise AssertionError("no plain e-mail generated")


def _sent(upstream: Upstream) -> str:
    return "\n".join(request.content.decode("utf-8") for request in upstream.received)


def _placeholders(body: dict[str, Any]) -> list[str]:
    import re

    return re.findall(r"\[[A-Z]+_\d+\]", json.dumps(body, ensure_ascii=False))


# --- models -----------------------------------------------------------------------------------


def test_the_model_list_holds_the_allowed_upstream_models_and_plumes_actions(tmp_path: Path) -> None:
    upstream = Upstream()
    with running(config(tmp_path, server={"upstream_models": [MODEL]}), upstream) as client:
        answer = client.get("/v1/models", headers=auth())
        # The base URL typed with /v1 (CollaboraOnline/online#16001) reaches the same route.
        doubled = client.get("/v1/v1/models", headers=auth())
        limited = client.get("/v1/models", headers=auth(OTHER_KEY))
    ids = [m["id"] for m in answer.json()["data"]]
    assert answer.status_code == 200 and doubled.json() == answer.json()
    assert MODEL in ids and "big" not in ids  # IT allows one upstream model
    assert {"plume-summarize", "plume-rewrite-formal", "plume-draft"} <= set(ids)
    assert "plume-translate" not in ids and "plume-instruct" not in ids  # need what one message cannot say
    assert [m["id"] for m in limited.json()["data"]] == [i for i in ids if i.startswith("plume-")]


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, auth("plume-gw-wrong-key-000000000000"), {"Authorization": f"Basic {KEY}"}])
def test_a_missing_or_wrong_key_gets_401_in_openai_format_and_nothing_reaches_the_upstream(
    tmp_path: Path, headers: dict[str, str]
) -> None:
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        chat = client.post("/v1/chat/completions", json=collabora.rewrite("Shorter", "Un texte.", MODEL), headers=headers)
        models = client.get("/v1/models", headers=headers)
    for answer in (chat, models):
        assert answer.status_code == 401
        assert answer.json()["error"]["type"] == "authentication_error" and answer.json()["error"]["message"]
    assert upstream.received == []


def test_past_its_rate_a_key_gets_429_with_retry_after(tmp_path: Path) -> None:
    upstream = Upstream()
    keys = [{"name": "collabora", "hash": hash_line(KEY), "requests_per_minute": 2}]
    with running(config(tmp_path, keys=keys), upstream) as client:
        codes = [client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL), headers=auth()) for _ in range(3)]
    assert [c.status_code for c in codes] == [200, 200, 429]
    assert codes[2].json()["error"]["type"] == "rate_limit_error" and int(codes[2].headers["retry-after"]) >= 1
    assert len(upstream.bodies) == 2


def test_a_key_cannot_use_a_model_it_is_not_given(tmp_path: Path) -> None:
    upstream = Upstream()
    with running(config(tmp_path, server={"upstream_models": [MODEL]}), upstream) as client:
        not_for_key = client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL), headers=auth(OTHER_KEY))
        not_allowed = client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", "big"), headers=auth())
    assert not_for_key.status_code == not_allowed.status_code == 404
    assert not_for_key.json()["error"]["code"] == "model_not_found"
    assert upstream.received == []


def test_cors_headers_only_for_the_configured_origin(tmp_path: Path) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    with running(config(tmp_path), Upstream()) as client:
        ours = client.get("/v1/models", headers={**auth(), "Origin": ORIGIN})
        ours_preflight = client.options("/v1/chat/completions", headers={**preflight, "Origin": ORIGIN})
        foreign = client.get("/v1/models", headers={**auth(), "Origin": "https://evil.example"})
        foreign_preflight = client.options("/v1/chat/completions", headers={**preflight, "Origin": "https://evil.example"})
    assert ours.headers["access-control-allow-origin"] == ORIGIN
    assert ours_preflight.status_code == 204
    assert "authorization" in ours_preflight.headers["access-control-allow-headers"].lower()
    for answer in (foreign, foreign_preflight):
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")]
    assert foreign_preflight.status_code == 403


# --- pseudonymisation and restoration ---------------------------------------------------------------


def test_a_rewrite_is_masked_upstream_and_restored_downstream(tmp_path: Path) -> None:
    mail, tel = _email(1), phone(random.Random(2))
    upstream = Upstream(lambda request, body: completion("Veuillez écrire à [EMAIL_1] ou appeler le [TEL_1]."))
    with running(config(tmp_path), upstream) as client:
        answer = client.post(
            "/v1/chat/completions",
            json=collabora.rewrite("Make it formal", f"Écrire à {mail}, tél. {tel}.", MODEL),
            headers=auth(),
        )
    assert answer.status_code == 200
    text = answer.json()["choices"][0]["message"]["content"]
    assert mail in text and tel in text and "[" not in text
    sent = _sent(upstream)
    assert mail not in sent and tel not in sent and "[EMAIL_1]" in sent and "[TEL_1]" in sent
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["client"] == "collabora" and audit[-1]["pseudonymised"] == 2 and audit[-1]["outcome"] == "done"
    assert mail not in json.dumps(audit) and "Make it formal" not in json.dumps(audit)


def test_a_streamed_placeholder_cut_across_chunks_is_restored(tmp_path: Path) -> None:
    mail = _email(3)
    pieces = ["Écrivez à [EM", "AIL", "_1", "] pour ", "la suite [EMAIL_", "1]. Merci [EMAIL_", "1]"]
    # The last chunk carries text and the finish reason together, as most servers send it; its
    # last letter may start a label ("n": NOM) and is held back until the finish.
    upstream = Upstream(lambda request, body: sse([delta(p) for p in pieces] + [delta(" à bientôt, Marion", finish="stop")]))
    with running(config(tmp_path), upstream) as client:
        answer = client.post(
            "/v1/chat/completions",
            json=collabora.chat("Réponds", MODEL, selected=f"Contact : {mail}", stream=True),
            headers=auth(),
        )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/event-stream")
    assert streamed_text(answer.text) == f"Écrivez à {mail} pour la suite {mail}. Merci {mail} à bientôt, Marion"
    assert events(answer.text)[-1] == "[DONE]"
    assert mail not in _sent(upstream)


def test_tool_call_arguments_are_restored_streamed_or_not_also_cut_and_escaped(tmp_path: Path) -> None:
    """A tool call that inserts text inserts the real values: the arguments' placeholder cut
    across chunks, a nested JSON argument (Collabora's "transform"), JSON escapes."""
    mail, tel = "élodie.lefèvre@mairie-évry.fr", phone(random.Random(5))
    transform = json.dumps({"Transforms": {"SlideCommands": [{"EditTextObject.0": "Contact [EMAIL_1]"}]}})
    arguments = (
        json.dumps({"transform": transform, "summary": "Appeler le \\u005bTEL_1\\u005d"})
        .replace("\\\\u005b", "\\u005b")
        .replace("\\\\u005d", "\\u005d")
    )
    cut = [arguments[:25], arguments[25:60], arguments[60:]]
    calls = [
        {
            "index": 0,
            "id": "abc123XYZ",
            "type": "function",
            "function": {"name": "transform_document_structure", "arguments": cut[0]},
        }
    ]
    calls += [{"index": 0, "function": {"arguments": piece}} for piece in cut[1:]]

    def reply(request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if body.get("stream"):
            return sse([delta(calls=[c]) for c in calls] + [delta(finish="tool_calls")])
        call = {
            "id": "abc123XYZ",
            "type": "function",
            "function": {"name": "transform_document_structure", "arguments": arguments},
        }
        return completion(None, [call])

    upstream = Upstream(reply)
    request = collabora.chat("Ajoute une diapositive", MODEL, selected=f"Écrire à {mail}, tél. {tel}")
    with running(config(tmp_path), upstream) as client:
        streamed = client.post("/v1/chat/completions", json={**request, "stream": True}, headers=auth())
        whole = client.post("/v1/chat/completions", json=request, headers=auth())
    assembled = streamed_calls(streamed.text)[0]
    assert assembled["id"] == "abc123XYZ" and assembled["name"] == "transform_document_structure"
    message = whole.json()["choices"][0]["message"]
    assert whole.json()["choices"][0]["finish_reason"] == "tool_calls"
    for args in (assembled["arguments"], message["tool_calls"][0]["function"]["arguments"]):
        decoded = json.loads(args)
        assert decoded["summary"] == f"Appeler le {tel}"
        assert json.loads(decoded["transform"])["Transforms"]["SlideCommands"][0]["EditTextObject.0"] == f"Contact {mail}"
    assert mail not in _sent(upstream) and tel not in _sent(upstream)
    # Collabora's tools reach the upstream as they were sent.
    assert upstream.bodies[0]["tools"] == collabora.TOOLS


def test_each_round_is_masked_again_with_the_same_placeholders(tmp_path: Path) -> None:
    """Stateless: round two resends the conversation with the restored tool call and the
    tool's result; the same values get the same placeholders and none leaves."""
    mail, tel = _email(7), phone(random.Random(8))
    upstream = Upstream(lambda request, body: completion("C'est fait pour [EMAIL_1]."))
    first = collabora.chat("Mets à jour le contact", MODEL, selected=f"Contact : {mail}")
    second = collabora.after_tool_call(
        first, "call0001A", "transform_document_structure", {"summary": f"Contact {mail}"},
        {"success": True, "text": f"Contact : {mail}, tél. {tel}"},
    )  # fmt: skip
    with running(config(tmp_path), upstream) as client:
        answers = [client.post("/v1/chat/completions", json=body, headers=auth()) for body in (first, second)]
    assert [a.status_code for a in answers] == [200, 200]
    sent = _sent(upstream)
    assert mail not in sent and tel not in sent
    round_one, round_two = upstream.bodies
    assert round_two["messages"][: len(round_one["messages"])] == round_one["messages"]
    assert "[EMAIL_1]" in json.dumps(round_two["messages"][2]) and "[EMAIL_1]" in round_two["messages"][3]["content"]
    assert round_two["messages"][3]["tool_call_id"] == "call0001A"
    assert answers[1].json()["choices"][0]["message"]["content"] == f"C'est fait pour {mail}."


def test_fields_the_door_does_not_know_and_images_do_not_leave(tmp_path: Path) -> None:
    mail = _email(9)
    upstream = Upstream()
    body = {**collabora.rewrite("x", "Un texte.", MODEL), "user": mail, "metadata": {"note": mail}, "max_tokens": 10**6}
    body["messages"][1]["name"] = "Hélène Dupont"  # a person's name in OpenAI's "name" field
    image = collabora.rewrite("x", "y", MODEL)
    image["messages"][1]["content"] = [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    deep = '{"model": "small", "messages": [{"role": "user", "content": "x"}], "stop": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with running(config(tmp_path), upstream) as client:
        ok = client.post("/v1/chat/completions", json=body, headers=auth())
        refused = client.post("/v1/chat/completions", json=image, headers=auth())
        too_deep = client.post("/v1/chat/completions", content=deep, headers={**auth(), "Content-Type": "application/json"})
    assert too_deep.status_code == 400 and too_deep.json()["error"]["code"] == "invalid_json"
    assert "Dupont" not in _sent(upstream)
    assert ok.status_code == 200 and set(upstream.bodies[0]) == {"model", "messages", "max_tokens"}
    assert upstream.bodies[0]["max_tokens"] == 1024  # IT's max_output_tokens bounds every answer
    assert mail not in _sent(upstream)
    assert refused.status_code == 400 and len(upstream.bodies) == 1


def test_a_plume_action_model_runs_the_actions_own_prompt_on_the_upstream_model(tmp_path: Path) -> None:
    text = "Le conseil municipal a voté le budget de la piscine hier soir après un long débat."
    upstream = Upstream(lambda request, body: completion("Le conseil a voté le budget."))
    request = collabora.rewrite("ignored", "ignored", "plume-rewrite-formal")
    request["messages"][1]["content"] = text
    with running(config(tmp_path, plume={"max_output_tokens": 200}), upstream) as client:
        answer = client.post("/v1/chat/completions", json={**request, "tools": collabora.TOOLS}, headers=auth())
    assert answer.status_code == 200
    sent = upstream.bodies[0]
    expected = build_messages(ActionSpec(BUILTINS.get("rewrite-formal")), text, guess_language(text), 200)
    assert sent["model"] == MODEL and "tools" not in sent
    assert sent["messages"] == [{"role": m.role, "content": m.content} for m in expected]
    audit = json.loads((tmp_path / "audit.jsonl").read_text().splitlines()[-1])
    assert audit["action"] == "rewrite-formal" and audit["model"] == "plume-rewrite-formal"


def test_embeddings_pass_through_masked(tmp_path: Path) -> None:
    mail = _email(11)

    def reply(request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(
            200, json={"object": "list", "data": [{"index": i, "embedding": [0.1, 0.2]} for i in range(len(body["input"]))]}
        )

    upstream = Upstream(reply)
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/embeddings", json={"model": MODEL, "input": [f"Écrire à {mail}", "Rien"]}, headers=auth())
    assert answer.status_code == 200 and len(answer.json()["data"]) == 2
    assert mail not in _sent(upstream) and upstream.bodies[0]["input"][1] == "Rien"


# --- the door: nothing leaves where it may not ---------------------------------------------------


@pytest.mark.parametrize(
    "plume",
    [{"base_url": "https://llm.example.net"}, {"local_policy": "block"}],
    ids=["unapproved-host", "blocked-by-policy"],
)
def test_a_blocked_upstream_receives_0_bytes(tmp_path: Path, plume: dict[str, Any]) -> None:
    upstream = Upstream()
    with pytest.raises(ConfigError) as refused:
        State.open(config(tmp_path, plume=plume), upstream.transport())
    assert refused.value.problems and all("\n" not in p for p in refused.value.problems)
    assert upstream.received == []


def test_a_redirect_is_not_followed(tmp_path: Path) -> None:
    upstream = Upstream(
        lambda request, body: httpx.Response(307, headers={"Location": "http://elsewhere.example/v1/chat/completions"})
    )
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL), headers=auth())
    assert answer.status_code == 502 and answer.json()["error"]["code"] == "upstream_redirect"
    assert [r.url.host for r in upstream.received] == ["127.0.0.1"]


# --- faults: an OpenAI error or a clean end, never a hang -----------------------------------------


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_an_unreachable_upstream_is_a_502(tmp_path: Path, stream: bool) -> None:
    upstream = Upstream(down=True)
    with running(config(tmp_path), upstream) as client:
        answer = client.post(
            "/v1/chat/completions", json={**collabora.rewrite("x", "y", MODEL), "stream": stream}, headers=auth()
        )
        ready = client.get("/readyz")
    assert answer.status_code == 502 and answer.json()["error"]["code"] == "upstream_unreachable"
    assert ready.status_code == 503


@pytest.mark.parametrize(("status", "expected"), [(500, 502), (503, 502), (401, 502), (429, 429), (404, 404), (400, 400)])
def test_upstream_error_statuses_become_openai_errors(tmp_path: Path, status: int, expected: int) -> None:
    upstream = Upstream(lambda request, body: httpx.Response(status, json={"error": {"message": "nope"}}))
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL), headers=auth())
    assert answer.status_code == expected and set(answer.json()["error"]) == {"message", "type", "param", "code"}


def test_a_malformed_answer_is_a_502_or_an_error_event(tmp_path: Path) -> None:
    def reply(request: httpx.Request, body: dict[str, Any]) -> httpx.Response:
        if body.get("stream"):
            return httpx.Response(200, headers={"content-type": "text/event-stream"},
                                  content=b'data: {"choices": [{"index": 0, "delta": {"content": "Bon"}}]}\n\ndata: {not json\n\n')  # fmt: skip
        return httpx.Response(200, content=b"<html>proxy error</html>")

    mail = _email(12)  # a masked value: the events are parsed, not passed through
    with running(config(tmp_path), Upstream(reply)) as client:
        whole = client.post("/v1/chat/completions", json=collabora.rewrite("x", mail, MODEL), headers=auth())
        streamed = client.post(
            "/v1/chat/completions", json={**collabora.rewrite("x", mail, MODEL), "stream": True}, headers=auth()
        )
    assert whole.status_code == 502 and whole.json()["error"]["code"] == "upstream_invalid_reply"
    got = events(streamed.text)
    assert got[-1] == "[DONE]" and got[-2]["error"]["code"] == "upstream_invalid_reply"
    assert streamed_text(streamed.text) == "Bon"


def test_a_stream_cut_by_the_upstream_ends_cleanly(tmp_path: Path) -> None:
    async def cut() -> Any:
        yield b"data: " + json.dumps(delta("Le début")).encode() + b"\n\n"
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    upstream = Upstream(lambda request, body: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=cut()))
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json={**collabora.rewrite("x", "y", MODEL), "stream": True}, headers=auth())
    got = events(answer.text)
    assert streamed_text(answer.text) == "Le début"
    assert got[-2]["error"]["code"] == "upstream_invalid_reply" and got[-1] == "[DONE]"
    audit = json.loads((tmp_path / "audit.jsonl").read_text().splitlines()[-1])
    assert audit["outcome"] == "error"


def test_headers_that_never_come_are_a_504(tmp_path: Path) -> None:
    async def never(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()  # the upstream accepted the request and says nothing
        raise AssertionError("unreachable")

    cfg = config(tmp_path, plume={"read_timeout": 0.3, "connect_timeout": 0.2})
    with running(cfg, None, httpx.MockTransport(never)) as client:
        answer = client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL), headers=auth())
    assert answer.status_code == 504 and answer.json()["error"]["code"] == "upstream_timeout"


def test_an_upstream_that_stalls_mid_stream_ends_the_stream(tmp_path: Path, faulty: Any) -> None:
    """A real socket: one chunk, then silence. The read timeout ends it with an error event."""
    cfg = config(tmp_path, plume={"base_url": faulty.url + "/stall", "read_timeout": 0.5})
    with running(cfg, None) as client:
        answer = client.post("/v1/chat/completions", json={**collabora.rewrite("x", "y", MODEL), "stream": True}, headers=auth())
    got = events(answer.text)
    assert got[-1] == "[DONE]" and got[-2]["error"]["code"] == "upstream_timeout"


# --- service routes, reload ------------------------------------------------------------------------


def test_health_readiness_and_metrics(tmp_path: Path) -> None:
    with running(config(tmp_path), Upstream()) as client:
        client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL), headers=auth())
        client.post("/v1/chat/completions", json=collabora.rewrite("x", "y", MODEL))
        health, ready, metrics = client.get("/healthz"), client.get("/readyz"), client.get("/metrics")
    assert health.status_code == ready.status_code == 200
    assert 'plume_gateway_requests_total{route="chat",status="200"} 1.0' in metrics.text
    assert 'plume_gateway_rejected_total{reason="key"} 1.0' in metrics.text


def test_a_reload_swaps_the_keys(tmp_path: Path) -> None:
    with running(config(tmp_path), Upstream()) as client:
        before = client.get("/v1/models", headers=auth(OTHER_KEY))
        new = config(tmp_path, keys=[{"name": "renewed", "hash": hash_line(KEY)}])
        client.portal.call(client.gateway.reload, new)  # type: ignore[attr-defined]
        after = client.get("/v1/models", headers=auth(OTHER_KEY))
        still = client.get("/v1/models", headers=auth())
    assert before.status_code == 200 and after.status_code == 401 and still.status_code == 200
