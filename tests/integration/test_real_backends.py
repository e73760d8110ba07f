"""Both backends against real generation: llama.cpp's server (OpenAI-compatible) and the
Ollama-protocol stand-in (which generates with the same GGUF). Assertions are on
structure only: the 135M test model writes poor French."""

from __future__ import annotations

import httpx
import pytest

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.errors import ModelNotFound
from plume.pipeline import Generation
from plume.settings import Settings

LETTER = (
    "Madame, Monsieur,\n"
    "Par délibération du 12 mars 2026, le conseil municipal a approuvé la rénovation de l'école Jules-Ferry "
    "pour un montant de 240 000 euros. Les travaux commenceront en juillet et dureront huit semaines. "
    "Pendant cette période, la cantine sera installée dans la salle des fêtes.\n"
    "Veuillez agréer, Madame, Monsieur, l'expression de mes salutations distinguées."
)


@pytest.mark.parametrize("backend_settings", ["openai_settings", "ollama_settings"])
def test_a_summary_streams_in_several_pieces(backend_settings: str, request: pytest.FixtureRequest) -> None:
    settings: Settings = request.getfixturevalue(backend_settings)
    backend = create_backend(settings)
    generation = Generation(backend, settings, ActionSpec("summarize"), LETTER, model=settings.model)
    pieces = list(generation)
    assert len(pieces) > 1
    assert generation.text.strip() and generation.text == "".join(pieces)
    assert generation.stats.first_piece_seconds is not None
    assert generation.stats.first_piece_seconds <= generation.stats.total_seconds


@pytest.mark.parametrize("backend_settings", ["openai_settings", "ollama_settings"])
def test_models_are_listed(backend_settings: str, request: pytest.FixtureRequest) -> None:
    settings: Settings = request.getfixturevalue(backend_settings)
    names = [m.name for m in create_backend(settings).list_models()]
    assert settings.model in names


@pytest.mark.parametrize("backend_settings", ["openai_settings", "ollama_settings"])
def test_each_style_gives_an_answer(backend_settings: str, request: pytest.FixtureRequest) -> None:
    settings: Settings = request.getfixturevalue(backend_settings)
    backend = create_backend(settings)
    for spec in (ActionSpec("rewrite", style="formal"), ActionSpec("instruct", instruction="Mets le texte au futur.")):
        assert Generation(backend, settings, spec, LETTER.splitlines()[1], model=settings.model).run().strip()


def test_ollama_gets_a_context_window_that_fits_a_long_prompt(ollama_settings: Settings, standin_url: str) -> None:
    # About 3,000 real tokens: more than Ollama's default 2048, which would cut it silently.
    long_text = "\n".join([LETTER.splitlines()[1]] * 24)
    backend = create_backend(ollama_settings)
    Generation(backend, ollama_settings, ActionSpec("summarize"), long_text, model=ollama_settings.model).run()
    record = httpx.get(standin_url + "/_standin/requests").json()[-1]
    assert record["prompt_tokens"] > 2048
    assert record["num_ctx"] >= record["prompt_tokens"] + ollama_settings.max_output_tokens
    assert record["truncated"] is False
    assert record["keep_alive"] == ollama_settings.keep_alive


def test_ollama_unknown_model(ollama_settings: Settings) -> None:
    backend = create_backend(ollama_settings)
    with pytest.raises(ModelNotFound):
        Generation(backend, ollama_settings, ActionSpec("summarize"), LETTER, model="llama9:70b").run()
