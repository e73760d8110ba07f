"""Showing a cited passage: selecting it in the open document, or opening its file at it.

A passage of the open document carries offsets in the text the answer was asked on (its
paragraphs joined by "\\n", :func:`~.reading.whole_document`): the selection is made from
them, then checked against the passage's text; when the document changed since (or a table
made the count differ), the passage's first line is searched for instead. A file of a
collection is opened and its passage searched for the same way; a file Writer does not edit
(a PDF) is opened read-only, and the caller says where the passage is.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from plume.errors import UnsupportedError

from .writing import _move, _units

SEARCH_CHARS = 200  # Writer's search takes one paragraph; the start of one is enough to find it


def select_passage(model: Any, source: str, start: int, end: int, passage: str) -> bool:
    """Select ``passage`` in ``model``: from its offsets in ``source`` (the text it was asked
    on), else found by its first line. Returns whether it was found."""
    text = model.getText()
    cursor = text.createTextCursor()
    cursor.gotoStart(False)
    with contextlib.suppress(Exception):  # a count past the end: search instead
        _move(cursor, _units(source[:start]), False)
        _move(cursor, _units(source[start:end]), True)
        if _same(cursor.getString(), passage):
            model.getCurrentController().select(cursor)
            return True
    return find_passage(model, passage)


def find_passage(model: Any, passage: str) -> bool:
    """Select ``passage`` in ``model``, found by its start and extended over its length. An
    extracted passage may join lines the file keeps as separate paragraphs (a text file's),
    and Writer's search stays within one paragraph: shorter and shorter starts are searched
    (its first line, then its first words). Returns whether it was found; when only its start
    is, that is what is selected."""
    lines = [line for line in passage.split("\n") if line.strip()]
    if not lines or not model.supportsService("com.sun.star.text.TextDocument"):
        return False
    words = lines[0].strip()[:SEARCH_CHARS].split()
    first = None
    for count in dict.fromkeys(n for n in (len(words), 8, 5, 3, 2) if n <= len(words)):
        descriptor = model.createSearchDescriptor()
        descriptor.SearchString = " ".join(words[:count])
        descriptor.SearchCaseSensitive = True
        found = model.findFirst(descriptor)
        if found is None:
            continue
        whole = found.getText().createTextCursorByRange(found.getStart())
        with contextlib.suppress(Exception):  # past the end: the file changed
            _move(whole, _units(passage.strip()), True)
            if _same(whole.getString(), passage):
                model.getCurrentController().select(whole)
                return True
        first = first or found
    if first is None:
        return False
    model.getCurrentController().select(first)
    return True


def _same(shown: str, passage: str) -> bool:
    # Writer joins paragraphs with "\n" in a range's string; a line break inside one may be "\r\n".
    return " ".join(shown.split()) == " ".join(passage.split())


def open_file(ctx: Any, path: str, *, read_only: bool) -> Any:
    """Open ``path`` in LibreOffice (a new window): the loaded component, or None when
    LibreOffice cannot open that kind of file. A file that is gone raises."""
    import uno
    from com.sun.star.beans import PropertyValue

    from ..context import create

    file = Path(path)
    if not file.is_file():
        raise UnsupportedError(f"the file {file.name} is no longer where it was indexed")
    desktop = create(ctx, "com.sun.star.frame.Desktop")
    args = (PropertyValue(Name="ReadOnly", Value=read_only),)
    try:
        return desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(file.resolve())), "_blank", 0, args)
    except Exception:  # no filter for it (a PDF without Draw's import)
        return None
