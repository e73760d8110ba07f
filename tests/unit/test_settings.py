from __future__ import annotations

from pathlib import Path

import pytest

from plume.errors import SettingsError
from plume.settings import SETTING_FIELDS, Settings, settings_from_env


def test_defaults_are_valid_and_point_at_a_local_ollama() -> None:
    settings = Settings().validate()
    assert settings.backend == "ollama"
    assert settings.host == "localhost"
    assert settings.verify_tls is True


def test_every_problem_is_listed() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings(backend="bard", base_url="ftp://x", read_timeout=0, ca_bundle="/nonexistent.pem").validate()
    assert len(raised.value.problems) == 4


def test_environment_overrides_and_converts_types() -> None:
    settings = settings_from_env({"PLUME_BACKEND": "openai", "PLUME_READ_TIMEOUT": "7.5", "PLUME_VERIFY_TLS": "false"})
    assert (settings.backend, settings.read_timeout, settings.verify_tls) == ("openai", 7.5, False)


def test_a_wrongly_typed_stored_value_is_a_settings_error() -> None:
    with pytest.raises(SettingsError):
        Settings.from_mapping({"max_output_tokens": "lots"})


def test_field_list_matches_the_dataclass_and_documents_each_field() -> None:
    assert [f.name for f in SETTING_FIELDS] == list(Settings.__dataclass_fields__)
    assert all(f.doc and isinstance(f.default, f.type) for f in SETTING_FIELDS)


@pytest.mark.parametrize("word", ["true", "TRUE", " yes", "On", "1", "oui", "Vrai", True, 1])
def test_clearly_true_words_are_true(word: object) -> None:
    assert Settings.from_mapping({"verify_tls": word, "allow_plain_http": word}).verify_tls is True


@pytest.mark.parametrize("word", ["false", "No", "OFF", "0", "non", "FAUX", False, 0])
def test_clearly_false_words_are_false(word: object) -> None:
    settings = Settings.from_mapping({"verify_tls": word, "mark_ai_output": word})
    assert settings.verify_tls is False and settings.mark_ai_output is False


@pytest.mark.parametrize("word", ["enabled", "2", "", "vrais", "y", "disabled", "nein", 2, -1, 0.5, [], "true!"])
def test_an_unclear_bool_is_a_settings_error_never_false(word: object) -> None:
    """verify_tls=enabled once turned TLS verification off: a word that is not clearly true
    or false fails, it does not fall open."""
    with pytest.raises(SettingsError, match="verify_tls must be true or false"):
        Settings.from_mapping({"verify_tls": word})
    with pytest.raises(SettingsError):
        settings_from_env({"PLUME_VERIFY_TLS": str(word)})


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "1e400", "abc", "", "１.５", True])
@pytest.mark.parametrize("name", ["read_timeout", "connect_timeout", "temperature"])
def test_floats_must_be_finite_numbers(name: str, value: object) -> None:
    with pytest.raises(SettingsError, match=f"{name} must be a finite number"):
        Settings.from_mapping({name: value})


@pytest.mark.parametrize("value", ["abc", "1e3", "1.5", "inf", "１２", "9" * 40, 2.5, float("inf"), True])
def test_ints_must_be_whole_numbers(value: object) -> None:
    with pytest.raises(SettingsError, match="max_output_tokens must be a whole number"):
        Settings.from_mapping({"max_output_tokens": value})


def test_numbers_convert_from_text_and_numbers() -> None:
    settings = Settings.from_mapping(
        {"max_output_tokens": " 64 ", "audit_max_kb": 2048.0, "read_timeout": 30, "temperature": "0.5"}
    )
    assert (settings.max_output_tokens, settings.audit_max_kb, settings.read_timeout, settings.temperature) == (
        64,
        2048,
        30.0,
        0.5,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"read_timeout": float("inf")},
        {"read_timeout": float("nan")},
        {"read_timeout": -1.0},
        {"connect_timeout": float("inf")},
        {"connect_timeout": float("nan")},
        {"connect_timeout": -0.5},
        {"temperature": float("nan")},
        {"temperature": float("inf")},
        {"temperature": -0.1},
        {"read_timeout": "30"},  # built directly with the wrong type: a problem, not a TypeError
        {"verify_tls": "enabled"},
        {"max_output_tokens": 1.5},
    ],
)
def test_validate_refuses_non_finite_negative_or_wrongly_typed_values(changes: dict[str, object]) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings().replace(**changes).validate()
    assert len(raised.value.problems) == 1


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://[::1", "brackets around an IPv6"),
        ("http://[::1]x", "IPv6"),
        ("http://[zz::1]", "IPv6"),
        ("http://[fe80::1%25eth0]", "IPv6"),
        ("http://ｌｏｃａｌｈｏｓｔ:8080", "ASCII (here: localhost)"),
        ("http://évry.fr", "ASCII (here: xn--vry-9la.fr)"),
        ("http://localhost:99999", "port"),
        ("http://localhost:0", "port"),
        ("http://localhost:abc", "port"),
        ("http://localhost:８０", "port"),
        ("http://local host:80", "spaces or control"),
        ("http://local\thost", "spaces or control"),  # urlsplit silently drops tabs: 'localhost'
        ("http://localhost\n", "spaces or control"),
        (" http://localhost", "spaces or control"),
        ("http://localhost\x1b[31m", "spaces or control"),
        ("http://localhost\u200b", "spaces or control"),
        ("http://evil.example\\@localhost", "user name or password"),
        ("http://evil.example\\.localhost", "backslash"),
        ("http://%6cocalhost", "host name"),
        ("http://-x", "host name"),
        ("http://localhost?x=1", "query"),
        ("http://localhost#frag", "fragment"),
        ("ftp://localhost", "http(s) URL"),
        ("http:///v1", "http(s) URL"),
        ("localhost:11434", "http(s) URL"),
        ("", "http(s) URL"),
    ],
)
def test_every_bad_base_url_is_one_settings_problem_and_has_no_host(url: str, says: str) -> None:
    settings = Settings(base_url=url)
    with pytest.raises(SettingsError) as raised:
        settings.validate()
    (problem,) = raised.value.problems
    assert problem.startswith("base_url") and says in problem
    assert settings.host == ""  # never raises, and an invalid URL is no destination


