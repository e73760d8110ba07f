"""``python -m plume gateway``: run the gateway, check its configuration, or make a key.

    python -m plume gateway --config /etc/plume/gateway.toml
    python -m plume gateway --config FILE --check      # validate, print one line per problem
    python -m plume gateway --upstream http://127.0.0.1:8080 [--port 8088]
    python -m plume gateway hash-key [--new]            # key on stdin (or a new one) -> its hash line

Exit codes as the rest of the command line: 0 ok, 2 usage or configuration (one line per
problem on stderr, ``plume gateway:``), 1 a bug.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import config as configuration
from .keys import hash_line, new_key

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        _error(f"{message} (python -m plume gateway --help)")
        raise SystemExit(EXIT_USAGE)


def _error(line: str) -> None:
    print("plume gateway: " + " ".join(line.splitlines()), file=sys.stderr, flush=True)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m plume gateway", description="Plume's OpenAI-compatible gateway (for Collabora Online).")
    p.add_argument("--config", metavar="FILE", help="the gateway's TOML configuration")
    p.add_argument("--upstream", metavar="URL", help="without a file: the model server (loopback only, no key)")
    p.add_argument("--port", type=int, default=configuration.DEFAULT_PORT, help="with --upstream: the port (8088)")
    p.add_argument("--check", action="store_true", help="validate the configuration and exit")
    return p


def main(argv: Sequence[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    arguments = list(argv)
    if arguments[:1] == ["hash-key"]:
        return _hash_key(arguments[1:], stdin, stdout)
    args = parser().parse_args(arguments)
    environ = dict(os.environ)
    if bool(args.config) == bool(args.upstream):
        _error("give either --config FILE or --upstream URL")
        return EXIT_USAGE
    path = Path(args.config) if args.config else None
    try:
        if path is not None:
            config = configuration.load(path, environ)
        else:
            config = configuration.for_upstream(args.upstream, args.port, environ)
        from .app import State

        if args.check:
            # Opening the door checks the destination as the service would; nothing is sent.
            state = State.open(config)
            import asyncio

            asyncio.run(state.aclose())
            print(f"ok: {config.source}, upstream {state.door.route.describe()}, {len(config.keys)} key(s)", file=stdout)
            return EXIT_OK
    except configuration.ConfigError as error:
        for problem in error.problems:
            _error(problem)
        return EXIT_USAGE
    from .server import serve

    try:
        serve(config, path, environ)
    except configuration.ConfigError as error:
        for problem in error.problems:
            _error(problem)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK
    return EXIT_OK


def _hash_key(argv: list[str], stdin: TextIO, stdout: TextIO) -> int:
    p = _Parser(prog="python -m plume gateway hash-key", description="Print the line a [[keys]] entry holds for a key.")
    p.add_argument("--new", action="store_true", help="make a new random key: print it, then its hash line")
    args = p.parse_args(argv)
    if args.new:
        key = new_key()
        print(key, file=stdout)
    else:
        key = stdin.readline().strip()  # stdin, not an argument: the process list shows arguments
        if len(key) < 16:
            _error("give the key on stdin (at least 16 characters), or --new to make one")
            return EXIT_USAGE
    print(hash_line(key), file=stdout)
    return EXIT_OK
