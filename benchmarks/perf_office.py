"""Measurements that need a real LibreOffice with the built .oxt installed: end-to-end time,
first visible piece, main-thread latency while a model streams, start-up.

Writer runs visibly on a virtual display (Xvfb) with Plume's deck open, so pieces go
through the real sidebar; without Xvfb it falls back to headless, and says so.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.display import virtual_display
from harness.office import Office, install_extension, props, throwaway_profile

from benchmarks.perf_direct import reset_prompt_cache, stream_direct
from benchmarks.perf_proxy import TimingProxy
from benchmarks.perf_stats import Timings

ROOT = Path(__file__).resolve().parents[1]
SETTLE_SECONDS = 1.5
PAINTED_SECONDS = 0.5

# A notice of about 170 words, as agents summarise every day.
SOURCE = [
    "Objet : travaux de rénovation de l'école Jules-Ferry pendant l'été 2026",
    "Madame, Monsieur, la commune engage du 6 juillet au 21 août 2026 la rénovation thermique de "
    "l'école Jules-Ferry : remplacement des fenêtres, isolation des combles et changement de la "
    "chaudière. Le montant des travaux s'élève à 248 600 euros, financés à 40 % par l'État.",
    "Pendant les travaux, l'accueil de loisirs est déplacé au gymnase municipal, rue des Lilas. "
    "Les horaires restent inchangés : de 7 h 30 à 18 h 30 du lundi au vendredi. Les repas sont "
    "servis au restaurant scolaire du groupe Pasteur.",
    "Une réunion d'information aura lieu le 16 juin 2026 à 18 h en mairie. Les familles peuvent "
    "aussi joindre le service éducation au 04 72 10 30 30 ou par courriel.",
    "Nous vous remercions de votre compréhension.",
]


@dataclass(frozen=True)
class ActionTimings:
    plume_total: Timings  # dispatch to "done" (text in the document)
    plume_first: Timings  # dispatch to the first piece shown
    # The same Plume requests seen at the relay (perf_proxy), from the dispatch:
    request_sent: Timings  # the chat request reached the server
    server_first: Timings  # the server sent its first token
    server_shown: Timings  # ... and the first token Plume's cleaning lets through
    server_last: Timings  # ... and its last token
    direct_total: Timings
    direct_first: Timings
    same_answers: int  # runs where Plume's answer is the direct call's (generated the same tokens)
    runs: int
    source_chars: int


@dataclass(frozen=True)
class Latencies:
    idle: Timings
    generating: Timings


def build_oxt() -> Path:
    result = subprocess.run([sys.executable, str(ROOT / "build.py")], capture_output=True, text=True, cwd=ROOT, check=True)
    return ROOT / result.stdout.split()[0]


@contextlib.contextmanager
def display_or_headless() -> Iterator[str | None]:
    try:
        with virtual_display() as display:
            yield display
    except RuntimeError:  # no Xvfb: headless; the report says which
        yield None


def _office(profile: Path, log: Path, display: str | None) -> Office:
    env = {"DISPLAY": display, "SAL_USE_VCLPLUGIN": "gen"} if display else None
    return Office(profile, log, env=env, headless=display is None)


@contextlib.contextmanager
def plume_office(oxt: Path, log_dir: Path, display: str | None, server: str, max_tokens: int) -> Iterator[Office]:
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        office = _office(profile, log_dir / "bench-soffice.log", display)
        office.start()
        try:
            office.set_config("/org.openoffice.Office.Common/Misc", ShowTipOfTheDay=False)
            # Temperature 0: Plume and the direct call generate the same tokens, so they compare.
            office.configure(backend="openai", base_url=server + "/v1", model="smollm2", max_output_tokens=max_tokens,
                             temperature=0.0, context_window=2048, read_timeout=300.0)  # fmt: skip
            yield office
        finally:
            office.stop()


def writer_document(office: Office, display: str | None) -> Any:
    doc = office.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=display is None))
    text = doc.getText()
    cursor = text.createTextCursor()
    for index, paragraph in enumerate(SOURCE):
        if index:
            text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
        text.insertString(cursor, paragraph, False)
    if display is not None:
        office.dispatch(doc, ".uno:SidebarDeck.PlumeDeck")  # pieces go through the real sidebar
    office.watch(doc)
    return doc


def _wait(office: Office, after: int, accept: Callable[[dict[str, Any]], bool], timeout: float = 300) -> float:
    """The time an event matching ``accept`` arrived (events after index ``after``)."""
    listener = office.listener
    deadline = time.monotonic() + timeout
    with listener.changed:
        while True:
            for event in listener.events[after:]:
                if accept(event):
                    return float(event["arrived"])
                if event["state"] in ("error", "cancelled"):
                    raise RuntimeError(f"Plume's action ended with {event}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"no matching event; events: {listener.events[after:]}")
            listener.changed.wait(1.0)


def plume_request(max_tokens: int) -> dict[str, Any]:
    """The request body Plume's core sends for this document's summary, captured without a
    network (the adapter hands the core the same lines): the direct call sends exactly it."""
    import json

    import httpx

    from plume.actions import ActionSpec
    from plume.backends.base import create_backend
    from plume.longdoc import Block, LongGeneration
    from plume.settings import Settings

    captured: dict[str, Any] = {}

    def record(request: httpx.Request) -> httpx.Response:
        captured.update(json.loads(request.read()))
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b"data: [DONE]\n\n")

    settings = Settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="smollm2", max_output_tokens=max_tokens,
                        temperature=0.0, context_window=2048)  # fmt: skip
    backend = create_backend(settings, "", httpx.MockTransport(record))
    blocks = [Block(line) for line in SOURCE]
    with contextlib.suppress(Exception):  # the empty answer is refused; the body is what matters
        LongGeneration(backend, settings, ActionSpec("summarize"), blocks, model="smollm2", window=2048, ui_language="en").run()
    return captured


def end_to_end(office: Office, doc: Any, server: str, proxy: TimingProxy, max_tokens: int, repeat: int) -> ActionTimings:
    """Plume (configured to go through ``proxy``) against the direct call to ``server``."""
    body = plume_request(max_tokens)
    plume_total, plume_first, direct_total, direct_first, same = [], [], [], [], 0
    sent: list[float] = []
    server_first: list[float] = []
    server_shown: list[float] = []
    server_last: list[float] = []
    for run in range(repeat):
        order = ("plume", "direct") if run % 2 == 0 else ("direct", "plume")
        answers = {}
        for side in order:
            reset_prompt_cache(server, "smollm2")
            # Let LibreOffice finish what an applied or undone text sets off on idle (layout,
            # spelling): it would otherwise compete for the CPU with the next measured call.
            time.sleep(SETTLE_SECONDS)
            if side == "direct":
                streamed = stream_direct(server, body)
                direct_total.append(streamed.total)
                direct_first.append(streamed.first_token)
                answers[side] = streamed.text.strip()
                continue
            seen = len(office.listener.events)
            started = time.monotonic()
            office.dispatch(doc, "plume:summarize?mode=after")
            first = _wait(office, seen, lambda e: e["state"] == "running" and e.get("shown", 0) > 0)
            done = _wait(office, seen, lambda e: e["state"] == "done")
            ended = next(e for e in office.listener.events[seen:] if e["state"] == "done")
            if ended.get("truncated"):
                # The answer stopped at max_tokens (this benchmark bounds it): Plume holds such an
                # answer in the preview; apply it as the user would, so the text is in the document.
                applying = len(office.listener.events)
                office.dispatch(doc, "plume:apply?mode=after")
                done = _wait(office, applying, lambda e: e["command"] == "apply" and e["state"] == "done")
            plume_first.append(first - started)
            plume_total.append(done - started)
            relayed = proxy.chats[-1]
            sent.append(relayed.arrived - started)
            server_first.append((relayed.first_token or done) - started)
            server_shown.append((relayed.first_shown or done) - started)
            server_last.append((relayed.last_token or done) - started)
            answers[side] = ended["message"].strip()
            doc.getUndoManager().undo()  # the same document for the next run
        # The same tokens: Plume's answer is the direct one, less what Plume's cleaning removes
        # (a label or preamble the model writes first, quotes around the answer).
        same += " ".join(answers["plume"].split()) in " ".join(answers["direct"].split())
    return ActionTimings(Timings(tuple(plume_total)), Timings(tuple(plume_first)), Timings(tuple(sent)),
                         Timings(tuple(server_first)), Timings(tuple(server_shown)), Timings(tuple(server_last)),
                         Timings(tuple(direct_total)), Timings(tuple(direct_first)), same, repeat, len("\n".join(SOURCE)))  # fmt: skip


def main_thread_latency(office: Office, doc: Any, server: str, generations: int) -> Latencies:
    """How long a call that needs LibreOffice's main thread (reading the document's text
    through UNO, which waits for the SolarMutex) takes, idle and while Plume streams."""

    def probe() -> float:
        started = time.monotonic()
        doc.getText().getString()
        return time.monotonic() - started

    generating: list[float] = []
    for _ in range(generations):
        reset_prompt_cache(server, "smollm2")
        seen = len(office.listener.events)
        office.dispatch(doc, "plume:summarize?mode=preview")
        while not any(e["state"] in ("done", "error", "cancelled") for e in office.listener.events[seen:]):
            generating.append(probe())
            time.sleep(0.01)
    idle = []
    for _ in range(max(200, len(generating))):
        idle.append(probe())
        time.sleep(0.01)
    return Latencies(Timings(tuple(idle)), Timings(tuple(generating)))


def start_up(oxt: Path, log_dir: Path, display: str | None, repeat: int) -> tuple[Timings, Timings]:
    """LibreOffice start to a ready Writer document, without and with Plume, alternating
    runs on two warmed-up profiles (a profile's very first start builds caches)."""
    with throwaway_profile() as bare, throwaway_profile() as equipped:
        install_extension(oxt, equipped)
        for profile in (bare, equipped):  # warm up, and no tip-of-the-day dialog later
            office = _office(profile, log_dir / "bench-startup.log", display)
            office.start()
            office.set_config("/org.openoffice.Office.Common/Misc", ShowTipOfTheDay=False)
            office.stop()
        times: dict[Path, list[float]] = {bare: [], equipped: []}
        for run in range(repeat):
            for profile in (bare, equipped) if run % 2 == 0 else (equipped, bare):
                office = _office(profile, log_dir / "bench-startup.log", display)
                started = time.monotonic()
                office.start(poll=0.01)
                doc = office.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=display is None))
                times[profile].append(time.monotonic() - started)
                doc.close(True)
                office.stop()
    return Timings(tuple(times[bare])), Timings(tuple(times[equipped]))


