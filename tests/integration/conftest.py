from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.faulty_server import FaultyServer
from support.servers import MODEL_ALIAS, llama_server, ollama_standin

from plume.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def log_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def llama_url(log_dir: Path) -> Iterator[str]:
    with llama_server(log_dir) as url:
        yield url


@pytest.fixture(scope="session")
def openai_settings(llama_url: str) -> Settings:
    return Settings(backend="openai", base_url=llama_url, model=MODEL_ALIAS, max_output_tokens=64)


@pytest.fixture(scope="session")
def standin_url(log_dir: Path) -> Iterator[str]:
    with ollama_standin(log_dir) as url:
        yield url


@pytest.fixture(scope="session")
def ollama_settings(standin_url: str) -> Settings:
    return Settings(backend="ollama", base_url=standin_url, model="smollm2:135m", max_output_tokens=48, min_context_tokens=2048)


@pytest.fixture
def faulty() -> Iterator[FaultyServer]:
    with FaultyServer() as server:
        yield server
