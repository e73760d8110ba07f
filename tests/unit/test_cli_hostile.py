"""The CLI under hostile input, odd settings and odd streams, run as a subprocess: every
failure is one line on stderr starting with ``plume:`` and the documented exit code, never a
traceback or a hang; a closed stdout stops it quietly (141); what it prints but did not write
(the model's answer, server messages, package metadata) cannot drive the terminal.

A server, where one is needed, is a small OpenAI-compatible one on loopback in this process;
otherwise an unreachable loopback port (exit 3)."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from plume.cli import Output, _json_text, main, visible

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"
UNREACHABLE = "http://127.0.0.1:9"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x1bP+q\x1b\\\r\x08\x00\x7f"
RAW_CONTROLS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]


def _env(tmp_path: Path, **env: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PLUME_") and k not in ("LC_ALL", "LANG")}
    environment.update(
        PYTHONPATH=str(PYTHON_DIR),
        LANG="en_GB.UTF-8",
        PLUME_PERSONAL_LANGUAGES=str(tmp_path / "personal"),
        PLUME_LANGUAGE_PACKAGES_DIR=str(tmp_path / "shared"),
        NO_PROXY="*",
    )
    environment.update(env)
    return environment


def _cli(tmp_path: Path, *args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "plume", *args], input=stdin, capture_output=True, env=_env(tmp_path, **env), timeout=60
    )


def _assert_one_error_line(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == code, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("plume: ") and stderr.endswith("\n"), stderr
    return lines[0]


# --- hostile input and odd settings: one line, the right code ------------------------------

REMOTE_RUN = ("--backend", "openai", "--url", UNREACHABLE, "--model", "m")
TEXT = "Le conseil municipal s'est réuni le 3 avril.".encode()

CASES: list[tuple[str, list[str], bytes, dict[str, str], int]] = [
    # (id, arguments, stdin, environment, exit code)
    ("no command", [], b"", {}, 2),
    ("unknown command", ["dance"], b"", {}, 2),
    ("unknown action", ["run", "dance"], TEXT, {}, 2),
    ("unknown option", ["redact", "--frobnicate"], TEXT, {}, 2),
    ("unknown backend option", ["--backend", "xyz", "models"], b"", {}, 2),
    ("rewrite without style", [*REMOTE_RUN, "run", "rewrite"], TEXT, {}, 2),
    ("instruct without instruction", [*REMOTE_RUN, "run", "instruct"], TEXT, {}, 2),
    ("empty text", [*REMOTE_RUN, "run", "summarize"], b"", {}, 2),
    ("blank text", [*REMOTE_RUN, "run", "summarize"], b" \n\t\n", {}, 2),
    ("unreachable server", [*REMOTE_RUN, "run", "summarize"], TEXT, {}, 3),
    ("unreachable models", ["--url", UNREACHABLE, "models"], b"", {}, 3),
    ("invalid utf-8 run", [*REMOTE_RUN, "run", "summarize"], b"caf\xe9 cr\xe8me", {}, 2),
    ("invalid utf-8 redact", ["redact"], b"\xff\xfe\x00b\x00a\x00d", {}, 2),
    ("invalid utf-8 check", ["check", "--source", "/dev/null"], b"\xc3\x28", {}, 2),
    ("invalid utf-8 translate", ["translate", "--to", "en"], b"\x80abc", {}, 2),
    ("invalid utf-8 translate model", [*REMOTE_RUN, "translate", "--to", "en", "--engine", "model"], b"\xed\xa0\x80", {}, 2),
    ("endless stdin", ["redact"], b"", {"_STDIN": "/dev/zero"}, 2),
    ("check source is a device", ["check", "--source", "/dev/zero"], TEXT, {}, 2),
    ("check source is a folder", ["check", "--source", "/"], TEXT, {}, 2),
    ("check source missing", ["check", "--source", "/nonexistent/plume.txt"], TEXT, {}, 2),
    ("check source not utf-8", ["check", "--source", "_LATIN1"], TEXT, {}, 2),
    ("translate unknown pair", ["translate", "--to", "zz", "--from", "fr"], TEXT, {}, 2),
    ("translate empty target", ["translate", "--to", "", "--from", "fr"], TEXT, {}, 2),
    (
        "translate model turned off",
        [*REMOTE_RUN, "translate", "--to", "en", "--engine", "model"],
        TEXT,
        {"PLUME_TRANSLATE_WITH_MODEL": "non"},
        2,
    ),
    ("install /dev/zero", ["languages", "--install", "/dev/zero"], b"", {}, 2),
    ("install a folder", ["languages", "--install", "/"], b"", {}, 2),
    ("install missing file", ["languages", "--install", "/nonexistent.argosmodel"], b"", {}, 2),
    ("install empty name", ["languages", "--install", ""], b"", {}, 2),
    ("install not a zip", ["languages", "--install", "_LATIN1"], b"", {}, 2),
    ("max tokens abc", ["--url", UNREACHABLE, "models"], b"", {"PLUME_MAX_OUTPUT_TOKENS": "abc"}, 2),
    ("max tokens 1e400", ["--url", UNREACHABLE, "models"], b"", {"PLUME_MAX_OUTPUT_TOKENS": "1e400"}, 2),
    ("max tokens huge", ["--url", UNREACHABLE, "models"], b"", {"PLUME_MAX_OUTPUT_TOKENS": "9" * 5000}, 2),
    ("temperature nan", ["--url", UNREACHABLE, "models"], b"", {"PLUME_TEMPERATURE": "nan"}, 2),
    ("read timeout inf", ["--url", UNREACHABLE, "models"], b"", {"PLUME_READ_TIMEOUT": "inf"}, 2),
    ("connect timeout negative", ["--url", UNREACHABLE, "models"], b"", {"PLUME_CONNECT_TIMEOUT": "-1"}, 2),
    ("backend xyz", ["models"], b"", {"PLUME_BACKEND": "xyz"}, 2),
    ("context window -1", ["--url", UNREACHABLE, "models"], b"", {"PLUME_CONTEXT_WINDOW": "-1"}, 2),
    ("verify_tls enabled", ["--url", UNREACHABLE, "models"], b"", {"PLUME_VERIFY_TLS": "enabled"}, 2),
    ("verify_tls oui", ["--url", UNREACHABLE, "models"], b"", {"PLUME_VERIFY_TLS": "oui"}, 3),
    ("bad bool for languages", ["languages"], b"", {"PLUME_TRANSLATE_WITH_MODEL": "2"}, 2),
    ("ipv6 unbalanced", ["--url", "http://[::1", "models"], b"", {}, 2),
    ("full-width host", ["--url", "http://ｌｏｃａｌｈｏｓｔ:8080", "models"], b"", {}, 2),
    ("port out of range", ["--url", "http://127.0.0.1:99999", "models"], b"", {}, 2),
    ("port not a number", ["--url", "http://127.0.0.1:abc", "models"], b"", {}, 2),
    ("space in host", ["--url", "http://local host:8080", "models"], b"", {}, 2),
    ("tab in host", ["--url", "http://local\thost:8080", "models"], b"", {}, 2),
    ("credentials in url", ["--url", "http://user:hunter2@127.0.0.1:9", "models"], b"", {}, 2),
    ("empty url", ["--url", "", "models"], b"", {}, 2),
    ("url from env", ["models"], b"", {"PLUME_BASE_URL": "http://[::1"}, 2),
    ("doctor bad url", ["doctor"], b"", {"PLUME_BASE_URL": "http://[::1"}, 3),  # a FAIL line on stdout
    ("doctor unreadable setting", ["doctor"], b"", {"PLUME_VERIFY_TLS": "enabled"}, 2),
    ("ca bundle not pem", ["--url", "https://127.0.0.1:9", "models"], b"", {"PLUME_CA_BUNDLE": "_LATIN1"}, 2),
    ("translate with a broken package", ["translate", "--to", "en", "--from", "fr"], TEXT, {"_BROKEN": "1"}, 2),
    ("LANG empty", ["--url", UNREACHABLE, "models"], b"", {"LANG": ""}, 3),
    ("unknown --lang", ["--lang", "xx", "--url", UNREACHABLE, "models"], b"", {}, 3),
    ("--lang without value", ["--lang"], b"", {}, 2),
]


@pytest.mark.parametrize(("arguments", "stdin", "env", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_input_is_one_line_and_the_right_exit_code(
    tmp_path: Path, arguments: list[str], stdin: bytes, env: dict[str, str], code: int
) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Délibération du conseil".encode("latin-1"))
    arguments = [str(latin1) if a == "_LATIN1" else a for a in arguments]
    env = {k: str(latin1) if v == "_LATIN1" else v for k, v in env.items()}
    if env.pop("_BROKEN", None):  # listed (metadata and model/ are there) but no model.bin to load
        folder = tmp_path / "shared" / "translate-fr_en-1_0"
        (folder / "model").mkdir(parents=True)
        (folder / "metadata.json").write_text(json.dumps({"type": "translate", "from_code": "fr", "to_code": "en"}))
    if "_STDIN" in env:
        env = {k: v for k, v in env.items() if k != "_STDIN"}
        with open("/dev/zero", "rb") as endless:
            result = subprocess.run(
                [sys.executable, "-m", "plume", *arguments], stdin=endless, capture_output=True,
                env=_env(tmp_path, **env), timeout=60,
            )  # fmt: skip
    else:
        result = _cli(tmp_path, *arguments, stdin=stdin, **env)
    if arguments == ["doctor"] and code == 3:  # doctor reports on stdout, one FAIL line for the settings
        assert result.returncode == 3 and b"Traceback" not in result.stderr
        assert result.stdout.decode().startswith("FAIL settings: base_url")
        return
    line = _assert_one_error_line(result, code)
    assert "hunter2" not in line and "hunter2" not in result.stdout.decode("utf-8", "replace")


def test_settings_errors_name_the_setting_and_follow_lang(tmp_path: Path) -> None:
    result = _cli(tmp_path, "--url", UNREACHABLE, "models", PLUME_VERIFY_TLS="activé", LANG="fr_FR.UTF-8")
    line = _assert_one_error_line(result, 2)
    assert line.startswith("plume: Réglages invalides : verify_tls must be true or false") and "PLUME_" in line


def test_usage_errors_follow_lang_option_and_name_the_help(tmp_path: Path) -> None:
    line = _assert_one_error_line(_cli(tmp_path, "--lang", "fr", "run", "dance"), 2)
    assert line.startswith("plume: commande incorrecte") and "python -m plume run --help" in line


def test_invalid_utf8_names_the_position(tmp_path: Path) -> None:
    line = _assert_one_error_line(_cli(tmp_path, "redact", stdin=b"abc\xffdef"), 2)
    assert "UTF-8" in line and "position 3" in line


def test_a_bom_and_windows_line_ends_are_read_as_text(tmp_path: Path) -> None:
    result = _cli(tmp_path, "redact", stdin="\ufeffBonjour\r\nle monde\r\n".encode())
    assert result.returncode == 0 and result.stdout.decode() == "Bonjour\nle monde\n[]\n"


def test_closed_stdin_is_empty_input(tmp_path: Path) -> None:
    """``<&-``: Python starts with sys.stdin None; that is no text, not a crash."""
    for stdin in (subprocess.DEVNULL, None):
        result = subprocess.run(
            [sys.executable, "-m", "plume", *REMOTE_RUN, "run", "summarize"], stdin=stdin, capture_output=True,
            env=_env(tmp_path), timeout=60, preexec_fn=None if stdin is not None else lambda: os.close(0),
        )  # fmt: skip
        assert "no text" in _assert_one_error_line(result, 2)


# --- a loopback server that answers with escape sequences ----------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answer: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.startswith("/error/"):
            self._send(500, json.dumps({"error": {"message": f"overloaded{ESCAPES}\nsecond line"}}).encode())
            return
        models = [{"id": "m"}, {"id": f"evil{ESCAPES}model"}]
        self._send(200, json.dumps({"object": "list", "data": models}).encode())

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.startswith("/error/"):
            self._send(500, json.dumps({"error": {"message": f"overloaded{ESCAPES}"}}).encode())
            return
        events = [{"choices": [{"index": 0, "delta": {"content": piece}}]} for piece in self.answer]
        body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
        self._send(200, body.encode(), "text/event-stream")


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    _Handler.answer = ["Résumé : le conseil ", f"a voté{ESCAPES}", " le budget.\n", *[f"ligne {i}\n" for i in range(3000)]]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _assert_no_raw_controls(text: str) -> None:
    assert not [c for c in RAW_CONTROLS if c in text], repr(text[:300])


def test_the_models_answer_cannot_drive_the_terminal(tmp_path: Path, hostile_server: str) -> None:
    result = _cli(tmp_path, "--backend", "openai", "--url", hostile_server, "--model", "m", "run", "summarize",
                  stdin=TEXT, PLUME_CONTEXT_WINDOW="32768")  # fmt: skip
    stdout = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    _assert_no_raw_controls(stdout)
    assert "\\x1b[2J" in stdout and "\\x9b31m" in stdout and "\\x07" in stdout


def test_model_names_and_server_messages_cannot_drive_the_terminal(tmp_path: Path, hostile_server: str) -> None:
    models = _cli(tmp_path, "--backend", "openai", "--url", hostile_server, "models")
    assert models.returncode == 0, models.stderr
    _assert_no_raw_controls(models.stdout.decode())
    assert models.stdout.decode().splitlines()[1].startswith("evil\\x1b[2J")
    failed = _cli(tmp_path, "--backend", "openai", "--url", hostile_server + "/error", "models")
    line = _assert_one_error_line(failed, 3)
    _assert_no_raw_controls(line)
    doctor = _cli(tmp_path, "--backend", "openai", "--url", hostile_server, "--model", "absent", "doctor")
    _assert_no_raw_controls(doctor.stdout.decode())
    assert "evil\\x1b" in doctor.stdout.decode()


def test_package_metadata_and_paths_cannot_drive_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "shared" / f"translate-fr_en{ESCAPES.replace(chr(0), '').replace('/', '')}"
    (folder / "model").mkdir(parents=True)
    (folder / "metadata.json").write_text(
        json.dumps({"type": "translate", "from_code": "fr", "to_code": "en", "package_version": f"1.0{ESCAPES}"})
    )
    result = _cli(tmp_path, "languages")
    assert result.returncode == 0, result.stderr
    _assert_no_raw_controls(result.stdout.decode())
    _assert_no_raw_controls(result.stderr.decode())
    assert "1.0\\x1b[2J" in result.stdout.decode()


# --- stdout closed early ------------------------------------------------------------------


def _with_closed_stdout(tmp_path: Path, *args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    """Run with a stdout pipe whose reader is gone before the first write (``| head`` at its
    most abrupt): the first write fails with EPIPE, deterministically."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "plume", *args], input=stdin, stdout=write_end, stderr=subprocess.PIPE,
            env=_env(tmp_path, **env), timeout=60,
        )  # fmt: skip
    finally:
        os.close(write_end)


