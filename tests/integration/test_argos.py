"""Offline translation through the real Argos runtime (CTranslate2, SentencePiece, MiniSBD)
with tiny packages built for the session: random weights, so only structure is checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from plume.cancel import CancelToken
from plume.errors import Cancelled, MissingPair
from plume.settings import Settings
from plume.translation import argos
from plume.translation.argos import ArgosTranslator
from plume.translation.packages import PackageFolders
from plume.translation.sentences import RuleSentencizer
from plume.translation.service import TranslationPlan, plan_translation, translate_paragraphs

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"
FRENCH = "Le conseil municipal a voté le budget de la commune. Les travaux de l'école commencent en mai."


@pytest.fixture
def translator(tmp_path: Path, argos_packages: dict[str, Path]) -> ArgosTranslator:
    folders = PackageFolders(tmp_path / "personal", (tmp_path / "shared",))
    for name in ("fr_en", "en_de"):
        folders.install(argos_packages[name])
    return ArgosTranslator(folders, runtime_home=tmp_path / "runtime")


def test_translates_a_direct_pair(translator: ArgosTranslator) -> None:
    result = translator.translate(FRENCH, "fr", "en")
    assert result.strip() and result != FRENCH


def test_paragraph_count_is_kept_and_empty_paragraphs_stay_empty(translator: ArgosTranslator) -> None:
    paragraphs = ["Bonjour madame.", "", "Voici le dossier. Il est complet.", "  "]
    out = list(translate_paragraphs(translator, paragraphs, TranslationPlan("fr", "en", None)))
    assert len(out) == 4 and out[0].strip() and out[2].strip() and out[1] == "" and out[3] == ""


def test_pivot_through_english_chains_two_packages(translator: ArgosTranslator) -> None:
    route = translator.route("fr", "de")
    assert route is not None and [p.pair for p in route] == [("fr", "en"), ("en", "de")]
    assert translator.translate(FRENCH, "fr", "de").strip()


def test_missing_pair_is_reported_before_any_model_loads(translator: ArgosTranslator) -> None:
    with pytest.raises(MissingPair) as caught:
        plan_translation(translator, FRENCH, "ar", "fr", model_allowed=True)
    assert caught.value.model_allowed and (caught.value.source, caught.value.target) == ("fr", "ar")


def test_source_language_is_detected_among_installed_sources(translator: ArgosTranslator) -> None:
    plan = plan_translation(translator, "Bonjour, je viens pour renouveler ma carte d'identité.", "de")
    assert plan.source == "fr" and plan.detection is not None and plan.detection.sure
    assert plan_translation(translator, FRENCH, "de", "en").detection is None  # chosen by the user: not detected


def test_splitters_that_would_download_are_replaced(translator: ArgosTranslator) -> None:
    pairs = translator.packages()
    with_splitter = translator._package_translation(argos.load_runtime(translator.runtime_home), pairs[("fr", "en")])
    without = translator._package_translation(argos.load_runtime(translator.runtime_home), pairs[("en", "de")])
    assert type(with_splitter.sentencizer).__name__ == "MiniSBDSentencizer"  # the package carries its model
    assert os.path.isfile(with_splitter.sentencizer.lang)
    assert isinstance(without.sentencizer, RuleSentencizer)


def test_loaded_models_are_shared_across_translator_objects(translator: ArgosTranslator) -> None:
    translator.translate("Bonjour.", "fr", "en")
    other = ArgosTranslator(translator.folders, runtime_home=translator.runtime_home)
    modules = argos.load_runtime(translator.runtime_home)
    package = translator.packages()[("fr", "en")]
    assert other._package_translation(modules, package) is translator._package_translation(modules, package)


def test_stop_between_paragraphs(translator: ArgosTranslator) -> None:
    cancel = CancelToken()
    pieces = translate_paragraphs(translator, ["Un.", "Deux.", "Trois."], TranslationPlan("fr", "en", None), cancel)
    next(pieces)
    cancel.cancel()
    with pytest.raises(Cancelled):
        next(pieces)


NO_NETWORK = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError(f"network access attempted: {args!r}")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from plume.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_whole_translate_path_opens_no_network_connection(tmp_path: Path, argos_packages: dict[str, Path]) -> None:
    """A fresh process, so the first import of Argos, the detector and the models are all
    covered; every way to open a connection raises."""
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "PLUME_PERSONAL_LANGUAGES": str(tmp_path / "languages"), "LANG": "C"}
    installed = subprocess.run([sys.executable, "-c", NO_NETWORK, "languages", "--install", str(argos_packages["en_de"]),
                                "--packages", str(tmp_path / "none")], capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    subprocess.run([sys.executable, "-m", "plume", "languages", "--install", str(argos_packages["fr_en"])],
                   check=True, capture_output=True, env=env, timeout=120)  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, "translate", "--to", "de", "--packages", str(tmp_path / "none")],
        input="Bonjour madame. Voici votre dossier.\n\nIl est complet.\n", capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "network access attempted" not in result.stderr
    lines = result.stdout.split("\n")
    assert len(lines) == 4 and lines[0].strip() and lines[1] == "" and lines[2].strip() and lines[3] == ""
    assert "fr" in result.stderr  # the detected language is reported


def test_cli_languages_lists_origin_and_pivots(tmp_path: Path, argos_packages: dict[str, Path]) -> None:
    shared = tmp_path / "shared"
    PackageFolders(shared).install(argos_packages["en_de"])
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "PLUME_PERSONAL_LANGUAGES": str(tmp_path / "mine"), "LANG": "en_GB"}
    result = subprocess.run([sys.executable, "-m", "plume", "languages", "--install", str(argos_packages["fr_en"]),
                             "--packages", str(shared)], capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines() if "\t" in line]
    assert any(r[:3] == ["en -> de", "0.1", "shared (IT department)"] for r in rows)
    assert any(r[0] == "fr -> en" and r[2] == "personal" for r in rows)
    assert any(r == ["fr -> de", "through English"] for r in rows)


def test_cli_missing_pair_exits_2_and_offers_the_model(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "PLUME_PERSONAL_LANGUAGES": str(tmp_path / "none"), "LANG": "fr_FR"}
    result = subprocess.run([sys.executable, "-m", "plume", "translate", "--to", "ar", "--from", "fr", "--packages", str(tmp_path)],
                            input="Bonjour.", capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--engine model" in result.stderr
    off = subprocess.run([sys.executable, "-m", "plume", "translate", "--to", "ar", "--from", "fr", "--packages", str(tmp_path)],
                         input="Bonjour.", capture_output=True, text=True, env={**env, "PLUME_TRANSLATE_WITH_MODEL": "0"}, timeout=120)  # fmt: skip
    assert off.returncode == 2 and "--engine model" not in off.stderr


def test_cli_translates_with_the_model_when_asked(tmp_path: Path, openai_settings: Settings) -> None:
    """No package needed: --engine model goes through the configured (real) model server."""
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "PLUME_BACKEND": openai_settings.backend,
           "PLUME_BASE_URL": openai_settings.base_url, "PLUME_MODEL": openai_settings.model, "PLUME_MAX_OUTPUT_TOKENS": "48"}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "plume", "translate", "--to", "en", "--engine", "model"],
                            input="Bonjour, la mairie est fermée lundi.", capture_output=True, text=True, env=env, timeout=180)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
