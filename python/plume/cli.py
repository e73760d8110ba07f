"""``python -m plume``: the core from a shell, for scripting and IT.

Settings come from ``PLUME_*`` environment variables (``PLUME_BACKEND``, ``PLUME_BASE_URL``,
``PLUME_MODEL``...) and the options below; the API key only from ``PLUME_API_KEY`` (a
command-line argument would be visible to every user in the process list).

Exit codes: 0 ok, 1 internal error (a bug: one line, ``PLUME_DEBUG=1`` shows the traceback),
2 usage, settings or input (a text too long for an action that needs it whole; a folder or an
index that cannot be used), 3 backend error, 4 ``ask`` found nothing relevant in the documents
(the model was not asked), 130 interrupted, 141 standard output closed early (``| head``: Plume stops quietly,
as a command killed by SIGPIPE; a request under way is closed). Errors are one line on stderr starting with ``plume:``.

``run ACTION`` runs any action these settings give (``python -m plume actions`` lists them:
built-in, IT's ``it-...``, personal ``my-...``) on stdin; an action that reads nothing
(``run draft --instruction "..."``) does not read stdin.

Input (stdin, ``check --source``) is UTF-8, at most 64 MB. What Plume prints but did not
write itself (the model's answer, server messages, package metadata, paths, the text it
echoes) has its control characters other than newline and tab shown as ``\\xNN``, so an
answer cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import IO, NoReturn, TextIO

from .actions import BUILTINS, registry_for
from .backends.base import create_backend
from .cli_ask import add_parser as add_ask_parser
from .cli_ask import ask_main
from .doctor import run_checks
from .errors import (
    Cancelled,
    KnowledgeError,
    MissingPair,
    NeedsConfirmation,
    PlumeError,
    SettingsError,
    TooLong,
    TranslationError,
    UnsupportedError,
)
from .i18n import describe_error, language_of, t
from .longdoc import blocks_from_text
from .runs import prepare_run, spec_for
from .settings import CHOICES, Settings, settings_from_env

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_BACKEND, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 3, 130, 141
MAX_INPUT_BYTES = 64 * 1024**2

# C0 controls but newline and tab, DEL, C1 controls (CSI, OSC... in one byte), lone surrogates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_JSON_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")  # json.dumps escapes C0 itself


def visible(text: str) -> str:
    """``text`` safe for a terminal: control characters other than newline and tab shown as
    ``\\xNN`` (so ESC, CSI and OSC sequences are printed, not obeyed); lone surrogates,
    which no encoding can write, as U+FFFD."""
    return _CONTROLS.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else f"\\x{ord(m.group()):02x}", text)


def _json_text(value: object, indent: int | None = None) -> str:
    """JSON with readable accents, and no raw C1 control: those become ``\\u009b`` escapes (still valid JSON)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class Output:
    """Standard output for the commands. Everything written goes through :func:`visible`
    (JSON made by :func:`_json_text` passes unchanged) after Windows line ends become
    newlines, even when a stream splits one between two pieces; a reader that left is a
    :class:`BrokenPipeError` on every platform (Windows says EINVAL)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._carriage_return = False  # a piece ended with \r: is the next one's \n its pair?

    def write(self, text: str) -> None:
        if self._carriage_return:
            text, self._carriage_return = "\r" + text, False
        if text.endswith("\r"):
            text, self._carriage_return = text[:-1], True
        self._write(visible(text.replace("\r\n", "\n")))

    def line(self, text: str) -> None:
        self.write(text + "\n")

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as error:
            raise _reader_left(error) from None

    def finish(self) -> None:
        """Write what was held back (a last lone \r), then flush."""
        if self._carriage_return:
            self._carriage_return = False
            self._write(visible("\r"))
        self.flush()

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except OSError as error:
            raise _reader_left(error) from None


def _reader_left(error: OSError) -> OSError:
    if isinstance(error, BrokenPipeError) or error.errno in (errno.EPIPE, errno.EINVAL):
        return BrokenPipeError(errno.EPIPE, "the reader of the output left")
    return error


class InputError(UnsupportedError):
    """Unusable input on stdin or in a file: exit 2, with a translated message."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}")


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line on stderr, exit 2 (argparse prints the whole usage)."""

    lang = "en"

    def error(self, message: str) -> NoReturn:
        _error(t("error.usage", self.lang, detail=message, command=self.prog))
        raise SystemExit(EXIT_USAGE)


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    class Parser(_Parser):  # the subcommands' parsers are of the same class, hence speak the same language
        pass

    Parser.lang = lang
    parser = Parser(prog="python -m plume", description="Plume: AI writing assistant, command line.")
    parser.add_argument("--backend", choices=CHOICES["backend"], help="server protocol (PLUME_BACKEND)")
    parser.add_argument("--url", help="server address (PLUME_BASE_URL)")
    parser.add_argument("--model", help="model name (PLUME_MODEL)")
    parser.add_argument("--lang", help="language of messages: fr or en (default: from LANG)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="run an action on the text read from stdin (none for an action that reads nothing), stream the result to stdout",
    )
    run.add_argument("action", help="the action's id: built-in, IT's (it-...) or personal (my-...); see 'actions'")
    run.add_argument(
        "--style", choices=BUILTINS.styles, default="", help="rewrite style (rewrite --style formal is rewrite-formal)"
    )
    run.add_argument("--instruction", default="", help="the instruction (draft, instruct, reply...)")
    run.add_argument("--to", dest="target", default="", help="translate: the language code to translate into")
    run.add_argument(
        "--yes", action="store_true", help="confirm sending under a 'warn' policy (the pseudonymised text is shown on stderr)"
    )
    actions = commands.add_parser(
        "actions", help="list the actions these settings give: id, label, what it reads, instruction, origin"
    )
    actions.add_argument("--json", action="store_true", help="as a JSON list")
    commands.add_parser(
        "redact", help="print the text from stdin pseudonymised, then one last line: the JSON list of findings (type, start, end)"
    )
    translate = commands.add_parser(
        "translate", help="translate the text from stdin offline (Argos packages), paragraph by paragraph, to stdout"
    )
    translate.add_argument("--to", dest="target", required=True, help="language code to translate into (en, de, ar...)")
    translate.add_argument("--from", dest="source", default="", help="language of the text (default: detected)")
    translate.add_argument(
        "--engine", choices=("argos", "model"), default="argos",
        help="argos (offline packages) or model (the configured model server, when settings allow it)",
    )  # fmt: skip
    languages = commands.add_parser("languages", help="list the installed language packages and where they come from")
    languages.add_argument("--install", metavar="FILE", help="install an .argosmodel file into your personal folder first")
    for sub in (translate, languages):
        sub.add_argument("--packages", metavar="DIR", help="shared packages folder (setting language_packages_dir)")
    translate.add_argument("--yes", action="store_true", help="with --engine model: as for run --yes")
    checker = commands.add_parser(
        "check", help="compare an answer (stdin) with its source text: print, as JSON, what the source does not support"
    )
    checker.add_argument("--source", metavar="FILE", required=True, help="the text the answer was made from (UTF-8)")
    checker.add_argument("--source-language", default="", help="fr, en... (default: guessed)")
    checker.add_argument(
        "--answer-language", default="", help="fr, en... (default: guessed; differs from the source's for translations)"
    )
    add_ask_parser(commands)
    from . import cli_index

    cli_index.add_parser(commands)
    commands.add_parser("models", help="list the server's models")
    commands.add_parser("gateway", add_help=False, help="serve the OpenAI-compatible gateway (python -m plume gateway --help)")
    commands.add_parser(
        "doctor",
        help="check settings, server, model, LibreOffice, the extension, language packages and policy; one line each, OK or FAIL with the fix",
    )
    return parser


def _settings(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """Environment, then options; not validated here (doctor reports problems itself)."""
    overrides = {"backend": args.backend, "base_url": args.url, "model": args.model,
                 "language_packages_dir": getattr(args, "packages", None)}  # fmt: skip
    return settings_from_env(environ).replace(**{k: v for k, v in overrides.items() if v is not None})


def _redact(text: str, stdout: Output) -> int:
    from .shield.detect import detect
    from .shield.plain import plain_form
    from .shield.pseudonym import Pseudonymiser

    text = plain_form(text)  # as the door sends it: no value hides behind an invisible character
    findings = detect(text)
    stdout.write(Pseudonymiser().protect(text, findings))
    if not text.endswith("\n"):
        stdout.write("\n")
    # Positions in the text (in its plain form: the input's, unless it held invisible or
    # full-width characters), and no values: the list can go to an audit trail.
    stdout.write(json.dumps([{"type": f.kind, "start": f.start, "end": f.end} for f in findings]) + "\n")
    return EXIT_OK


def _check(args: argparse.Namespace, answer: str, stdout: Output) -> int:
    from .factcheck import check

    try:
        with open(args.source, "rb") as handle:
            source = _decoded(handle, args.source)
    except OSError as error:
        raise InputError("error.input.file", path=args.source, detail=error.strerror or str(error)) from None
    findings = check(answer, source, answer_language=args.answer_language, source_language=args.source_language)
    # The check informs; it does not fail: the exit code is 0 whatever it finds.
    stdout.write(_json_text({"count": len(findings), "findings": [f.to_dict() for f in findings]}, indent=2) + "\n")
    return EXIT_OK


def _read_input(stdin: TextIO | None) -> str:
    """All of stdin, as UTF-8 (a BOM is dropped, line ends become \\n). A closed stdin is
    empty; invalid UTF-8 or more than 64 MB is an :class:`InputError`."""
    if stdin is None:
        return ""
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # a text stream given by a caller (tests)
        text = stdin.read(MAX_INPUT_BYTES + 1)
        if len(text) > MAX_INPUT_BYTES:
            raise InputError("error.input.large", source="stdin", limit=MAX_INPUT_BYTES // 1024**2)
        return text
    return _decoded(buffer, "stdin")


def _decoded(handle: IO[bytes], source: str) -> str:
    raw = handle.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:  # /dev/zero, or a file that is not a text to work on
        raise InputError("error.input.large", source=source, limit=MAX_INPUT_BYTES // 1024**2)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError("error.input.encoding", source=source, position=error.start) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _error(message: str) -> None:
    """One line on stderr, ``plume: ...``; nothing if stderr is closed."""
    line = "plume: " + visible(" ".join(message.splitlines()))
    with contextlib.suppress(OSError, ValueError):
        if sys.stderr is not None:
            print(line, file=sys.stderr, flush=True)


def _lines(lines: Iterable[str], stdout: Output) -> None:
    for line in lines:
        stdout.line(line)


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    environ = dict(os.environ)
    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = language_of(_lang_option(arguments) or environ.get("LC_ALL") or environ.get("LANG") or "en")
    output = Output(_real_stdout() if stdout is None else stdout)
    if stdin is None:
        stdin = sys.stdin
    try:
        code = _main(arguments, stdin, output, environ, lang)
        output.finish()  # here, not at exit, where a reader that left would print a traceback
        return code
    except BrokenPipeError:  # the reader left (| head): stop quietly
        _drop_stdout(output.stream)
        return EXIT_PIPE
    except KeyboardInterrupt:
        _error(describe_error(Cancelled(), lang))
        return EXIT_INTERRUPTED
    except InputError as error:
        _error(t(error.key, lang, **error.values))
        return EXIT_USAGE
    except SettingsError as error:
        _error(t("error.settings.cli", lang, detail="; ".join(error.problems)))
        return EXIT_USAGE
    except TooLong as error:  # the text is too long for an action that needs it whole: the input's fault
        _error(describe_error(error, lang))
        return EXIT_USAGE if error.whole_text else EXIT_BACKEND
    except (UnsupportedError, NeedsConfirmation, TranslationError, KnowledgeError) as error:
        hint = f" {t('error.missing_pair.cli', lang)}" if isinstance(error, MissingPair) and error.model_allowed else ""
        _error(describe_error(error, lang) + hint)
        return EXIT_USAGE
    except PlumeError as error:
        _error(describe_error(error, lang))
        return EXIT_BACKEND
    except Exception as error:  # a bug: one line, not a traceback (PLUME_DEBUG=1 shows it)
        if environ.get("PLUME_DEBUG"):
            raise
        _error(t("error.internal.cli", lang, detail=f"{type(error).__name__}: {error}"))
        return EXIT_INTERNAL


def _main(argv: list[str], stdin: TextIO | None, stdout: Output, environ: dict[str, str], lang: str) -> int:
    if argv[:1] == ["gateway"]:  # a service with its own options and dependencies (requirements-gateway.txt)
        from plume_gateway.cli import main as gateway

        return gateway(argv[1:])
    args = build_parser(lang).parse_args(argv)
    api_key = environ.get("PLUME_API_KEY", "")
    if args.command == "doctor":
        from .installation import command_line_checks
        from .translation.service import default_personal_dir, shared_dirs

        settings = _settings(args, environ)
        checks = run_checks(settings, api_key, lang)
        checks += command_line_checks(default_personal_dir(environ), shared_dirs(settings), environ)
        _lines((check.line() for check in checks), stdout)
        return EXIT_OK if all(c.ok for c in checks) else EXIT_BACKEND
    if args.command == "redact":
        return _redact(_read_input(stdin), stdout)
    if args.command == "check":
        return _check(args, _read_input(stdin), stdout)
    if args.command == "index":
        from . import cli_index

        return cli_index.run(args, _settings(args, environ), environ, lang, stdout.line)
    if args.command == "languages":
        return _languages(_settings(args, environ), args.install, environ, lang, stdout)
    if args.command == "translate" and args.engine == "argos":
        settings = _settings(args, environ)
        return _translate(settings, args, environ, lang, _read_input(stdin), stdout)
    settings = _settings(args, environ).validate()
    if args.command == "actions":
        return _actions(settings, args.json, lang, stdout)
    if args.command == "ask":
        return ask_main(args, settings, api_key=api_key, lang=lang, stdout=stdout, environ=environ, note=_note)
    if args.command == "models":
        _lines((model.name for model in create_backend(settings, api_key).list_models()), stdout)
        return EXIT_OK
    if args.command == "translate":  # prepare_run refuses it when translate_with_model is off
        spec = spec_for(settings, "translate", target=args.target)
    else:  # refused before stdin is read: an unknown action, a missing instruction
        registry = registry_for(settings)
        if args.action not in registry and args.action != "rewrite":  # rewrite without --style says which exist
            detail = f"argument action: invalid choice: {args.action!r} (choose from {', '.join(registry.ids)})"
            _error(t("error.usage", lang, detail=detail, command="python -m plume run"))
            return EXIT_USAGE
        spec = spec_for(settings, args.action, style=args.style, instruction=args.instruction, target=args.target)
    # An action that reads nothing (drafting) does not wait for stdin, a terminal's included.
    blocks = blocks_from_text(_read_input(stdin)) if spec.definition.needs_text else []
    run = prepare_run(settings, spec, blocks, api_key=api_key, ui_language=lang, confirmed=args.yes)
    if args.yes and run.needs_confirmation and sys.stderr is not None:  # without --yes, pieces() refuses first
        print(visible(run.what_is_sent()[0]), file=sys.stderr)
    pieces = run.pieces()
    try:
        for piece in pieces:
            stdout.write(piece)
            stdout.flush()
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()  # the reader left, or Ctrl+C: the request is closed now, not at exit
    stdout.write("\n")
    stdout.flush()
    for note in run.notes(lang):  # lost values, a missing end: they inform, the exit code stays 0
        _error(note)
    return EXIT_OK


def _actions(settings: Settings, as_json: bool, lang: str, stdout: Output) -> int:
    """The registry for these settings: built-in actions, IT's, then personal ones if allowed."""
    rows = [{"id": a.id, "label": a.label(lang), "reads": a.reads, "instruction": a.instruction, "apply": a.placement,
             "origin": a.origin, "description": a.tooltip(lang)} for a in registry_for(settings)]  # fmt: skip
    if as_json:
        stdout.write(_json_text(rows, indent=2) + "\n")
    else:
        _lines((f"{r['id']}\t{r['label']}\t{r['reads']}\t{r['instruction']}\t{r['origin']}" for r in rows), stdout)
    return EXIT_OK