def test_redact_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    text = "".join(f"Ligne {i} : jean.dupont@mairie.fr\n" for i in range(20000)).encode()
    result = _with_closed_stdout(tmp_path, "redact", stdin=text)
    assert (result.returncode, result.stderr) == (141, b"")


def test_run_translate_and_models_into_a_closed_pipe_stop_quietly(tmp_path: Path, hostile_server: str) -> None:
    server = ("--backend", "openai", "--url", hostile_server, "--model", "m")
    for args in (("run", "summarize"), ("translate", "--to", "en", "--from", "fr", "--engine", "model"), ("models",)):
        result = _with_closed_stdout(tmp_path, *server, *args, stdin=TEXT, PLUME_CONTEXT_WINDOW="32768")
        assert (result.returncode, result.stderr) == (141, b""), args


def test_languages_and_doctor_into_a_closed_pipe_stop_quietly(tmp_path: Path) -> None:
    for pair in (("fr", "en"), ("en", "de")):
        folder = tmp_path / "shared" / f"translate-{pair[0]}_{pair[1]}"
        (folder / "model").mkdir(parents=True)
        (folder / "metadata.json").write_text(json.dumps({"from_code": pair[0], "to_code": pair[1]}))
    languages = _with_closed_stdout(tmp_path, "languages")
    assert languages.returncode == 141 and b"Traceback" not in languages.stderr
    doctor = _with_closed_stdout(tmp_path, "--url", UNREACHABLE, "doctor")
    assert (doctor.returncode, doctor.stderr) == (141, b"")


