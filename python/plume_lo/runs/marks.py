"""``plume:marks``: report the AI-assisted passages of the document; with ``remove``, drop
the visible comments once a person has reviewed them (the records in the properties stay)."""

from __future__ import annotations

from typing import Any

from plume.i18n import t

from .base import Run


def list_marks(ctx: Any, frame: Any, remove: bool) -> None:
    from ..document import mark_records, marked_passages

    run = Run(ctx, frame, "marks", {})
    model = frame.getController().getModel()
    passages, records = marked_passages(model), mark_records(model)
    if remove:
        undo = model.getUndoManager()
        undo.enterUndoContext(t("undo.title", run.lang, action=t("marks.undo", run.lang)))
        try:
            for field, _ in passages:
                field.dispose()
        finally:
            undo.leaveUndoContext()
        run.end("done", t("marks.removed", run.lang, count=len(passages)))
        return
    if not records and not passages:
        run.end("done", t("marks.none", run.lang))
        return
    lines = [t("marks.list", run.lang, count=len(records))]
    lines += [f"- {m.date[:16].replace('T', ' ')} · {m.action} · {m.model} · {m.destination} · {m.chars}"
              + (f" · {t('marks.truncated', run.lang)}" if m.truncated else "") for m in records]  # fmt: skip
    lines += [f"  « {text[:80]} »" for _, text in passages]
    run.text = "\n".join(lines)
    run.end("done", run.text)
