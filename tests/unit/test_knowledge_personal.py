"""Indexing one's own folders (:mod:`plume.knowledge.personal`), the rules the command line
and LibreOffice's ``plume:index`` share: only the configured folders, one clear refusal when
there are none or one is missing, unreadable files counted, Stop keeps the work and the next
run resumes, reading only what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from plume.cancel import CancelToken
from plume.errors import Cancelled, UnsupportedError
from plume.i18n import t
from plume.knowledge.indexer import Progress
from plume.knowledge.personal import check_folders, configured_folders, index_collection
from plume.settings import Settings


def _write(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"note-{number}.txt"
        path.write_text(f"Note {number}\nLe conseil municipal vote le point {number} du budget.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_configured_folders_are_the_settings_ones_and_none_or_a_missing_one_is_refused(tmp_path: Path) -> None:
    settings = Settings(knowledge_personal_dirs=f" {tmp_path / 'a'} ; ;{tmp_path / 'b'};")
    assert configured_folders(settings) == [tmp_path / "a", tmp_path / "b"]
    with pytest.raises(UnsupportedError, match="no folder to index"):
        check_folders(configured_folders(Settings(knowledge_personal_dirs=" ; ")))
    (tmp_path / "a").mkdir()
    with pytest.raises(UnsupportedError, match="no such folder") as refused:
        check_folders(configured_folders(settings))
    assert str(tmp_path / "b") in str(refused.value) and "\n" not in str(refused.value)


def test_stop_keeps_the_work_and_the_next_runs_read_only_what_changed(tmp_path: Path) -> None:
    docs, where, settings = tmp_path / "docs", tmp_path / "index", Settings()
    notes = _write(docs, 4)
    (docs / "zz-broken.docx").write_bytes(b"not a zip")  # last: read after the Stop
    cancel = CancelToken()

    def stop_after_two(step: Progress) -> None:
        if step.done == 2:
            cancel.cancel()

    with pytest.raises(Cancelled):
        index_collection("documents", where, [docs], settings, progress=stop_after_two, cancel=cancel)

    resumed = index_collection("documents", where, [docs], settings)
    assert (resumed.report.files, resumed.report.unchanged) == (5, 2), "the two files done before Stop are kept"
    assert resumed.report.read == 3 and len(resumed.report.failed) == 1, "the rest read, the broken file counted"
    assert resumed.files == 4 and resumed.passages >= 4

    notes[0].write_text("Note 0\nLe conseil municipal reporte le point 0.\n", encoding="utf-8")
    again = index_collection("documents", where, [docs], settings)
    assert (again.report.read, again.report.unchanged, again.report.failed) == (1, 4, [])
    summary = again.summary("en")
    assert summary == t("index.summary", "en", found=5, read=1, unchanged=4, removed=0, failed=0, files=4,
                        passages=again.passages, path=again.path)  # fmt: skip
