"""The guides' links and images exist, and every image of the agent's guide is one the test
suite takes (tests/lo/gui/test_guide_screenshots.py), in both languages."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_relative_link_and_image_in_the_docs_exists() -> None:
    missing = [
        f"{page.name}: {target}"
        for page in [ROOT / "README.md", *DOCS.glob("*.md")]
        for target in LINK.findall(page.read_text(encoding="utf-8"))
        if "://" not in target and not (page.parent / target).exists()
    ]
    assert not missing, missing


def test_the_guides_show_the_screenshots_the_suite_takes_in_their_own_language() -> None:
    taken = set(
        re.findall(r'_shot\(display, lang, "([\w-]+\.png)"\)', (ROOT / "tests/lo/gui/test_guide_screenshots.py").read_text())
    )
    assert taken, "the screenshot test names its images"
    for lang in ("fr", "en"):
        shown = set(re.findall(rf"images/guide/{lang}/([\w-]+\.png)", (DOCS / f"guide.{lang}.md").read_text(encoding="utf-8")))
        assert shown == taken, (lang, shown ^ taken)
        assert {p.name for p in (DOCS / "images" / "guide" / lang).glob("*.png")} == taken
