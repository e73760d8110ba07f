"""``python -m plume ask "question" [--collection NAME | --document FILE] [--json] [--yes] [-k N]``

Asks a collection (IT's shared one of that name first, else the user's; default
``documents``) or one file (read with the index's extraction, searched in memory), then:

- without ``--json``: the answer streamed to stdout, then its **cited** sources, one JSON
  object a line (``number``, ``file``, ``title``, ``place``, ``page``, ``section``,
  ``paragraph``, ``start``, ``end``, ``modified``, ``passage``, ``score``); what the user
  should know (no citation, unknown numbers, figures the cited passages do not support, a
  missing end) on stderr;
- with ``--json``: one JSON object once the answer is complete: ``question``, ``found``,
  ``answer``, ``sources`` (as above), ``uncited``, ``unknown``, ``unsupported`` (fact-check
  findings against the cited passages), ``truncated``, ``notes``.

Exit codes (besides those of :mod:`plume.cli`): **4** nothing relevant was found in the
documents: the model was not asked; stdout is empty (with ``--json``: the object, ``found``
false), the reason is one line on stderr. An unknown collection, an unreadable file, an empty
question: one line, exit 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KnowledgeError
from .settings import Settings

if TYPE_CHECKING:
    import httpx

    from .cli import Output
    from .knowledge.answer import AskRun
    from .knowledge.types import Retriever

EXIT_NOTHING_FOUND = 4


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ask = commands.add_parser(
        "ask",
        help="answer a question from a collection or a file, citing its sources: the answer streamed, then its sources "
        "as JSON lines (exit 4: nothing relevant found, the model is not asked)",
    )
    ask.add_argument("question", help="the question, in quotes")
    scope = ask.add_mutually_exclusive_group()
    scope.add_argument("--collection", metavar="NAME", help="the collection to ask (default: documents)")
    scope.add_argument("--document", metavar="FILE", help="ask this one file (ODT, DOCX, PDF, TXT, Markdown, HTML...)")
    ask.add_argument("--json", action="store_true", help="one JSON object once the answer is complete")
    ask.add_argument("-k", type=int, default=0, metavar="N", help="send at most N passages (default 5, at most 20)")
    ask.add_argument("--yes", action="store_true", help="as for run --yes")


def ask_main(
    args: argparse.Namespace,
    settings: Settings,
    *,
    api_key: str,
    lang: str,
    stdout: Output,
    environ: Mapping[str, str],
    note: Callable[[str], None],
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Runs ``ask``; ``note`` writes one line on stderr. Returns the exit code."""
    from .cli import EXIT_OK, EXIT_USAGE, InputError, _error, _json_text
    from .i18n import describe_error
    from .knowledge.answer import DEFAULT_K, MAX_K, prepare_ask

    if not 0 <= args.k <= MAX_K:
        raise InputError("error.ask.k", value=args.k, limit=MAX_K)
    if not args.question.strip():
        raise InputError("error.ask.question")
    try:
        retriever, close = _retriever(args, settings, api_key=api_key, environ=environ, transport=transport)
    except KnowledgeError as error:  # no such collection, an unreadable file: the input's fault
        _error(describe_error(error, lang))
        return EXIT_USAGE
    notes_of_search: list[str] = []
    try:
        run = prepare_ask(settings, args.question, retriever, api_key=api_key, ui_language=lang, confirmed=args.yes,
                          transport=transport, environ=environ, k=args.k or DEFAULT_K)  # fmt: skip
        if args.yes and run.needs_confirmation:
            note(run.what_is_sent()[0])
        pieces = run.pieces()
        try:
            for piece in pieces:
                if not args.json:
                    stdout.write(piece)
                    stdout.flush()
        finally:
            getattr(pieces, "close", lambda: None)()  # the reader left, or Ctrl+C: close the request now
        notes_of_search = list(getattr(retriever, "notes", []))  # i18n keys: "searched without embeddings"...
    finally:
        close()
    if args.json:
        stdout.write(_json_text(result(run, lang)) + "\n")
    elif not run.found_nothing:
        stdout.write("\n")
        for record in result(run, lang)["sources"]:  # type: ignore[attr-defined]
            stdout.write(_json_text(record) + "\n")
    for line in [*_search_notes(notes_of_search, lang), *_notes(run, lang)]:
        note(line)
    return EXIT_NOTHING_FOUND if run.found_nothing else EXIT_OK


def result(run: AskRun, lang: str) -> dict[str, object]:
    """The finished run as one JSON object (``--json``)."""
    from .knowledge.answer import source_record

    return {
        "question": run.question,
        "found": not run.found_nothing,
        "answer": run.text,
        "sources": [source_record(source, lang) for source in run.sources],
        "uncited": run.uncited,
        "unknown": run.unknown,
        "unsupported": [f.to_dict() for f in run.unsupported or []],
        "truncated": run.truncated,
        "notes": _notes(run, lang),
    }


def _search_notes(keys: list[str], lang: str) -> list[str]:
    from .i18n import STRINGS, t

    return [t(key, lang) for key in keys if key in STRINGS]


def _notes(run: AskRun, lang: str) -> list[str]:
    from .i18n import t

    found = run.notes(lang)
    if run.unsupported:
        found.append(t("ask.unsupported", lang, items=", ".join(f"« {f.text} »" for f in run.unsupported)))
    return found


def _retriever(
    args: argparse.Namespace,
    settings: Settings,
    *,
    api_key: str,
    environ: Mapping[str, str],
    transport: httpx.BaseTransport | None,
) -> tuple[Retriever, Callable[[], None]]:
    """The retriever the arguments name, and what closes it."""
    if args.document:
        return file_retriever(Path(args.document)), lambda: None
    from .knowledge.collection import DEFAULT_COLLECTION, open_collection

    collection = open_collection(args.collection or DEFAULT_COLLECTION, settings=settings, api_key=api_key,
                                 transport=transport, environ=environ)  # fmt: skip
    return collection, collection.close


def file_retriever(path: Path) -> Retriever:
    """One file, read with the index's extraction and searched in memory; its passages name
    the file as given."""
    from .errors import UnreadableFile
    from .knowledge.extract import extract
    from .knowledge.lexical import LexicalRetriever
    from .knowledge.passages import passages
    from .knowledge.store import Store

    if not path.is_file():
        raise UnreadableFile(str(path), "access", "no such file")
    extracted = extract(path)
    title = extracted.title or path.stem
    store = Store(None)
    found = passages(extracted.paragraphs, str(path), title=title)
    store.replace(str(path), 0, 0, "", title=title, modified="", passages=found)
    store.db.commit()
    return LexicalRetriever(store)
