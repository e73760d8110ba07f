"""``plume:translate?to=<lang>[&from=<lang>][&engine=model]``: translating the selection or
the document, paragraph by paragraph, offline (Argos), as one undo step.

Without an Argos package for the pair, the run ends with an error that says whether the
configured model may be used instead (setting ``translate_with_model``); the sidebar then
offers it, and that run (``engine=model``) is an ordinary model action, labelled as such in
the AI mark and the sidebar.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plume.i18n import t

from .jobs import ActionRun


def personal_packages_dir(ctx: Any) -> Path:
    from .context import user_dir

    return Path(user_dir(ctx)) / "plume" / "languages"


class TranslateRun(ActionRun):
    def __init__(self, ctx: Any, frame: Any, params: dict[str, str]) -> None:
        super().__init__(ctx, frame, "translate", params)
        self.by_model = params.get("engine") == "model"
        self.segments: list[Any] = []
        self.translations: list[str] = []
        self.progress: tuple[int, int] | None = None
        self.plan: Any = None
        self.missing: Any = None  # MissingPair when no package covers the pair

    @property
    def destination(self) -> str:
        return super().destination if self.by_model else "local"

    @property
    def target_language(self) -> str:
        return self.params.get("to", "") or self.settings.translate_target

    def make_pieces(self, settings: Any, cancel: Any) -> Iterator[str]:
        if self.by_model:
            if not settings.translate_with_model:
                from plume.errors import UnsupportedError

                raise UnsupportedError("translating with the model is turned off by your settings")
            return super().make_pieces(settings, cancel)
        from plume.errors import TranslationUnavailable
        from plume.pipeline import GenerationStats
        from plume.translation.argos import runtime_available
        from plume.translation.service import translator_for

        from .translation_doc import read_segments

        if not runtime_available():
            raise TranslationUnavailable("argostranslate, ctranslate2 or sentencepiece is missing")
        translator = translator_for(settings, personal_packages_dir(self.ctx))
        self.segments = read_segments(self.target.cursor)
        texts = [segment.text for segment in self.segments]
        source_text = self.target.source
        self.stats = GenerationStats(model="Argos", input_chars=len(source_text))
        return self._translate(translator, texts, source_text, settings, cancel)

    def _translate(self, translator: Any, texts: list[str], source_text: str, settings: Any, cancel: Any) -> Iterator[str]:
        """Worker thread: decide the languages, then translate segment after segment."""
        from plume.errors import MissingPair
        from plume.translation.service import plan_translation, translate_paragraphs

        started = time.monotonic()
        try:
            self.plan = plan_translation(translator, source_text, self.target_language, self.params.get("from", ""),
                                         model_allowed=settings.translate_with_model)  # fmt: skip
        except MissingPair as error:
            self.missing = error
            raise
        self.stats.model = f"Argos {self.plan.source}→{self.plan.target}"
        for index, translated in enumerate(translate_paragraphs(translator, texts, self.plan, cancel)):
            self.translations.append(translated)
            self.progress = (index + 1, len(texts))
            self.stats.total_seconds = time.monotonic() - started
            yield ("\n" if index else "") + translated
        self.stats.output_chars = sum(len(text) for text in self.translations)
        self.unsupported = self.fact_check("\n".join(self.translations), "\n".join(texts),
                                           answer_language=self.plan.target, source_language=self.plan.source)  # fmt: skip

    def mark_action(self) -> str:
        return t("action.translate.model", self.lang) if self.by_model else super().mark_action()

    def progress_text(self) -> str:
        if self.progress is None:
            return ""
        done, total = self.progress
        return t("translate.progress", self.lang, done=done, total=total)

    def apply(self, mode: str) -> None:
        from plume.marking import Mark

        from .document import apply
        from .translation_doc import aligned_paragraphs, apply_in_place

        if self.by_model:
            super().apply(mode)
            return
        label = f"{t('action.translate', self.lang)} ({self.plan.source} → {self.plan.target})"
        mark = Mark.now(label, self.stats.model, "local", self.stats.output_chars, self.to_check())
        comment = mark.comment(self.lang) if self.settings.mark_ai_output else ""
        if mode == "replace":
            apply_in_place(self.target, self.segments, self.translations, self.title,
                           track_changes=self.settings.track_changes, mark=mark, comment=comment)  # fmt: skip
        else:
            apply(self.target, "", mode, self.title, keep_format=True, track_changes=self.settings.track_changes,
                  mark=mark, comment=comment, aligned=aligned_paragraphs(self.target, self.segments, self.translations))  # fmt: skip
