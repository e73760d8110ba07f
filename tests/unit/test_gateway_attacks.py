"""The gateway under attack, as a data-protection officer and a hostile client would try it:
personal data reaching the upstream through a field the shield did not read, the service
stalled by one client. Each test names the hole it closes."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from gateway_support import MODEL, Upstream, auth, config, running

from plume.shield.detect import detect
from support.person_names import random_person


def _introduced(seed: int) -> str:
    """A generated person as a text introduces them ("Madame Prénom NOM"), one the detector
    finds: what a field must not carry upstream."""
    rng = random.Random(seed)
    for _ in range(50):
        person = random_person(rng)
        if person.script != "latin" or " " in person.last:
            continue
        mention = f"{'Madame' if person.gender == 'F' else 'Monsieur'} {person.first} {person.last.upper()}"
        if any(f.kind == "NOM" for f in detect(mention)):
            return mention
    raise AssertionError("no detectable person generated")


def _surname(mention: str) -> str:
    return mention.rsplit(" ", 1)[1]


def _chat(**fields: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": "Rédige une réponse courte."}], **fields}


def _tool(description: str) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {"name": "insert_text", "description": description,
             "parameters": {"type": "object", "properties": {"text": {"type": "string", "description": description}}}}}]  # fmt: skip


# --- every field the upstream reads is protected ------------------------------------------------

_FIELDS = {
    "tools": lambda who: {"tools": _tool(f"Texte à envoyer à {who}")},
    "stop": lambda who: {"stop": [f"Cordialement, {who}"]},
    "response_format": lambda who: {
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "letter", "schema": {"description": f"Lettre à {who}"}},
        }
    },
    "tool_choice": lambda who: {"tool_choice": {"type": "function", "function": {"name": f"écrire à {who}"}}},
    "stream_options": lambda who: {"stream": True, "stream_options": {"include_usage": True, "note": f"pour {who}"}},
    "seed": lambda who: {"seed": f"dossier de {who}"},
}


@pytest.mark.parametrize("field", sorted(_FIELDS))
def test_a_name_in_a_request_field_other_than_the_messages_is_masked(tmp_path: Path, field: str) -> None:
    """Hole: only the messages were pseudonymised; tools' descriptions, stop strings, a
    response schema... went as the client wrote them (the last check stops identifiers, not
    names)."""
    who = _introduced(7)
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=_chat(**_FIELDS[field](who)), headers=auth())
    assert answer.status_code == 200
    assert len(upstream.bodies) == 1
    sent = json.dumps(upstream.bodies[0], ensure_ascii=False)
    assert _surname(who) not in sent and "[NOM_1]" in sent


def test_a_name_of_the_conversation_repeated_in_a_tool_description_is_masked_not_refused(tmp_path: Path) -> None:
    """The same hole seen from the other side: a value masked in the messages and repeated
    in a tool's description made the last check refuse the whole request (400)."""
    who = _introduced(8)
    body = {"model": MODEL, "messages": [{"role": "user", "content": f"Réponds à {who}."}], "tools": _tool(f"pour {who}")}
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=body, headers=auth())
    assert answer.status_code == 200
    sent = json.dumps(upstream.bodies[0], ensure_ascii=False)
    assert _surname(who) not in sent and sent.count("[NOM_1]") == 3


# --- every part of a message is protected ---------------------------------------------------

_MESSAGES = {
    "arguments as an object": lambda who: {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "insert_text", "arguments": {"text": who}}}],
    },
    "a call of another type": lambda who: {
        "role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "custom", "custom": {"input": who}}],
    },
    "a field beside a call's function": lambda who: {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "call_1", "type": "function", "note": who, "function": {"name": "f", "arguments": "{}"}}],
    },
    "a field beside a text part": lambda who: {"role": "user", "content": [{"type": "text", "text": "ok", "note": who}]},
    "a tool's name": lambda who: {"role": "tool", "name": who, "tool_call_id": "call_1", "content": "fait"},
    "a tool call id": lambda who: {"role": "tool", "tool_call_id": who, "content": "fait"},
    "the role": lambda who: {"role": who, "content": "fait"},
}  # fmt: skip


