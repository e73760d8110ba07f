"""The fact check on what the real small model writes about the corpus sources: whatever the
model produces (it writes poor French and invents freely), every finding points at its own
text in the answer, and the check agrees with itself when the answer is its own source."""

from __future__ import annotations

from benchmarks.factcheck_quality import load
from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.factcheck import KINDS, check
from plume.pipeline import Generation
from plume.settings import Settings


def test_findings_on_real_model_answers_point_at_their_text(openai_settings: Settings) -> None:
    settings = openai_settings.replace(max_output_tokens=96)
    backend = create_backend(settings, "")
    for case in load()[:4]:
        answer = Generation(backend, settings, ActionSpec("summarize"), case.source, model=settings.model).run()
        findings = check(answer, case.source)
        for finding in findings:
            assert answer[finding.start : finding.end] == finding.text and finding.kind in KINDS
        assert [f.start for f in findings] == sorted(f.start for f in findings)
        assert check(answer, answer) == [], "an answer supports itself"
