"""XML from files nobody vetted, parsed with bounds: no DTD (hence no entity expansion, the
"billion laughs", and no external entity), a bounded number of bytes fed to the parser, and
a streaming parser (expat), so that memory holds the text found, never a tree.

The standard library's parsers expand internal entities; refusing any document type
declaration is what ``defusedxml`` does by default, without adding a dependency.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO
from xml.parsers import expat

CHUNK = 64 * 1024


class XMLRefused(Exception):
    """The XML declares a DTD or entities, is malformed, or exceeds its byte budget."""


def parse(
    stream: IO[bytes],
    *,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None],
    max_bytes: int,
) -> None:
    """Feed ``stream`` to expat with namespaces resolved (names are ``uri name``)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_: object) -> None:
        raise XMLRefused("document type declarations and entities are refused")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    fed = 0
    try:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            fed += len(chunk)
            if fed > max_bytes:
                raise XMLRefused(f"more than {max_bytes // 1024**2} MB of XML")
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise XMLRefused(f"malformed XML: {expat.errors.messages.get(error.code, str(error))}") from None
