from __future__ import annotations

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