def test_head_reads_the_first_line_and_plume_exits_141(tmp_path: Path) -> None:
    text = "".join(f"Ligne {i}\n" for i in range(200000)).encode()
    shell = f'{sys.executable} -m plume redact | head -1; echo "status ${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", shell], input=text, capture_output=True, env=_env(tmp_path), timeout=60)
    assert result.stdout == b"Ligne 0\n" and result.stderr == b"status 141\n"


# --- the helpers --------------------------------------------------------------------------


def test_visible_shows_controls_and_keeps_text() -> None:
    assert visible("é\tà\n€ 中") == "é\tà\n€ 中"
    assert visible("a\x1b[31mb\x9b2Jc\x07\r\x00\x7f") == "a\\x1b[31mb\\x9b2Jc\\x07\\x0d\\x00\\x7f"
    assert visible("\ud800x") == "\ufffdx"
    assert not [c for c in RAW_CONTROLS if c in visible("".join(RAW_CONTROLS))]


def test_json_text_is_valid_json_without_raw_controls() -> None:
    value = {"text": "é" + "".join(RAW_CONTROLS) + "\u2028"}
    text = _json_text(value)
    assert json.loads(text) == value and "é" in text
    _assert_no_raw_controls(text)


class _ClosedOnWindows(io.StringIO):
    """A stdout whose reader left, as Windows reports it: OSError EINVAL, not EPIPE."""

    def write(self, text: str) -> int:
        raise OSError(errno.EINVAL, "Invalid argument")


