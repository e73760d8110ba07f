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
from .errors import Cancelled, MissingPair, NeedsConfirmation, PlumeError, SettingsError, TranslationError, UnsupportedError
from .i18n import describe_error, language_of, t
from .longdoc import LongGeneration, blocks_from_text, require_confirmation
from .pipeline import resolve_model
from .settings import BACKENDS, Settings, settings_from_env
from .window import resolve_window

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
    commands.add_parser("models", help="list the server's models")
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


def _check(args: argparse.Namespace, answer: str, stdout: TextIO) -> int:
    from pathlib import Path

    from .factcheck import check

    try:
        source = Path(args.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UnsupportedError(f"cannot read the source text {args.source}: {error}") from None
    findings = check(answer, source, answer_language=args.answer_language, source_language=args.source_language)
    # The check informs; it does not fail: the exit code is 0 whatever it finds.
    json.dump({"count": len(findings), "findings": [f.to_dict() for f in findings]}, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    environ = dict(os.environ)
    args = build_parser().parse_args(argv)
    lang = language_of(args.lang or environ.get("LC_ALL") or environ.get("LANG", "en"))
    api_key = environ.get("PLUME_API_KEY", "")
    try:
        if args.command == "doctor":
            from .installation import command_line_checks
            from .translation.service import default_personal_dir, shared_dirs

            settings = _settings(args, environ)
            checks = run_checks(settings, api_key, lang)
            checks += command_line_checks(default_personal_dir(environ), shared_dirs(settings), environ)
            for check in checks:
                print(check.line(), file=stdout)
            return EXIT_OK if all(c.ok for c in checks) else EXIT_BACKEND
        if args.command == "redact":
            return _redact(stdin.read(), stdout)
        if args.command == "check":
            return _check(args, stdin.read(), stdout)
        if args.command == "languages":
            return _languages(_settings(args, environ), args.install, environ, lang, stdout)
        if args.command == "translate" and args.engine == "argos":
            return _translate(_settings(args, environ), args, environ, lang, stdin.read(), stdout)
        settings = _settings(args, environ).validate()
        backend = create_backend(settings, api_key)
        if args.command == "models":
            for model in backend.list_models():
                print(model.name, file=stdout)
            return EXIT_OK
        if args.command == "translate":
            if not settings.translate_with_model:
                raise UnsupportedError("translating with the model is turned off in the settings (translate_with_model)")
            spec = ActionSpec("translate", target=args.target)
        else:
            spec = ActionSpec(args.action, style=args.style, instruction=args.instruction)
        blocks = blocks_from_text(stdin.read())
        require_confirmation(settings, blocks, confirmed=args.yes)  # before any request, even for the window
        model_name = resolve_model(backend, settings)
        window = resolve_window(backend, settings, model_name).tokens
        generation = LongGeneration(backend, settings, spec, blocks, model=model_name, window=window,
                                    ui_language=lang, confirmed=args.yes)  # fmt: skip
        if generation.decision.needs_confirmation:
            print(generation.what_is_sent()[0], file=sys.stderr)
        for piece in generation:
            stdout.write(piece)
            stdout.flush()
        stdout.write("\n")
        if generation.stats.missing:
            print(f"plume: {t('warning.missing', lang, values=', '.join(generation.stats.missing))}", file=sys.stderr)
        if generation.stats.truncated:  # informs, like the line above: the exit code stays 0
            print(f"plume: {t('warning.truncated', lang)}", file=sys.stderr)
        return EXIT_OK
    except KeyboardInterrupt:
        print(f"plume: {describe_error(Cancelled(), lang)}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (SettingsError, UnsupportedError, NeedsConfirmation, TranslationError) as error:
        print(f"plume: {describe_error(error, lang)}", file=sys.stderr)
        if isinstance(error, MissingPair) and error.model_allowed:
            print(f"plume: {t('error.missing_pair.cli', lang)}", file=sys.stderr)
        return EXIT_USAGE
    except PlumeError as error:
        print(f"plume: {describe_error(error, lang)}", file=sys.stderr)
        return EXIT_BACKEND


def _languages(settings: Settings, install: str | None, environ: dict[str, str], lang: str, stdout: TextIO) -> int:
    from pathlib import Path

    from .translation.languages import name_in
    from .translation.service import default_personal_dir, translator_for

    translator = translator_for(settings, default_personal_dir(environ))
    if install:
        package = translator.folders.install(Path(install))
        print(t("languages.installed", lang, source=package.source, target=package.target, path=package.path), file=stdout)
    active = translator.packages()
    for package in translator.folders.installed():
        used = "" if active[package.pair] == package else f"  ({t('languages.shadowed', lang)})"
        print(f"{package.source} -> {package.target}\t{package.version or '-'}\t"
              f"{t('languages.' + package.origin, lang)}\t{package.path}{used}", file=stdout)  # fmt: skip
    for source in translator.source_languages():
        for target in translator.target_languages(source):
            if (source, target) not in active:
                print(f"{source} -> {target}\t{t('languages.pivot', lang)}", file=stdout)
    if not active:
        folders = ", ".join(str(p) for p in (translator.folders.personal, *translator.folders.shared))
        print(t("languages.none", lang, folders=folders), file=sys.stderr)
    else:
        names = ", ".join(f"{code} ({name_in(code, lang)})" for code in translator.source_languages())
        print(t("languages.sources", lang, names=names), file=sys.stderr)
    return EXIT_OK


def _translate(
    settings: Settings, args: argparse.Namespace, environ: dict[str, str], lang: str, text: str, stdout: TextIO
) -> int:
    from .translation.service import default_personal_dir, plan_translation, translate_paragraphs, translator_for

    translator = translator_for(settings, default_personal_dir(environ))
    plan = plan_translation(translator, text, args.target, args.source, model_allowed=settings.translate_with_model)
    if plan.detection is not None:
        print(f"plume: {t('translate.detected', lang, code=plan.source, percent=round(plan.detection.confidence * 100))}",
              file=sys.stderr)  # fmt: skip
    paragraphs = text.split("\n")
    if paragraphs and paragraphs[-1] == "":
        paragraphs.pop()  # the final newline of stdin is not an empty paragraph
    for translated in translate_paragraphs(translator, paragraphs, plan):
        stdout.write(translated + "\n")
        stdout.flush()
    return EXIT_OK
