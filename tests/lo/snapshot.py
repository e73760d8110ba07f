"""What "the document is unchanged" means in these tests: every paragraph's text, style,
list membership, and the formatting of each text portion."""

from __future__ import annotations

from typing import Any

PORTION_PROPERTIES = ("CharWeight", "CharPosture", "CharUnderline")


def snapshot(doc: Any) -> list[tuple[Any, ...]]:
    paragraphs = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        para = enum.nextElement()
        if not para.supportsService("com.sun.star.text.Paragraph"):
            paragraphs.append(("table", para.getName() if hasattr(para, "getName") else ""))
            continue
        portions = []
        parts = para.createEnumeration()
        while parts.hasMoreElements():
            part = parts.nextElement()
            portions.append((part.getString(), *(part.getPropertyValue(p) for p in PORTION_PROPERTIES)))
        paragraphs.append((para.getString(), para.ParaStyleName, para.NumberingIsNumber, tuple(portions)))
    return paragraphs


def select_paragraph(doc: Any, index: int) -> str:
    """Select the text of the index-th paragraph; return it."""
    enum = doc.getText().createEnumeration()
    for _ in range(index):
        enum.nextElement()
    para = enum.nextElement()
    doc.getCurrentController().select(para)
    return str(para.getString())
