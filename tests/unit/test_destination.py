from __future__ import annotations

import pytest

from plume.destination import destination_of
from plume.settings import Settings


@pytest.mark.parametrize("url", ["http://localhost:11434", "http://127.0.0.1:8080", "http://127.8.9.1", "http://[::1]:11434"])
def test_loopback_is_this_computer(url: str) -> None:
    assert destination_of(Settings(base_url=url)).kind == "local"


def test_an_approved_host_is_an_operator_named_by_the_settings_or_its_host() -> None:
    albert = Settings(base_url="https://albert.api.etalab.gouv.fr", approved_hosts="albert.api.etalab.gouv.fr")
    assert destination_of(albert).kind == "operator" and destination_of(albert).label == "albert.api.etalab.gouv.fr"
    named = Settings(
        base_url="https://IA.metropole.example", operator_name="Métropole", approved_hosts="x.example, ia.metropole.example"
    )
    assert destination_of(named).kind == "operator" and destination_of(named).label == "Métropole"


def test_any_other_host_is_blocked() -> None:
    assert destination_of(Settings(base_url="https://api.openai.com")).kind == "blocked"
    assert (
        destination_of(
            Settings(base_url="https://albert.api.etalab.gouv.fr.evil.example", approved_hosts="albert.api.etalab.gouv.fr")
        ).kind
        == "blocked"
    )


def test_a_host_that_only_starts_like_loopback_is_not_local() -> None:
    assert destination_of(Settings(base_url="http://localhost.evil.example")).kind == "blocked"
    assert destination_of(Settings(base_url="http://127.0.0.1.nip.example")).kind == "blocked"
