"""The AI mark of an applied result: a record in the document's custom properties (kept in
ODT and DOCX, and followed by undo and redo), a comment over the text when asked, and the
listing ``plume:marks`` reports."""

from __future__ import annotations

from typing import Any, ClassVar

import unohelper
from com.sun.star.document import XUndoManagerListener

from plume.marking import COMMENT_AUTHOR, PROPERTY_PREFIX, Mark


def record_applied(model: Any, text: Any, span: Any, undo_title: str, mark: Mark | None, comment: str) -> None:
    """The AI mark of a result just written in ``model``: its record (followed by undo/redo)
    and, when ``comment`` is given, a comment over ``span`` (a range of ``text``)."""
    if mark is None:
        return
    name = record_mark(model, mark)
    MarkUndo.of(model).applied(undo_title, name, mark)
    if comment:
        annotation = model.createInstance("com.sun.star.text.textfield.Annotation")
        annotation.Author, annotation.Initials, annotation.Content = COMMENT_AUTHOR, "IA", comment
        text.insertTextContent(span, annotation, True)  # a comment over the range, the text kept


def record_mark(model: Any, mark: Mark, name: str = "") -> str:
    """The machine-readable record: a custom document property, kept in ODT and DOCX."""
    from com.sun.star.beans.PropertyAttribute import REMOVABLE

    container = model.getDocumentProperties().getUserDefinedProperties()
    names = {p.Name for p in container.getPropertySetInfo().getProperties()}
    number = 1
    while f"{PROPERTY_PREFIX}{number}" in names:
        number += 1
    name = name or f"{PROPERTY_PREFIX}{number}"
    container.addProperty(name, REMOVABLE, mark.to_json())
    return name


class MarkUndo(unohelper.Base, XUndoManagerListener):  # type: ignore[misc]
    """Document properties are outside LibreOffice's undo stack: follow Plume's own undo
    steps so that undoing an applied result also removes its record, and redo restores it."""

    _by_document: ClassVar[dict[int, MarkUndo]] = {}

    @classmethod
    def of(cls, model: Any) -> MarkUndo:
        key = hash(model)
        if key not in cls._by_document:
            cls._by_document[key] = cls(model)
            model.getUndoManager().addUndoManagerListener(cls._by_document[key])
        return cls._by_document[key]

    def __init__(self, model: Any) -> None:
        self.model = model
        self.done: list[tuple[str, str, Mark]] = []  # (undo title, property name, record)
        self.undone: list[tuple[str, str, Mark]] = []

    def applied(self, title: str, name: str, mark: Mark) -> None:
        self.done.append((title, name, mark))
        self.undone.clear()

    def actionUndone(self, event: Any) -> None:
        if self.done and self.done[-1][0] == event.UndoActionTitle:
            entry = self.done.pop()
            self.model.getDocumentProperties().getUserDefinedProperties().removeProperty(entry[1])
            self.undone.append(entry)

    def actionRedone(self, event: Any) -> None:
        if self.undone and self.undone[-1][0] == event.UndoActionTitle:
            entry = self.undone.pop()
            record_mark(self.model, entry[2], entry[1])
            self.done.append(entry)

    def redoActionsCleared(self, event: Any) -> None:
        self.undone.clear()

    def resetAll(self, event: Any) -> None:
        self.done.clear()
        self.undone.clear()

    def disposing(self, event: Any) -> None:
        MarkUndo._by_document.pop(hash(self.model), None)

    # The other notifications carry nothing Plume needs.
    def undoActionAdded(self, event: Any) -> None: ...
    def allActionsCleared(self, event: Any) -> None: ...
    def enteredContext(self, event: Any) -> None: ...
    def enteredHiddenContext(self, event: Any) -> None: ...
    def leftContext(self, event: Any) -> None: ...
    def leftHiddenContext(self, event: Any) -> None: ...
    def cancelledContext(self, event: Any) -> None: ...


def marked_passages(model: Any) -> list[tuple[Any, str]]:
    """Plume's comments in the document: (the annotation field, the text it covers)."""
    found = []
    fields = model.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author == COMMENT_AUTHOR:
            found.append((field, str(field.getAnchor().getString())))
    return found


def mark_records(model: Any) -> list[Mark]:
    container = model.getDocumentProperties().getUserDefinedProperties()
    names = sorted(
        (p.Name for p in container.getPropertySetInfo().getProperties() if p.Name.startswith(PROPERTY_PREFIX)),
        key=lambda name: int(name[len(PROPERTY_PREFIX) :]) if name[len(PROPERTY_PREFIX) :].isdigit() else 0,
    )
    return [Mark.from_json(container.getPropertyValue(name)) for name in names]
