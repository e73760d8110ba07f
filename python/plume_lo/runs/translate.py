"""Translating the selection or the document (an action of the "translate" group):
paragraph by paragraph, offline with Argos (:class:`TranslateRun`), as one undo step.

Without an Argos package for the pair, the run ends with an error that says whether the
configured model may be used instead (setting ``translate_with_model``); the sidebar then
offers it (:attr:`TranslateRun.alternative`), and that run (``engine=model``,
:class:`ModelTranslateRun`) is an ordinary model action, labelled as such in the AI mark and
the sidebar.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plume.i18n import t

from .base import Run, model_destination
from .model import ActionRun

if TYPE_CHECKING:
    from plume.actions import Action
    from plume.cancel import CancelToken
    from plume.errors import MissingPair
    from plume.settings import Settings
    from plume.translation.argos import ArgosTranslator
    from plume.translation.service import TranslationPlan

    from ..translation_doc import Segment


def personal_packages_dir(ctx: Any) -> Path:
    """The user's own language packages, in the LibreOffice profile."""
    from ..context import user_dir

    return Path(user_dir(ctx)) / "plume" / "languages"


class TranslateRun(Run):
    def __init__(self, ctx: Any, frame: Any, action: Action, params: dict[str, str]) -> None:
        super().__init__(ctx, frame, action.id, params, action)
        self.segments: list[Segment] = []
        self.translations: list[str] = []
        self.progress: tuple[int, int] | None = None
        self.plan: TranslationPlan | None = None
        self.missing: MissingPair | None = None  # when no package covers the pair

    @property
    def destination(self) -> str:
        return "local"

    @property
    def target_language(self) -> str:
        assert self.settings is not None
        return self.params.get("to", "") or self.settings.translate_target

    def make_pieces(self, settings: Settings, cancel: CancelToken) -> Iterator[str]:
        from plume.errors import TranslationUnavailable
        from plume.pipeline import GenerationStats
        from plume.translation.argos import runtime_available
        from plume.translation.service import translator_for

        from ..translation_doc import read_segments

        assert self.target is not None
        if not runtime_available():
            raise TranslationUnavailable("argostranslate, ctranslate2 or sentencepiece is missing")
        translator = translator_for(settings, personal_packages_dir(self.ctx))
        self.segments = read_segments(self.target.cursor)
        texts = [segment.text for segment in self.segments]
        source_text = self.target.source
        self.stats = GenerationStats(model="Argos", input_chars=len(source_text))
        return self._translate(translator, texts, source_text, settings, cancel)

    def _translate(
        self, translator: ArgosTranslator, texts: list[str], source_text: str, settings: Settings, cancel: CancelToken
    ) -> Iterator[str]:
        """Worker thread: decide the languages, then translate segment after segment."""
        from plume.errors import MissingPair
        from plume.translation.service import plan_translation, translate_paragraphs

        assert self.stats is not None
        started = time.monotonic()
        try:
            self.plan = plan = plan_translation(translator, source_text, self.target_language, self.params.get("from", ""),
                                                model_allowed=settings.translate_with_model)  # fmt: skip
        except MissingPair as error:
            self.missing = error
            raise
        self.stats.model = f"Argos {plan.source}→{plan.target}"
        for index, translated in enumerate(translate_paragraphs(translator, texts, plan, cancel)):
            self.translations.append(translated)
            self.progress = (index + 1, len(texts))
            self.stats.total_seconds = time.monotonic() - started
            yield ("\n" if index else "") + translated
        self.stats.output_chars = sum(len(text) for text in self.translations)
        self.unsupported = self.fact_check("\n".join(self.translations), "\n".join(texts),
                                           answer_language=plan.target, source_language=plan.source)  # fmt: skip

    @property
    def alternative(self) -> dict[str, str] | None:
        if self.missing is None or not self.missing.model_allowed:
            return None
        return {"to": self.missing.target, "from": self.missing.source, "engine": "model"}

    def notes(self, lang: str) -> list[str]:
        from plume.translation.languages import name_in

        if self.alternative is not None and self.missing is not None:
            return [t("translate.offer_model", lang, source=name_in(self.missing.source, lang),
                      target=name_in(self.missing.target, lang), destination=model_destination(self.settings))]  # fmt: skip
        if self.state == "done" and self.plan is not None and self.plan.detection is not None:
            percent = round(self.plan.detection.confidence * 100)
            return [t("translate.detected.panel", lang, name=name_in(self.plan.source, lang), percent=percent)]
        return []

    def progress_text(self) -> str:
        if self.progress is None:
            return ""
        done, total = self.progress
        return t("translate.progress", self.lang, done=done, total=total)

    def apply(self, mode: str) -> None:
        from plume.errors import UnsupportedError

        if mode not in ("replace", "after"):
            raise UnsupportedError("mode must be replace or after")
        self.write(mode)

    def write(self, where: str) -> None:
        from plume.marking import Mark

        from ..document import apply
        from ..translation_doc import aligned_paragraphs, apply_in_place

        assert self.target is not None and self.settings is not None and self.stats is not None and self.plan is not None
        label = f"{t('action.translate', self.lang)} ({self.plan.source} → {self.plan.target})"
        mark = Mark.now(label, self.stats.model, "local", self.stats.output_chars, self.to_check())
        comment = mark.comment(self.lang) if self.settings.mark_ai_output else ""
        if where == "replace":
            apply_in_place(self.target, self.segments, self.translations, self.title,
                           track_changes=self.settings.track_changes, mark=mark, comment=comment)  # fmt: skip
        else:
            apply(self.target, "", "after", self.title, keep_format=True, track_changes=self.settings.track_changes,
                  mark=mark, comment=comment, aligned=aligned_paragraphs(self.target, self.segments, self.translations))  # fmt: skip


class ModelTranslateRun(ActionRun):
    """``engine=model``: the translate action run by the configured model, when the settings
    allow it (``translate_with_model``: :func:`plume.runs.prepare_run` refuses it otherwise)."""

    def mark_action(self) -> str:
        return t("action.translate.model", self.lang)

    def notes(self, lang: str) -> list[str]:
        if self.state != "done":
            return []
        return [t("translate.by_model", lang, model=self.stats.model if self.stats else "")]
