"""Tools > Options > Plume through the page's own code in a real LibreOffice: the page
window is built from the installed .xdl by LibreOffice's ContainerWindowProvider and driven
through the handler, as the Options dialog does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.office import Office, install_extension, props, throwaway_profile

import build

PAGE_URL = "vnd.sun.star.extension://org.plume.assistant/dialogs/options.xdl"


class OptionsPage:
    def __init__(self, office: Office, parent_doc: Any) -> None:
        self.office = office
        self.handler = office.create("org.plume.assistant.OptionsHandler")
        provider = office.create("com.sun.star.awt.ContainerWindowProvider")
        parent = parent_doc.getCurrentController().getFrame().getContainerWindow()
        self.window = provider.createContainerWindow(PAGE_URL, "", parent, self.handler)
        self.event("initialize")

    def event(self, name: str) -> None:
        assert self.handler.callHandlerMethod(self.window, name, "external_event")

    def control(self, name: str) -> Any:
        return self.window.getControl(name)


def _stored(office: Office) -> dict[str, Any]:
    node = office.create("com.sun.star.configuration.ConfigurationProvider").createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationAccess", props(nodepath="/org.plume.Settings/General")
    )
    return {name: node.getByName(name) for name in node.getElementNames()}


@pytest.fixture
def page(office: Office, document: Any) -> Iterator[OptionsPage]:
    options = OptionsPage(office, document)
    yield options
    options.window.dispose()


def test_the_page_shows_and_saves_the_configuration(office: Office, page: OptionsPage, llama_url: str) -> None:
    assert page.control("base_url").getText() == llama_url
    assert page.control("base_url_label").getModel().Label not in ("", "base_url"), "labels come from the catalogue"
    page.control("model").setText("autre-modele")
    page.control("read_timeout").setText("45")
    page.control("track_changes").getModel().State = 1
    page.control("summary_mode").selectItemPos(0, True)  # preview
    page.event("ok")
    stored = _stored(office)
    assert (stored["model"], stored["read_timeout"], stored["track_changes"], stored["summary_mode"]) == (
        "autre-modele",
        45.0,
        True,
        "preview",
    )
    page.event("back")
    assert page.control("model").getText() == "autre-modele"


def test_invalid_values_are_not_saved_and_say_why(office: Office, page: OptionsPage) -> None:
    before = _stored(office)
    page.control("base_url").setText("ftp://nowhere")
    page.event("ok")
    assert _stored(office) == before
    assert "base_url" in page.control("test_result").getText()


def test_the_api_key_goes_to_the_password_container_only(office: Office, page: OptionsPage, llama_url: str) -> None:
    page.control("api_key").setText("s3cret-key-for-test")
    page.event("ok")
    record = office.create("com.sun.star.task.PasswordContainer").find(llama_url, None)
    assert record is not None and record.UserList[0].Passwords[0] == "s3cret-key-for-test"
    assert "s3cret-key-for-test" not in str(_stored(office))
    modifications = office.profile / "user" / "registrymodifications.xcu"
    office.create("com.sun.star.configuration.ConfigurationProvider").flush()
    assert "s3cret-key-for-test" not in modifications.read_text(encoding="utf-8")
    assert page.control("api_key").getText() == ""
    assert page.control("test_result").getText(), "the page says where the key is kept"


def test_test_connection_reports_each_check(page: OptionsPage) -> None:
    assert page.handler.callHandlerMethod(page.window, None, "test_connection")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        lines = page.control("test_result").getText().splitlines()
        if lines and all(line[:4] in ("OK  ", "FAIL") for line in lines):
            break
        time.sleep(0.1)
    assert lines and lines[0].startswith("OK") and any("endpoint" in line for line in lines), lines


@pytest.fixture(scope="module")
def locked_office(oxt: Path, log_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    layer = tmp_path_factory.mktemp("admin-layer")
    (layer / "plume-policy.xcd").write_text(build.policy_layer({"base_url": "https://ia.mairie.example", "track_changes": True}))
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        with Office(profile, log_dir / "soffice-locked.log", admin_layer=layer) as running:
            yield running


def test_a_finalized_value_is_shown_read_only_and_never_written(locked_office: Office, sample_copy: Path) -> None:
    doc = locked_office.open(sample_copy)
    try:
        page = OptionsPage(locked_office, doc)
        assert page.control("base_url").getText() == "https://ia.mairie.example"
        assert page.control("base_url").getModel().Enabled is False
        assert page.control("track_changes").getModel().Enabled is False
        assert page.control("base_url").getModel().HelpText
        assert page.control("model").getModel().Enabled is True
        page.control("base_url").setText("http://127.0.0.1:9")
        page.control("model").setText("choisi")
        page.event("ok")
        stored = _stored(locked_office)
        assert stored["base_url"] == "https://ia.mairie.example" and stored["model"] == "choisi"
        with pytest.raises(Exception):  # noqa: B017  (LibreOffice refuses with a UNO exception)
            locked_office.configure(base_url="http://127.0.0.1:9")
    finally:
        doc.close(True)


def test_language_packages_are_listed_with_their_origin_and_only_personal_ones_removed(
    office: Office, document: Any, shared_languages: Path, argos_packages: dict[str, Path]
) -> None:
    import subprocess

    from plume.translation.packages import PackageFolders

    personal = office.profile / "user" / "plume" / "languages"
    PackageFolders(personal).install(argos_packages["en_de"])
    subprocess.run(["chmod", "-R", "a+rwX", str(personal.parent)], check=True)
    office.configure(language_packages_dir=str(shared_languages))
    page = OptionsPage(office, document)
    try:
        entries = page.control("languages").getModel().StringItemList
        assert len(entries) == 4 and "(personal)" in entries[0] and all("(shared" in e for e in entries[1:])
        page.control("languages").selectItemPos(1, True)  # a shared package: refused, with a message
        assert page.handler.callHandlerMethod(page.window, None, "remove_language")
        assert page.control("test_result").getText() and len(page.control("languages").getModel().StringItemList) == 4
        page.control("languages").selectItemPos(0, True)
        assert page.handler.callHandlerMethod(page.window, None, "remove_language")
        assert len(page.control("languages").getModel().StringItemList) == 3
        assert not any(personal.iterdir())
    finally:
        page.window.dispose()
        office.configure(language_packages_dir="")
