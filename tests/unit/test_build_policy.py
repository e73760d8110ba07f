"""``build.py policy``: the administrator's layer holds the values given, locks what was asked,
approves the pinned endpoint, and refuses what the Options page would refuse."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

import build
from plume.settings import SETTING_FIELDS

OOR = "{http://openoffice.org/2001/registry}"


def _props(path: Path) -> dict[str, tuple[str | None, bool]]:
    root = ElementTree.parse(path).getroot()
    data = root.find(f"{OOR}component-data")
    assert data is not None, "the layer has its component data"
    return {p.get(f"{OOR}name", ""): (p.findtext("value"), p.get(f"{OOR}finalized") == "true") for p in data.iter("prop")}


def test_a_locked_operator_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plume-policy.xcd"
    code = build.main(
        ["policy", "--endpoint", "https://albert.api.etalab.gouv.fr", "--model", "albert-large", "--operator-policy", "block",
         "--mark-ai-output", "on", "--lock", "all", "-o", str(out)]
    )  # fmt: skip
    assert code == 0
    props = _props(out)
    assert props == {
        "backend": ("openai", True),
        "base_url": ("https://albert.api.etalab.gouv.fr", True),
        "model": ("albert-large", True),
        "approved_hosts": ("albert.api.etalab.gouv.fr", True),
        "operator_policy": ("block", True),
        "mark_ai_output": ("true", True),
    }
    schema = ElementTree.parse(out).getroot().find(f"{OOR}component-schema")
    assert schema is not None and len(list(schema.iter("prop"))) == len(SETTING_FIELDS), "the layer carries the schema"
    assert "(locked)" in capsys.readouterr().out


def test_only_the_named_settings_are_locked_and_a_local_endpoint_is_not_an_operator(tmp_path: Path) -> None:
    out = tmp_path / "p.xcd"
    assert (
        build.main(
            ["policy", "--endpoint", "http://localhost:11434", "--model", "qwen3:8b", "--lock", "base_url", "-o", str(out)]
        )
        == 0
    )
    props = _props(out)
    assert props["backend"] == ("ollama", False), "port 11434 is Ollama's"
    assert props["base_url"] == ("http://localhost:11434", True) and props["model"] == ("qwen3:8b", False)
    assert "approved_hosts" not in props


def test_without_lock_nothing_is_finalized_and_the_summary_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.xcd"
    assert build.main(["policy", "--model", "m", "--approve", "a.example, B.example", "-o", str(out)]) == 0
    assert _props(out) == {"model": ("m", False), "approved_hosts": ("a.example,b.example", False)}
    assert "nothing is locked" in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments",
    [
        ["--endpoint", "ftp://files.example"],
        ["--set", "temperature=9"],
        ["--set", "colour=blue"],
        ["--model", "m", "--lock", "base_url"],
        ["--endpoint", "http://gpu.mairie.example:8000"],  # workstations would refuse plain http to an operator
        [],
    ],
)
def test_invalid_policies_are_refused_and_nothing_is_written(tmp_path: Path, arguments: list[str]) -> None:
    out = tmp_path / "p.xcd"
    assert build.main(["policy", *arguments, "-o", str(out)]) == 2
    assert not out.exists()


def test_plain_http_to_an_operator_when_the_policy_allows_it(tmp_path: Path) -> None:
    out = tmp_path / "p.xcd"
    arguments = ["--endpoint", "http://gpu.mairie.example:8000", "--set", "allow_plain_http=true", "--lock", "all"]
    assert build.main(["policy", *arguments, "-o", str(out)]) == 0
    assert _props(out)["allow_plain_http"] == ("true", True)


def test_ca_bundle_names_a_file_on_the_workstations_not_here(tmp_path: Path) -> None:
    out = tmp_path / "p.xcd"
    assert build.main(["policy", "--ca-bundle", r"C:\ProgramData\Plume\ca.pem", "--lock", "all", "-o", str(out)]) == 0
    assert _props(out) == {"ca_bundle": (r"C:\ProgramData\Plume\ca.pem", True)}