# --- LibreOffice's own CPU time ------------------------------------------------
def soffice_pids(office: Office) -> list[int]:
    """The soffice.bin process(es) under the launcher the harness started (soffice is a
    script that runs oosplash, which runs soffice.bin)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            text = stat.read_text()
            pid, rest = int(text.split(" ", 1)[0]), text.rsplit(")", 1)[1].split()
            names[pid], parents[pid] = text[text.index("(") + 1 : text.rindex(")")], int(rest[1])
    assert office.process is not None
    family, found = {office.process.pid}, True
    while found:
        found = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                found = True
    return sorted(pid for pid in family if names.get(pid) == "soffice.bin")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes, all their threads (/proc/<pid>/stat)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
    return total / tick


@dataclass(frozen=True)
class PreviewCpu:
    preview: Timings  # soffice CPU seconds of a summary streamed into the sidebar's preview
    unseen: Timings  # the same summary in a hidden document: no sidebar, nothing drawn


def preview_cpu(office: Office, doc: Any, server: str, repeat: int) -> PreviewCpu:
    """LibreOffice's CPU time for one streamed preview, against the same action whose pieces
    go nowhere (a hidden document has no sidebar): the difference is what drawing the stream
    costs. Both sides alternate which goes first; the model's own work is in another process."""
    hidden = writer_document_hidden(office)
    pids = soffice_pids(office)
    preview: list[float] = []
    unseen: list[float] = []
    try:
        for run in range(repeat):
            for side in ("preview", "unseen") if run % 2 == 0 else ("unseen", "preview"):
                reset_prompt_cache(server, "smollm2")
                time.sleep(SETTLE_SECONDS)
                seen = len(office.listener.events)
                before = cpu_seconds(pids)
                office.dispatch(doc if side == "preview" else hidden, "plume:summarize?mode=preview")
                _wait(office, seen, lambda e: e["state"] == "done")
                time.sleep(PAINTED_SECONDS)  # the last update is painted on idle, after "done"
                (preview if side == "preview" else unseen).append(cpu_seconds(pids) - before)
    finally:
        hidden.close(True)
    return PreviewCpu(Timings(tuple(preview)), Timings(tuple(unseen)))


def writer_document_hidden(office: Office) -> Any:
    doc = office.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=True))
    text = doc.getText()
    cursor = text.createTextCursor()
    for index, paragraph in enumerate(SOURCE):
        if index:
            text.insertControlCharacter(cursor, 0, False)
        text.insertString(cursor, paragraph, False)
    return doc