@pytest.mark.parametrize("where", sorted(_MESSAGES))
def test_a_name_anywhere_in_a_message_is_masked_or_the_request_refused(tmp_path: Path, where: str) -> None:
    """Hole: a message's text and JSON-text tool-call arguments were protected, but tool-call
    arguments sent as an object, a call of another shape, extra fields of a call or a text
    part, a tool's name, a tool call id and the role went as they came."""
    who = _introduced(9)
    body = _chat()
    body["messages"].append(_MESSAGES[where](who))
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=body, headers=auth())
    sent = json.dumps(upstream.bodies, ensure_ascii=False)
    assert _surname(who) not in sent
    assert answer.status_code == 200 or (answer.status_code == 400 and upstream.received == [])


# --- one client cannot stall the others -------------------------------------------------------


def _on_the_event_loop() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_a_large_request_is_protected_and_checked_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hole: the shield reads about a megabyte a second and ran on the event loop: one
    request of a few megabytes (the body limit is 8 MB) froze every other stream for as many
    seconds. A large request is read in a worker thread: its protection and the door's last
    check of its body."""
    import plume_gateway.app as app_module
    from plume.egress.door import Door

    seen: dict[str, bool] = {}
    protect, check = app_module.protect_request, Door.check_body

    def recording_protect(door: Door, body: dict[str, Any]) -> dict[str, Any]:
        seen["protect"] = _on_the_event_loop()
        return protect(door, body)

    def recording_check(self: Door, body: bytes) -> None:
        seen["check"] = _on_the_event_loop()
        check(self, body)

    monkeypatch.setattr(app_module, "protect_request", recording_protect)
    monkeypatch.setattr(Door, "check_body", recording_check)
    text = "Le conseil municipal approuve le budget annexe de l'eau. " * 4000  # about 230 KB
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=_chat(messages=[{"role": "user", "content": text}]), headers=auth())
    assert answer.status_code == 200 and len(upstream.bodies) == 1
    assert seen == {"protect": False, "check": False}


def test_a_client_that_stalls_while_sending_its_body_gets_408(tmp_path: Path) -> None:
    """Hole: the body was read without a deadline: a client sending a few bytes and then
    nothing (slowloris) held its connection and its request for ever, and many such clients
    every connection the server has. The body must arrive within ``read_timeout``."""
    import anyio
    from gateway_support import KEY

    from plume_gateway.app import Gateway, State, build_app

    upstream = Upstream()
    cfg = config(tmp_path, plume={"read_timeout": 0.3})
    sent: list[dict[str, Any]] = []
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b'{"model": ', "more_body": True}
        await anyio.Event().wait()  # the rest never comes
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def scenario() -> None:
        gateway = Gateway(State.open(cfg, upstream.transport()), upstream.transport())
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
            "path": "/v1/chat/completions", "raw_path": b"/v1/chat/completions", "query_string": b"", "root_path": "",
            "headers": [(b"authorization", f"Bearer {KEY}".encode()), (b"content-type", b"application/json")],
            "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8088),
        }  # fmt: skip
        with anyio.fail_after(10):  # a guard against the hang itself, not a measured time
            await build_app(gateway)(scope, receive, send)
        await gateway.close()

    anyio.run(scenario)
    assert sent and sent[0]["type"] == "http.response.start" and sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["error"]["code"] == "request_timeout"
    assert upstream.received == []


# --- the model name is the client's text too ------------------------------------------------------


@pytest.mark.parametrize("kind", ["a person", "a huge name", "a line break"])
def test_a_model_name_that_is_no_model_identifier_is_refused_before_the_upstream_and_the_audit(tmp_path: Path, kind: str) -> None:
    """Hole: with no ``upstream_models`` list (every model the upstream lists) and a key for
    every model, the model name was any text: it went upstream unprotected and into the
    audit, which holds no text (megabytes of it, in one line)."""
    model = {"a person": _introduced(10), "a huge name": "m" * 100_000, "a line break": "small\nFORGED"}[kind]
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        chat = client.post("/v1/chat/completions", json={**_chat(), "model": model}, headers=auth())
        embeddings = client.post("/v1/embeddings", json={"model": model, "input": "texte"}, headers=auth())
    for answer in (chat, embeddings):
        assert answer.status_code in (400, 404) and answer.json()["error"]["code"] == "model_not_found"
        assert len(answer.content) < 2000  # the name is not echoed whole
    assert upstream.received == []
    audit = tmp_path / "audit.jsonl"
    assert not audit.exists() or model not in audit.read_text()


# --- a malformed upstream answer ----------------------------------------------------------------


@pytest.mark.parametrize("shape", ["choices not a list", "tool calls not a list"])
@pytest.mark.parametrize("stream", [False, True])
def test_a_malformed_answer_to_restore_gets_an_openai_error_and_an_audit_line(tmp_path: Path, shape: str, stream: bool) -> None:
    """Hole: an answer whose ``choices`` or ``tool_calls`` was no list made the restoration
    fail outside any handler: a bare 500 (not OpenAI's format) and no audit line; streamed, an
    "internal error" blaming the gateway."""
    import httpx

    message = {"role": "assistant", "content": "ok", "tool_calls": 3} if shape == "tool calls not a list" else None
    answer_body = {"id": "c1", "choices": [{"index": 0, "message": message}] if message else 5}
    upstream = Upstream(lambda request, body: httpx.Response(200, json=answer_body))
    request = {**_chat(stream=stream), "messages": [{"role": "user", "content": f"Écris à {_introduced(11)}."}]}
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json=request, headers=auth())
    if stream:
        error = next(json.loads(line[6:]) for line in answer.text.splitlines() if line.startswith("data: {"))
    else:
        assert answer.status_code == 502
        error = answer.json()
    assert error["error"]["code"] == "upstream_invalid_reply"
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["outcome"] == "error"


@pytest.mark.parametrize("field", ["encoding_format", "dimensions"])
def test_an_embeddings_option_carries_no_text_upstream(tmp_path: Path, field: str) -> None:
    """Hole: ``encoding_format`` and ``dimensions`` of an embeddings request went upstream as
    the client wrote them, any text included."""
    who = _introduced(12)
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/embeddings", json={"model": MODEL, "input": "texte", field: who}, headers=auth())
        fine = client.post("/v1/embeddings", json={"model": MODEL, "input": "texte", "encoding_format": "float"}, headers=auth())
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_request"
    assert fine.status_code == 200
    assert len(upstream.bodies) == 1 and upstream.bodies[0]["encoding_format"] == "float"
    assert _surname(who) not in json.dumps(upstream.bodies, ensure_ascii=False)


# --- look-alike characters ------------------------------------------------------------------------

_LOOK_ALIKES = {
    "mathematical bold digits": lambda c: chr(0x1D7CE + int(c)) if c.isdigit() else c,
    "mathematical monospace digits": lambda c: chr(0x1D7F6 + int(c)) if c.isdigit() else c,
    "arabic-indic digits": lambda c: chr(0x0660 + int(c)) if c.isdigit() else c,
    "devanagari digits": lambda c: chr(0x0966 + int(c)) if c.isdigit() else c,
    "mathematical bold letters": lambda c: chr(0x1D41A + ord(c) - ord("a")) if "a" <= c <= "z" else c,
}


@pytest.mark.parametrize("form", sorted(_LOOK_ALIKES))
def test_an_identifier_written_with_look_alike_characters_is_masked(tmp_path: Path, form: str) -> None:
    """Hole: digits of another script or of Unicode's mathematical alphabets read as digits to
    a model ("𝟎𝟔 𝟏𝟐..." is a phone number to it), yet the shield and the last check, reading
    ASCII digits and letters, saw nothing: the plain form writes them as ASCII."""
    from support.personal_data import phone

    value = phone(random.Random(13)) if "digits" in form else "helene.dupont@mairie-lyon.fr"
    assert [f.kind for f in detect(value)] == (["TEL"] if "digits" in form else ["EMAIL"])
    disguised = "".join(_LOOK_ALIKES[form](c) for c in value)
    assert disguised != value
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post(
            "/v1/chat/completions",
            json={**_chat(), "messages": [{"role": "user", "content": f"Contact : {disguised}."}]},
            headers=auth(),
        )
    assert answer.status_code == 200
    sent = json.dumps(upstream.bodies, ensure_ascii=False)
    assert disguised not in sent and value not in sent


@pytest.mark.parametrize("where", ["a tool's result", "earlier tool-call arguments"])
def test_a_name_as_a_json_key_is_masked(tmp_path: Path, where: str) -> None:
    """Hole: JSON text (a tool's result, a call's arguments) was protected on its values only:
    a table read as {"Madame X": "présente"} sent the name as a key."""
    who = _introduced(14)
    document = json.dumps({who: "présente", "autre": {who: 1}}, ensure_ascii=False)
    call = {"id": "call_1", "type": "function", "function": {"name": "insert_text", "arguments": document}}
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Qui est présent ?"}]
    if where == "a tool's result":
        messages += [{"role": "assistant", "content": None, "tool_calls": [{**call, "function": {"name": "f", "arguments": "{}"}}]},
                     {"role": "tool", "tool_call_id": "call_1", "content": document}]  # fmt: skip
    else:
        messages += [{"role": "assistant", "content": None, "tool_calls": [call]}]
    upstream = Upstream()
    with running(config(tmp_path), upstream) as client:
        answer = client.post("/v1/chat/completions", json={**_chat(), "messages": messages}, headers=auth())
    assert answer.status_code == 200
    sent = json.dumps(upstream.bodies, ensure_ascii=False)
    assert _surname(who) not in sent and "[NOM_1]" in sent


# --- the keyless loopback mode is not open to web pages ------------------------------------------------


def test_without_a_key_only_this_computers_own_clients_are_answered(tmp_path: Path) -> None:
    """Hole: ``gateway --upstream URL`` needs no key (loopback, one user). A web page the user
    visits could use it: a form posts a "simple" request (no preflight) with its foreign
    Origin, and a page whose domain is re-bound to 127.0.0.1 (DNS rebinding) even reads the
    answers, the Host naming its own domain. Without a key, both are refused."""
    from gateway_support import UPSTREAM

    from plume_gateway.config import for_upstream

    cfg = for_upstream(UPSTREAM, 8088, {"PLUME_LOCAL_POLICY": "pseudonymise", "XDG_STATE_HOME": str(tmp_path)})
    upstream = Upstream()
    local = {"Host": "127.0.0.1:8088"}
    with running(cfg, upstream) as client:
        own = client.post("/v1/chat/completions", json=_chat(), headers=local)
        own_models = client.get("/v1/models", headers={"Host": "localhost:8088"})
        rebound = client.post("/v1/chat/completions", json=_chat(), headers={"Host": "evil.example:8088"})
        rebound_models = client.get("/v1/models", headers={"Host": "evil.example:8088"})
        posted = client.post(
            "/v1/chat/completions",
            content=json.dumps(_chat()),
            headers={**local, "Origin": "https://evil.example", "Content-Type": "text/plain"},
        )
    assert own.status_code == 200 and own_models.status_code == 200
    for answer in (rebound, rebound_models, posted):
        assert answer.status_code == 403 and answer.json()["error"]["type"] == "permission_error"
    assert len(upstream.bodies) == 1
