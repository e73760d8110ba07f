"""What IT does, on a real LibreOffice: one .oxt (with the translation runtime and a bundled
language package) installed for every user with ``unopkg add --shared`` as root, and a policy
written by ``build.py policy`` dropped into LibreOffice's own ``share/registry`` folder. Two
fresh user profiles then get Plume, the policy's values, read-only where locked; a server
the policy does not approve is refused; the doctor (Options page and command line) reports
the shared registration and the policy. Everything is removed afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.office import PROGRAM, UNOPKG, Office, throwaway_profile
from options_page import OptionsPage
from snapshot import snapshot

import build

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="a shared install needs root, as in CI")

POLICY_FILE = PROGRAM.parent / "share" / "registry" / "plume-policy.xcd"
LOCKED = ("model", "approved_hosts", "operator_policy", "mark_ai_output")


@pytest.fixture(scope="module")
def shared_oxt(argos_packages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("it-build")
    models = folder / "models"
    models.mkdir()
    shutil.copy2(argos_packages["fr_en"], models / "translate-fr_en.argosmodel")
    result = subprocess.run(
        [sys.executable, "build.py", "--with-translation", "--argos-models", str(models), "--output-dir", str(folder / "dist"),
         "--update-base", (folder / "dist").as_uri()],
        capture_output=True, text=True, cwd=build.ROOT, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.split()[0])


@pytest.fixture(scope="module")
def deployed(shared_oxt: Path, llama_url: str) -> Iterator[Path]:
    """The extension shared with every user and the policy in force, removed afterwards."""
    assert not POLICY_FILE.exists(), f"{POLICY_FILE} left by an earlier run"
    policy = subprocess.run(
        [sys.executable, "build.py", "policy", "--endpoint", llama_url, "--backend", "openai", "--model", "smollm2",
         "--approve", "ia.mairie.example", "--operator-policy", "block", "--mark-ai-output", "on",
         "--lock", ",".join(LOCKED), "-o", str(POLICY_FILE)],
        capture_output=True, text=True, cwd=build.ROOT,
    )  # fmt: skip
    assert policy.returncode == 0, policy.stderr
    POLICY_FILE.chmod(0o644)
    try:
        added = subprocess.run(
            [str(UNOPKG), "add", "--shared", "--suppress-license", str(shared_oxt)], capture_output=True, text=True, timeout=600
        )
        assert added.returncode == 0, added.stdout + added.stderr
        yield shared_oxt
    finally:
        subprocess.run([str(UNOPKG), "remove", "--shared", "org.plume.assistant"], capture_output=True, timeout=600)
        POLICY_FILE.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def user_office(deployed: Path, log_dir: Path) -> Iterator[Office]:
    """A user who never installed anything: a fresh profile, Plume comes from the shared install."""
    with throwaway_profile() as profile, Office(profile, log_dir / "soffice-shared.log") as running:
        running.configure(max_output_tokens=48, context_window=2048)
        yield running


@pytest.fixture
def letter(user_office: Office, sample_copy: Path) -> Iterator[Any]:
    doc = user_office.open(sample_copy)
    yield doc
    doc.close(True)


def _settings(office: Office) -> dict[str, Any]:
    from harness.office import props

    node = office.create("com.sun.star.configuration.ConfigurationProvider").createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationAccess", props(nodepath="/org.plume.Settings/General")
    )
    return {name: node.getByName(name) for name in node.getElementNames()}


def test_a_fresh_profile_gets_plume_and_the_policy(user_office: Office, llama_url: str) -> None:
    assert user_office.create("org.plume.assistant.ProtocolHandler") is not None
    settings = _settings(user_office)
    assert (settings["base_url"], settings["model"], settings["approved_hosts"], settings["operator_policy"]) == (
        llama_url,
        "smollm2",
        "ia.mairie.example",
        "block",
    )
    for name in LOCKED:
        with pytest.raises(Exception):  # noqa: B017  (LibreOffice refuses a finalized value with a UNO exception)
            user_office.configure(**{name: "autre" if name != "mark_ai_output" else False})
    assert _settings(user_office)["model"] == "smollm2"


def test_the_policys_server_works_and_an_unapproved_one_is_refused(user_office: Office, letter: Any, llama_url: str) -> None:
    before = snapshot(letter)
    event = user_office.run_applied(letter, "plume:summarize?mode=after")  # a cut answer waits to be applied
    assert event["state"] == "done", event
    assert snapshot(letter) != before, "the summary landed, from the server the policy names"
    letter.getUndoManager().undo()
    user_office.configure(base_url="https://ia.autre.example")  # base_url is not locked: the approval list is
    try:
        event = user_office.run(letter, "plume:summarize?mode=after")
        assert event["state"] == "error" and "ia.autre.example" in event["message"], event
        assert snapshot(letter) == before
    finally:
        user_office.configure(base_url=llama_url)


def test_the_bundled_language_package_translates_without_any_setting(user_office: Office, letter: Any) -> None:
    assert _settings(user_office)["language_packages_dir"] == ""
    before = snapshot(letter)
    event = user_office.run(letter, "plume:translate?to=en&from=fr&mode=replace")
    assert event["state"] == "done", event
    assert snapshot(letter) != before


def test_the_doctor_reports_the_shared_install_and_the_policy(user_office: Office, letter: Any, deployed: Path) -> None:
    page = OptionsPage(user_office, letter)
    try:
        assert page.control("model").getModel().Enabled is False and page.control("base_url").getModel().Enabled is True
        assert page.handler.callHandlerMethod(page.window, None, "test_connection")
        lines = page.wait_for_checks(at_least=6)
    finally:
        page.window.dispose()
    by_name = {line[5:].split(":")[0]: line for line in lines}
    assert by_name["extension"].startswith("OK") and "(shared)" in by_name["extension"], lines
    assert all(name in by_name["policy"] for name in LOCKED), lines
    assert by_name["translation"].startswith("OK") and "fr->en (shared)" in by_name["translation"], lines
    assert by_name["libreoffice"].startswith("OK") and by_name["python"].startswith("OK"), lines
    cli = subprocess.run(
        [sys.executable, "-m", "plume", "doctor"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(build.ROOT / "python")},
    )  # fmt: skip
    cli_lines = {line[5:].split(":")[0]: line for line in cli.stdout.splitlines()}
    assert "(shared)" in cli_lines["extension"] and "plume-policy.xcd" in cli_lines["policy"], cli.stdout
    assert all(name in cli_lines["policy"] for name in LOCKED), cli.stdout


def test_libreoffice_reads_the_update_feed_the_build_wrote(user_office: Office, deployed: Path) -> None:
    feed = deployed.parent / "plume-update-linux-x86_64-translation.xml"
    provider = user_office.create("com.sun.star.deployment.UpdateInformationProvider")
    entries = provider.getUpdateInformation((feed.as_uri(),), "org.plume.assistant")
    assert len(entries) == 1
    source = entries[0].getElementsByTagNameNS("http://openoffice.org/extensions/update/2006", "src").item(0)
    assert source.getAttributeNS("http://www.w3.org/1999/xlink", "href").endswith(deployed.name)


def test_a_second_user_gets_plume_too(deployed: Path, log_dir: Path) -> None:
    with throwaway_profile() as profile, Office(profile, log_dir / "soffice-shared-2.log") as other:
        assert other.create("org.plume.assistant.ProtocolHandler") is not None
        assert _settings(other)["model"] == "smollm2"
