from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from harness.office import Office, install_extension, throwaway_profile

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "courrier-travaux-ecole.fodt"


@pytest.fixture(scope="session")
def oxt() -> Path:
    """The build IT deploys to reception desks: with the offline translation runtime."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--with-translation"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return ROOT / result.stdout.split()[0]


@pytest.fixture(scope="session")
def shared_languages(argos_packages: dict[str, Path]) -> Path:
    """A shared packages folder as IT deploys it: fr->en and en->fr (with their splitters),
    en->de (without)."""
    import tempfile

    from plume.translation.packages import PackageFolders

    folder = Path(tempfile.mkdtemp(prefix="plume-shared-languages-"))
    folders = PackageFolders(folder)
    for name in ("fr_en", "en_fr", "en_de"):
        folders.install(argos_packages[name])
    subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
    return folder


@pytest.fixture(scope="session")
def office(oxt: Path, log_dir: Path, llama_url: str) -> Iterator[Office]:
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        with Office(profile, log_dir / "soffice.log") as running:
            running.configure(backend="openai", base_url=llama_url, model="smollm2", max_output_tokens=96, context_window=2048)
            yield running


@pytest.fixture
def llama_config(office: Office, llama_url: str) -> Iterator[None]:
    """Each test starts from the defaults and the real server's settings, whatever the previous
    test set (a track_changes left on by another test turns a replace into tracked deletions)."""
    from plume.settings import SETTING_FIELDS, Settings

    defaults = Settings()
    office.configure(**{f.name: getattr(defaults, f.name) for f in SETTING_FIELDS})
    office.configure(backend="openai", base_url=llama_url, model="smollm2", max_output_tokens=96, read_timeout=120.0,
                     context_window=2048)  # fmt: skip
    yield


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """Tests open a copy: the repository's sample is never locked or changed."""
    copy = tmp_path / SAMPLE.name
    shutil.copy2(SAMPLE, copy)
    return copy


@pytest.fixture
def document(office: Office, llama_config: None, sample_copy: Path) -> Iterator[object]:
    doc = office.open(sample_copy)
    assert doc is not None, f"LibreOffice could not open {sample_copy}"
    yield doc
    doc.close(True)
