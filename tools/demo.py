"""Plume's main job on a fresh machine, end to end (the README's first command).

Builds the .oxt, installs it with unopkg into a dedicated LibreOffice profile
(``build/demo-profile``), starts the bundled small model server unless ``PLUME_BASE_URL``
names one, then:
- with a display: opens Writer on a sample French administrative letter with Plume ready
  (menu Plume); the demo ends when you close LibreOffice;
- without a display: summarises that letter through the installed extension in headless
  LibreOffice, prints the summary and saves the document as ``build/demo/`` ODT.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tools"), str(ROOT)]

from harness.office import Office, install_extension, props  # noqa: E402
from harness.servers import MODEL_ALIAS, llama_server  # noqa: E402

import build  # noqa: E402
from plume.settings import settings_from_env  # noqa: E402

SAMPLE = ROOT / "samples" / "courrier-travaux-ecole.fodt"
OUT = ROOT / "build" / "demo"


@contextlib.contextmanager
def model_endpoint() -> Iterator[dict[str, object]]:
    if os.environ.get("PLUME_BASE_URL"):
        settings = settings_from_env(os.environ).validate()
        print(
            f"[demo] model server from the environment: {settings.backend} {settings.base_url} {settings.model or '(first listed)'}"
        )
        yield {"backend": settings.backend, "base_url": settings.base_url, "model": settings.model}
        return
    print("[demo] starting the bundled small model server (SmolLM2-135M, llama.cpp) on loopback")
    with llama_server(OUT) as url:
        yield {"backend": "openai", "base_url": url, "model": MODEL_ALIAS, "max_output_tokens": 200}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    oxt = build.build()
    print(f"[demo] built {oxt.relative_to(ROOT)}")
    profile = ROOT / "build" / "demo-profile"
    shutil.rmtree(profile, ignore_errors=True)
    profile.mkdir(parents=True)
    profile.chmod(0o755)
    install_extension(oxt, profile)
    print(f"[demo] installed with unopkg into {profile.relative_to(ROOT)}")
    copy = OUT / SAMPLE.name  # work on a copy: the repository's sample stays as it is
    shutil.copy2(SAMPLE, copy)
    headless = not os.environ.get("DISPLAY")
    with model_endpoint() as endpoint, Office(profile, OUT / "soffice.log", headless=headless) as office:
        office.configure(**endpoint)
        if os.environ.get("PLUME_API_KEY"):
            office.remember_key(str(endpoint["base_url"]), os.environ["PLUME_API_KEY"])
        if not headless:
            office.set_config("/org.openoffice.Office.Common/Misc", ShowTipOfTheDay=False)
            office.open(copy, hidden=False)
            print("[demo] Writer is open with Plume: select text, then use the Plume menu. Close LibreOffice to end.")
            assert office.process is not None
            office.process.wait()
            return 0
        doc = office.open(copy)
        before = doc.getText().getString()
        print("[demo] summarising the sample letter through the extension (plume:summarize?mode=after)...")
        event = office.run(doc, "plume:summarize?mode=after")
        if event["state"] != "done":
            print(f"[demo] failed: {event['message']}", file=sys.stderr)
            return 1
        if event.get("truncated"):
            # Never applied by itself: a user sees it in the sidebar and chooses Insert after.
            print("[demo] the model reached max_output_tokens: Plume kept the summary to its last complete sentence and")
            print("[demo] held it in the preview for review; applying it as the user would (plume:apply?mode=after)...")
            applied = office.run(doc, "plume:apply?mode=after")
            if applied["state"] != "done":
                print(f"[demo] failed: {applied['message']}", file=sys.stderr)
                return 1
        result = OUT / "courrier-travaux-ecole-resume.odt"
        doc.storeToURL(result.as_uri(), props(FilterName="writer8"))
        summary = doc.getText().getString()[len(before) :].strip()
        doc.close(True)
    print("\n--- Résumé inséré par Plume / Summary inserted by Plume ---")
    print(summary)
    print(f"--- document saved as {result.relative_to(ROOT)} ---")
    return 0


if __name__ == "__main__":
    sys.exit(main())
