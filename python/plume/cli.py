"""``python -m plume``: the core from a shell, for scripting and IT.

Settings come from ``PLUME_*`` environment variables (``PLUME_BACKEND``, ``PLUME_BASE_URL``,
``PLUME_MODEL``...) and the options below; the API key only from ``PLUME_API_KEY`` (a
command-line argument would be visible to every user in the process list).
Exit codes: 0 ok, 2 usage or settings, 3 backend error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from .actions import ACTIONS, STYLES, ActionSpec
from .backends.base import create_backend
from .doctor import run_checks
from .errors import Cancelled, NeedsConfirmation, PlumeError, SettingsError, UnsupportedError
from .i18n import describe_error, language_of, t
from .pipeline import Generation, resolve_model
from .settings import BACKENDS, Settings, settings_from_env

EXIT_OK, EXIT_USAGE, EXIT_BACKEND, EXIT_INTERRUPTED = 0, 2, 3, 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m plume", description="Plume: AI writing assistant, command line.")
    parser.add_argument("--backend", choices=BACKENDS, help="server protocol (PLUME_BACKEND)")
    parser.add_argument("--url", help="server address (PLUME_BASE_URL)")
    parser.add_argument("--model", help="model name (PLUME_MODEL)")
    parser.add_argument("--lang", help="language of messages: fr or en (default: from LANG)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run an action on the text read from stdin, stream the result to stdout")
    run.add_argument("action", choices=ACTIONS)
    run.add_argument("--style", choices=STYLES, default="", help="rewrite style")
    run.add_argument("--instruction", default="", help="the instruction for 'instruct'")
    run.add_argument(
        "--yes", action="store_true", help="confirm sending under a 'warn' policy (the pseudonymised text is shown on stderr)"
    )
    commands.add_parser(
        "redact", help="print the text from stdin pseudonymised, then one last line: the JSON list of findings (type, start, end)"
    )
    commands.add_parser("models", help="list the server's models")
    commands.add_parser("doctor", help="check settings, server and model; one line each, OK or FAIL with the fix")
    return parser


def _settings(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    """Environment, then options; not validated here (doctor reports problems itself)."""
    overrides = {"backend": args.backend, "base_url": args.url, "model": args.model}
    return settings_from_env(environ).replace(**{k: v for k, v in overrides.items() if v is not None})


def _redact(text: str, stdout: TextIO) -> int:
    from .shield.detect import detect
    from .shield.pseudonym import Pseudonymiser

    findings = detect(text)
    stdout.write(Pseudonymiser().protect(text, findings))
    if not text.endswith("\n"):
        stdout.write("\n")
    # Positions in the input, and no values: the list can go to an audit trail.
    stdout.write(json.dumps([{"type": f.kind, "start": f.start, "end": f.end} for f in findings]) + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    environ = dict(os.environ)
    args = build_parser().parse_args(argv)
    lang = language_of(args.lang or environ.get("LC_ALL") or environ.get("LANG", "en"))
    api_key = environ.get("PLUME_API_KEY", "")
    try:
        if args.command == "doctor":
            checks = run_checks(_settings(args, environ), api_key, lang)
            for check in checks:
                print(check.line(), file=stdout)
            return EXIT_OK if all(c.ok for c in checks) else EXIT_BACKEND
        if args.command == "redact":
            return _redact(stdin.read(), stdout)
        settings = _settings(args, environ).validate()
        backend = create_backend(settings, api_key)
        if args.command == "models":
            for model in backend.list_models():
                print(model.name, file=stdout)
            return EXIT_OK
        spec = ActionSpec(args.action, style=args.style, instruction=args.instruction)
        text = stdin.read()
        generation = Generation(
            backend, settings, spec, text, model=resolve_model(backend, settings), ui_language=lang, confirmed=args.yes
        )
        if generation.decision.needs_confirmation:
            print(generation.sent_text, file=sys.stderr)
        for piece in generation:
            stdout.write(piece)
            stdout.flush()
        stdout.write("\n")
        if generation.stats.missing:
            print(f"plume: {t('warning.missing', lang, values=', '.join(generation.stats.missing))}", file=sys.stderr)
        return EXIT_OK
    except KeyboardInterrupt:
        print(f"plume: {describe_error(Cancelled(), lang)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (SettingsError, UnsupportedError, NeedsConfirmation) as error:
        print(f"plume: {describe_error(error, lang)}", file=sys.stderr)
        return EXIT_USAGE
    except PlumeError as error:
        print(f"plume: {describe_error(error, lang)}", file=sys.stderr)
        return EXIT_BACKEND