def test_a_reader_that_left_is_141_on_windows_too() -> None:
    assert main(["redact"], stdin=io.StringIO("Bonjour.\n"), stdout=_ClosedOnWindows()) == 141
    with pytest.raises(BrokenPipeError):
        Output(_ClosedOnWindows()).write("x")


def test_other_output_errors_are_not_taken_for_a_closed_pipe() -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        Output(Full()).write("x")


def test_stdout_closed_from_the_start_runs_the_command_into_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plume", "redact"], input=b"Bonjour.\n", stderr=subprocess.PIPE,
        env=_env(tmp_path), timeout=60, preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, b"")


def test_in_process_output_is_made_visible_too() -> None:
    out = io.StringIO()
    assert main(["redact"], stdin=io.StringIO("a\x1b[31mb\n"), stdout=out) == 0
    assert out.getvalue().startswith("a\\x1b[31mb\n")


def test_a_package_the_runtime_cannot_load_is_named_as_damaged(tmp_path: Path) -> None:
    from plume.translation.argos import runtime_available

    if not runtime_available():
        pytest.skip("the Argos runtime is not installed here")
    folder = tmp_path / "shared" / "translate-fr_en-1_0"
    (folder / "model").mkdir(parents=True)
    (folder / "metadata.json").write_text(json.dumps({"type": "translate", "from_code": "fr", "to_code": "en"}))
    line = _assert_one_error_line(_cli(tmp_path, "translate", "--to", "en", "--from", "fr", stdin=TEXT), 2)
    assert "translate-fr_en-1_0 is damaged" in line and "model.bin" in line


def test_windows_line_ends_from_a_model_are_newlines_even_split_between_pieces() -> None:
    out = io.StringIO()
    output = Output(out)
    for piece in ("Un\r\nDeux\r", "\nTrois\r", "\r\n", "Quatre\rCinq\r"):
        output.write(piece)
    output.finish()
    assert out.getvalue() == "Un\nDeux\nTrois\\x0d\nQuatre\\x0dCinq\\x0d"