def _lang_option(argv: list[str]) -> str:
    """``--lang`` before parsing, so that usage errors follow it too."""
    for index, argument in enumerate(argv):
        if argument == "--":
            break
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
        if argument == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return ""


def _real_stdout() -> TextIO:
    """``sys.stdout``, writing what the locale cannot encode as '?' rather than failing
    (an ISO-8859-1 terminal and an arrow); /dev/null when stdout was closed (``>&-``)."""
    stream = sys.stdout
    if stream is None:
        return open(os.devnull, "w", encoding="utf-8")  # for the life of the process
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(OSError, ValueError):
            stream.reconfigure(errors="replace")
    return stream


def _drop_stdout(stdout: TextIO) -> None:
    """After a broken pipe: point stdout at /dev/null, so that the flush at exit does not
    fail again (Python would print "Exception ignored ... BrokenPipeError")."""
    if stdout is not sys.stdout:
        return
    with contextlib.suppress(OSError, ValueError):  # io.UnsupportedOperation is both
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)


def _languages(settings: Settings, install: str | None, environ: dict[str, str], lang: str, stdout: Output) -> int:
    from pathlib import Path

    from .translation.languages import name_in
    from .translation.service import default_personal_dir, translator_for

    translator = translator_for(settings, default_personal_dir(environ))
    if install is not None:
        package = translator.folders.install(Path(install))
        _lines([t("languages.installed", lang, source=package.source, target=package.target, path=package.path)], stdout)
    active = translator.packages()
    for package in translator.folders.installed():
        used = "" if active[package.pair] == package else f"  ({t('languages.shadowed', lang)})"
        _lines([f"{package.source} -> {package.target}\t{package.version or '-'}\t"
                f"{t('languages.' + package.origin, lang)}\t{package.path}{used}"], stdout)  # fmt: skip
    for source in translator.source_languages():
        for target in translator.target_languages(source):
            if (source, target) not in active:
                _lines([f"{source} -> {target}\t{t('languages.pivot', lang)}"], stdout)
    if not active:
        folders = ", ".join(str(p) for p in (translator.folders.personal, *translator.folders.shared))
        _note(t("languages.none", lang, folders=folders))
    else:
        names = ", ".join(f"{code} ({name_in(code, lang)})" for code in translator.source_languages())
        _note(t("languages.sources", lang, names=names))
    return EXIT_OK


def _note(message: str) -> None:
    """Information on stderr, not an error: without the ``plume:`` prefix."""
    with contextlib.suppress(OSError, ValueError):
        if sys.stderr is not None:
            print(visible(message), file=sys.stderr)


def _translate(
    settings: Settings, args: argparse.Namespace, environ: dict[str, str], lang: str, text: str, stdout: Output
) -> int:
    from .translation.service import default_personal_dir, plan_translation, translate_paragraphs, translator_for

    translator = translator_for(settings, default_personal_dir(environ))
    plan = plan_translation(translator, text, args.target, args.source, model_allowed=settings.translate_with_model)
    if plan.detection is not None:
        _error(t("translate.detected", lang, code=plan.source, percent=round(plan.detection.confidence * 100)))
    paragraphs = text.split("\n")
    if paragraphs and paragraphs[-1] == "":
        paragraphs.pop()  # the final newline of stdin is not an empty paragraph
    for translated in translate_paragraphs(translator, paragraphs, plan):
        stdout.line(translated)
        stdout.flush()
    return EXIT_OK
