"""Tools > Options > Plume through the page's own code in a real LibreOffice: the page
window is built from the installed .xdl by LibreOffice's ContainerWindowProvider and driven
through the handler, as the Options dialog does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.office import Office, install_extension, props, throwaway_profile
from options_page import OptionsPage

from plume_build.config import policy_layer


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
    lines = page.wait_for_checks(timeout=30, at_least=6)
    by_name = {line[5:].split(":")[0]: line for line in lines}
    assert lines[0].startswith("OK") and by_name["endpoint"].startswith("OK"), lines
    # What LibreOffice says about the installation: this profile's own copy, no policy.
    assert by_name["libreoffice"].startswith("OK") and by_name["python"].startswith("OK"), lines
    assert by_name["extension"].startswith("OK") and "(user)" in by_name["extension"], lines
    assert by_name["policy"].startswith("OK") and "no setting locked" in by_name["policy"], lines


@pytest.fixture(scope="module")
def locked_office(oxt: Path, log_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    layer = tmp_path_factory.mktemp("admin-layer")
    (layer / "plume-policy.xcd").write_text(policy_layer({"base_url": "https://ia.mairie.example", "track_changes": True}))
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
        assert page.handler.callHandlerMethod(page.window, None, "test_connection")
        policy = next(line for line in page.wait_for_checks(at_least=2) if line[5:].startswith("policy"))
        assert "base_url" in policy and "track_changes" in policy
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


def test_the_lists_show_the_values_the_settings_declare(page: OptionsPage) -> None:
    from plume.settings import CHOICES

    for name in ("backend", "summary_mode", "rewrite_mode", "local_policy", "operator_policy"):
        labels = page.control(name).getModel().StringItemList
        assert len(labels) == len(CHOICES[name]) and len(set(labels)) == len(labels) and all(labels), (name, labels)


def test_personal_actions_are_edited_only_where_it_allows_them(office: Office, document: Any) -> None:
    from plume.actions.registry import registry_for
    from plume.settings import Settings

    office.configure(allow_personal_actions=False, personal_actions="")
    page = OptionsPage(office, document)
    try:
        field = page.control("personal_actions").getModel()
        assert field.Enabled is False and field.HelpText, "greyed, saying IT decides"
    finally:
        page.window.dispose()
    office.configure(allow_personal_actions=True)
    page = OptionsPage(office, document)
    try:
        field = page.control("personal_actions")
        assert field.getModel().Enabled is True
        field.setText('[[action]]\nid = "Ma Relance"\nlabel = "Relance"\nprompt = "Rédige une relance polie."\n')
        page.event("ok")
        assert _stored(office)["personal_actions"] == "", "refused: not saved"
        assert "personal_actions, action 1: id must be" in page.control("test_result").getText()
        field.setText('[[action]]\r\nid = "relance"\r\nlabel = "Relance"\r\nprompt = "Rédige une relance polie."\r\n')
        page.event("ok")
        stored = _stored(office)["personal_actions"]
        assert (
            "\r" not in stored
            and "my-relance" in registry_for(Settings(allow_personal_actions=True, personal_actions=stored)).ids
        )
        page.event("back")
        assert page.control("personal_actions").getText().replace("\r\n", "\n") == stored
    finally:
        page.window.dispose()
        office.configure(allow_personal_actions=False, personal_actions="")
