"""Test layers follow folders: tests/unit, tests/integration, tests/lo (marker = folder name).
Run one layer with ``-m unit`` (or integration, lo); the default runs all."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
LAYERS = ("unit", "integration", "lo")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(str(item.fspath)).relative_to(TESTS)
        layer = relative.parts[0]
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))


# The gateway's web stack is imported before the LibreOffice layer's conftest imports uno:
# uno wraps __import__ and turns a missing optional module into a plain ImportError, which
# Starlette and uvicorn (catching ModuleNotFoundError for python-multipart, a2wsgi) do not expect.
import warnings  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette 1.x suggests httpx2 for its TestClient
    import starlette.testclient  # noqa: F401
    import uvicorn  # noqa: F401


# --- real servers, shared by the integration and LibreOffice layers (started on first use) ---

from collections.abc import Iterator  # noqa: E402

from harness.servers import LLAMA_CONTEXT, MODEL_ALIAS, llama_server, ollama_standin  # noqa: E402

from plume.settings import Settings  # noqa: E402
from support.faulty_server import FaultyServer  # noqa: E402

ARTIFACTS = TESTS.parent / "test-artifacts"


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
    # llama.cpp's server does not report its context: the settings say it, as IT would.
    return Settings(backend="openai", base_url=llama_url, model=MODEL_ALIAS, max_output_tokens=64, context_window=LLAMA_CONTEXT)


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


# --- tiny Argos language packages, built once per session (random weights, real runtime) ---


@pytest.fixture(scope="session")
def argos_packages() -> dict[str, Path]:
    """``fr_en`` and ``en_fr`` carry a MiniSBD splitter; ``en_de`` has none (Plume's offline
    splitter must take over). Files are world-readable: soffice tests run as another user."""
    import os
    import tempfile

    from harness.argos_models import build_package

    folder = Path(tempfile.mkdtemp(prefix="plume-argos-"))
    folder.chmod(0o755)
    built = {
        "fr_en": build_package(folder / "translate-fr_en.argosmodel", "fr", "en"),
        "en_fr": build_package(folder / "translate-en_fr.argosmodel", "en", "fr"),
        "en_de": build_package(folder / "translate-en_de.argosmodel", "en", "de", with_splitter=False),
    }
    for path in built.values():
        os.chmod(path, 0o644)
    return built
