"""No planted value leaves, by any path: generated administrative texts with personal data
in every typography, sent through each action, an instruction holding personal data, long
summaries at several windows (map-reduce: earlier answers are sent again), rewrites by
batches, model translation, model lists and doctor, to a loopback server that records
every byte and answers like a model copying the placeholders it was given back.

What must never arrive: every identifier a validator checks (planted), and every value the
shield finds in the source (names and addresses are found best-effort: once found, no pass
may let one out, not even after it came back in an answer and was restored)."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.doctor import run_checks
from plume.longdoc import LongGeneration, blocks_from_text
from plume.settings import Settings
from plume.shield.detect import detect
from support.person_names import random_person
from support.personal_data import VALIDATED, Document, document
from support.recording_server import RecordingServer

ROOT = Path(__file__).resolve().parents[2]
SEPARATORS = re.compile(r"[\s.\-/\u00a0\u202f\u2009]")


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as recording:
        yield recording


def _settings(server: RecordingServer, window: int) -> Settings:
    return Settings(backend="openai", base_url=server.url, model="echo", local_policy="pseudonymise",
                    context_window=window, max_output_tokens=256)  # fmt: skip


def _long_text(rng: random.Random, documents: list[Document]) -> str:
    """Sections titled with a person's name and e-mail (titles become labels of partial
    summaries, cut to a few dozen characters), each holding one generated document."""
    parts = []
    for doc in documents:
        person = random_person(rng)
        email = f"{person.first[:1].lower()}.{re.sub(r'[^a-z]', '', person.last.lower()) or 'x'}@mairie-exemple.fr"
        parts.append(f"# Dossier de Mme {person.first} {person.last} ({email})\n{doc.text}")
    return "\n\n".join(parts)


def _must_not_leave(text: str, documents: list[Document]) -> set[str]:
    values = {span.value for doc in documents for span in doc.planted if span.kind in VALIDATED}
    return values | {finding.value for finding in detect(text)}


def _leaks(received: str, values: set[str]) -> list[str]:
    compact = SEPARATORS.sub("", received)
    leaked = []
    for value in values:
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", received):
            leaked.append(value)
            continue
        digits = SEPARATORS.sub("", value)
        if sum(c.isdigit() for c in digits) >= 9 and digits in compact:  # the same number, typeset otherwise
            leaked.append(value)
    return leaked


def _run(server: RecordingServer, settings: Settings, spec: ActionSpec, text: str, documents: list[Document]) -> int:
    """One run; fails if the server received anything the run's texts hold that the shield
    masks (the text's planted identifiers and findings, the instruction's findings: in a
    run that also saw a value with its context, the instruction's bare mention of it too).
    Returns the number of requests."""
    with server.lock:
        server.received.clear()
    generation = LongGeneration(create_backend(settings), settings, spec, blocks_from_text(text), model="echo",
                                window=settings.context_window)  # fmt: skip
    assert generation.run().strip()
    values = _must_not_leave(f"{text}\n\n{spec.instruction}", documents)
    received = server.text_received()
    assert not _leaks(received, values), spec
    return received.count("POST ")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_no_value_the_shield_masks_reaches_the_server_by_any_path(server: RecordingServer, seed: int) -> None:
    rng = random.Random(seed)
    documents = [document(rng, f"doc{i}") for i in range(6)]
    long = _long_text(rng, documents)
    person = random_person(rng)
    # An instruction naming a person, and a value of another document written bare: in the
    # long runs, that value was seen with its context and must stay masked in the instruction.
    cited = documents[1].planted[0].value if documents[1].planted else "le dossier"
    instruction = f"Ajoute que {person.civility} {person.first} {person.last} rappellera, et cite {cited}"

    small = _settings(server, 2048)
    specs = [ActionSpec("summarize"), ActionSpec("instruct", instruction=instruction), ActionSpec("translate", target="en")]
    specs += [ActionSpec("rewrite", style=style) for style in ("formal", "shorter", "plain", "correct")]
    requests = sum(_run(server, small, spec, documents[0].text, documents[:1]) for spec in specs)
    for window in (1024, 1536):  # map-reduce: partial summaries are sent again
        requests += _run(server, _settings(server, window), ActionSpec("summarize"), long, documents)
    requests += _run(server, _settings(server, 1024), ActionSpec("rewrite", style="shorter"), long, documents)  # batches
    requests += _run(server, _settings(server, 1024), ActionSpec("instruct", instruction=instruction), long, documents)
    assert requests >= len(specs) + 6  # the long runs took several requests each
    assert all(check.ok for check in run_checks(small)), "doctor goes through the door too"


def test_the_command_line_sends_nothing_the_shield_masks(server: RecordingServer) -> None:
    rng = random.Random(20261202)
    doc = document(rng, "cli")
    values = _must_not_leave(doc.text, [doc])
    nir = next((s.value for d in (document(rng) for _ in range(50)) for s in d.planted if s.kind == "NIR"), "")
    values.add(nir)
    environ = {**os.environ, "PYTHONPATH": str(ROOT / "python"), "PLUME_BACKEND": "openai", "PLUME_BASE_URL": server.url,
               "PLUME_MODEL": "echo", "PLUME_LOCAL_POLICY": "pseudonymise", "PLUME_CONTEXT_WINDOW": "2048"}  # fmt: skip
    with server.lock:
        server.received.clear()
    for args in (
        ["run", "instruct", "--instruction", f"Mentionne le NIR {nir}"],
        ["translate", "--to", "en", "--engine", "model"],
    ):
        result = subprocess.run([sys.executable, "-m", "plume", *args], input=doc.text, capture_output=True, text=True,
                                env=environ, timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stderr
    received = server.text_received()
    assert received.count("POST ") >= 2
    assert not _leaks(received, values)
