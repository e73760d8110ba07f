"""Plume's offline translation path against a bare argostranslate call on the same text.

Each side runs in a fresh process (``python benchmarks/perf_translation.py plume|bare ...``),
so the first call carries what a user's first translation costs: importing Argos, finding
the packages, loading the model, translating. Later calls reuse what the first loaded. The
bare side is Argos used well: its translation object is kept between calls (calling
``argostranslate.translate.translate`` each time would reload the model and flatter Plume).

The packages are the suite's tiny ones (real SentencePiece, CTranslate2 and MiniSBD files,
random weights): the model's own time is small, so Plume's overhead weighs more here than it
would with a real 100 MB package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT)]  # also when run as a script, for one side

from benchmarks.perf_stats import Timings  # noqa: E402

PARAGRAPHS = [
    "La commune engage du 6 juillet au 21 août la rénovation thermique de l'école.",
    "Pendant les travaux, l'accueil de loisirs est déplacé au gymnase municipal.",
    "Une réunion d'information aura lieu le 16 juin à 18 h en mairie.",
    "Nous vous remercions de votre compréhension.",
]


def _plume(shared: Path, home: Path, repeat: int) -> dict[str, object]:
    started = time.monotonic()
    from plume.settings import Settings
    from plume.translation.service import plan_translation, translate_paragraphs, translator_for

    translator = translator_for(Settings(language_packages_dir=str(shared)), home / "personal")
    plan = plan_translation(translator, "\n".join(PARAGRAPHS), "en", "fr")

    def once() -> list[str]:
        return list(translate_paragraphs(translator, PARAGRAPHS, plan))

    once()
    first = time.monotonic() - started
    return {"first": first, "later": _later(once, repeat)}


def _bare(packages: Path, home: Path, repeat: int) -> dict[str, object]:
    # The same environment Plume gives Argos: local models, MiniSBD, no Stanza (not installed).
    os.environ.update(ARGOS_PACKAGES_DIR=str(packages), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                      XDG_CACHE_HOME=str(home / "cache"), ARGOS_MODEL_PROVIDER="OPENNMT", ARGOS_CHUNK_TYPE="MINISBD",
                      ARGOS_DEVICE_TYPE="cpu")  # fmt: skip
    sys.modules.setdefault("stanza", types.ModuleType("stanza"))
    started = time.monotonic()
    from argostranslate import translate

    languages = {language.code: language for language in translate.get_installed_languages()}
    translation = languages["fr"].get_translation(languages["en"])

    def once() -> list[str]:
        return [translation.translate(p) for p in PARAGRAPHS]

    once()
    first = time.monotonic() - started
    return {"first": first, "later": _later(once, repeat)}


def _later(once: object, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        once()  # type: ignore[operator]
        times.append(time.monotonic() - started)
    return times


def compare(fr_en: Path, repeat: int, runs: int) -> dict[str, dict[str, Timings]]:
    """First and later calls of each side; ``runs`` fresh processes per side, alternating."""
    from plume.translation.packages import PackageFolders

    with tempfile.TemporaryDirectory(prefix="plume-bench-argos-") as folder:
        shared = Path(folder) / "shared"
        PackageFolders(shared).install(fr_en)
        bare_packages = Path(folder) / "bare"
        bare_packages.mkdir()
        installed = next(p for p in shared.iterdir() if p.is_dir())
        subprocess.run(["cp", "-r", str(installed), str(bare_packages / installed.name)], check=True)
        results: dict[str, dict[str, list[float]]] = {side: {"first": [], "later": []} for side in ("plume", "bare")}
        for run in range(runs):
            for side in ("plume", "bare") if run % 2 == 0 else ("bare", "plume"):
                home = Path(folder) / f"home-{side}-{run}"
                packages = shared if side == "plume" else bare_packages
                command = [sys.executable, __file__, side, str(packages), str(home), str(repeat)]
                output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
                measured = json.loads(output.strip().splitlines()[-1])
                results[side]["first"].append(measured["first"])
                results[side]["later"] += measured["later"]
    return {side: {k: Timings(tuple(v)) for k, v in kinds.items()} for side, kinds in results.items()}


if __name__ == "__main__":
    side, packages_dir, home_dir, count = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    home_dir.mkdir(parents=True, exist_ok=True)
    measure = _plume if side == "plume" else _bare
    print(json.dumps(measure(packages_dir, home_dir, count)))