@pytest.mark.parametrize(
    "url", ["http://user:s3cr3t@localhost:8080", "https://:s3cr3t@albert.example", "http://u:s3/cr3t@h", "http://apikey@h"]
)
def test_credentials_in_base_url_are_refused_without_repeating_them(url: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings(base_url=url).validate()
    (problem,) = raised.value.problems
    assert "PLUME_API_KEY" in problem and "s3" not in problem and "apikey" not in problem
    assert "s3" not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://localhost:11434", "localhost"),
        ("https://albert.api.etalab.gouv.fr", "albert.api.etalab.gouv.fr"),
        ("http://[::1]:8080/v1", "::1"),
        ("HTTP://LOCALHOST:80/v1/", "localhost"),
        ("http://127.0.0.1:9", "127.0.0.1"),
        ("http://ia.mairie.example:", "ia.mairie.example"),
    ],
)
def test_good_base_urls_pass(url: str, host: str) -> None:
    assert Settings(base_url=url).validate().host == host


def test_allow_plain_http_is_an_off_by_default_bool_setting() -> None:
    assert Settings().allow_plain_http is False
    assert settings_from_env({"PLUME_ALLOW_PLAIN_HTTP": "oui"}).allow_plain_http is True
    with pytest.raises(SettingsError):
        settings_from_env({"PLUME_ALLOW_PLAIN_HTTP": "peut-être"})


def test_a_long_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_mapping({"max_output_tokens": "x" * 10_000})
    assert len(str(raised.value)) < 150


def test_ca_bundle_must_hold_pem_certificates(tmp_path: Path) -> None:
    import certifi

    assert Settings(ca_bundle=certifi.where()).validate().ca_bundle == certifi.where()
    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("Bonjour")
    for path, says in (
        (str(not_pem), "no readable PEM"),
        (str(tmp_path), "not a readable file"),
        ("/dev/zero", "not a readable file"),
    ):
        with pytest.raises(SettingsError) as raised:
            Settings(ca_bundle=path).validate()
        (problem,) = raised.value.problems
        assert problem.startswith("ca_bundle") and says in problem


def test_choice_settings_declare_their_values_once_and_validation_reads_them() -> None:
    from plume.settings import CHOICES, SETTING_FIELDS

    assert set(CHOICES) >= {"backend", "local_policy", "operator_policy", "summary_mode", "rewrite_mode", "draft_mode"}
    for name, allowed in CHOICES.items():
        assert getattr(Settings(), name) in allowed, f"{name}'s default is one of its values"
        for value in allowed:
            Settings(**{name: value}).validate()
        with pytest.raises(SettingsError) as refused:
            Settings(**{name: "autre"}).validate()
        assert refused.value.problems == [f"{name} must be one of {', '.join(allowed)}, not 'autre'"]
    assert {f.name for f in SETTING_FIELDS if f.choices} == set(CHOICES)


def test_build_policy_and_the_cli_offer_the_declared_choices() -> None:
    from plume.cli import build_parser
    from plume.settings import CHOICES
    from plume_build.policy import policy_parser

    def choices(parser: object, option: str) -> tuple[str, ...]:
        action = next(a for a in parser._actions if option in a.option_strings)  # type: ignore[attr-defined]
        return tuple(action.choices)

    policy = policy_parser("")
    assert choices(policy, "--backend") == CHOICES["backend"]
    assert choices(policy, "--local-policy") == CHOICES["local_policy"]
    assert choices(policy, "--operator-policy") == CHOICES["operator_policy"]
    assert choices(build_parser(), "--backend") == CHOICES["backend"]
