"""``build.py policy --actions FILE``: IT's actions are checked as the workstations check them
(one line per problem, naming the file and the action), stored locked in ``policy_actions``
and added to Plume's menu in the same layer."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

import build
from plume.actions.registry import registry_for
from plume.settings import Settings
from plume_build.config import MENU_NODE

OOR = "{http://openoffice.org/2001/registry}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EXAMPLE = build.ROOT / "docs" / "examples" / "actions.toml"

VALID = """
[[action]]
id = "reclamation"
label = "Répondre à une réclamation"
label_en = "Answer a complaint"
reads = "letter"
instruction = "optional"
prompt = "Rédige une réponse courtoise à la réclamation ci-dessus. {instruction}"

[[action]]
id = "note"
label = "Note & synthèse <élus>"
prompt = "Résume le texte pour les élus."
reads = "document"
"""


def _components(path: Path) -> dict[str, ElementTree.Element]:
    root = ElementTree.parse(path).getroot()
    return {data.get(f"{OOR}name", ""): data for data in root.iter(f"{OOR}component-data")}


def _settings(path: Path) -> dict[str, tuple[str | None, bool]]:
    data = _components(path)["Settings"]
    return {p.get(f"{OOR}name", ""): (p.findtext("value"), p.get(f"{OOR}finalized") == "true") for p in data.iter("prop")}


def _menu_entries(path: Path) -> dict[str, dict[str, str]]:
    """{node name: {"URL": ..., "fr": title, "en-US": title}} under Plume's menu."""
    addons = _components(path)["Addons"]
    menu = next(n for n in addons.iter("node") if n.get(f"{OOR}name") == MENU_NODE)
    assert menu.get(f"{OOR}op") == "fuse", "merged with the extension's own entries, never replacing them"
    submenu = next(n for n in menu if n.get(f"{OOR}name") == "Submenu")
    entries = {}
    for node in submenu:
        props = {p.get(f"{OOR}name"): p for p in node.iter("prop")}
        titles = {v.get(XML_LANG, ""): v.text or "" for v in props["Title"].iter("value")}
        entries[node.get(f"{OOR}name", "")] = {"URL": props["URL"].findtext("value") or "", **titles}
    return entries


def _write(tmp_path: Path, text: str, name: str = "actions.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_actions_are_stored_locked_and_added_to_the_menu(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plume-policy.xcd"
    assert build.main(["policy", "--actions", str(_write(tmp_path, VALID)), "--model", "m", "-o", str(out)]) == 0
    settings = _settings(out)
    stored, locked = settings["policy_actions"]
    assert locked, "users never change IT's actions, even without --lock"
    assert settings["model"] == ("m", False), "--lock still decides for the other settings"
    assert stored is not None and [a["id"] for a in json.loads(stored)] == ["reclamation", "note"]
    # What the workstations read back from that setting: the same actions, under their it- ids.
    registry = registry_for(Settings(policy_actions=stored).validate())
    assert registry.get("it-reclamation").reads == "letter" and registry.get("it-note").label.fr == "Note & synthèse <élus>"
    entries = _menu_entries(out)
    assert [e["URL"] for e in entries.values()] == ["plume:run?action=it-reclamation", "plume:run?action=it-note"]
    first, second = entries.values()
    assert (first["fr"], first["en-US"]) == ("Répondre à une réclamation", "Answer a complaint")
    assert second["fr"] == second["en-US"] == "Note & synthèse <élus>", "no English label: the French one"
    first_child = ElementTree.parse(out).getroot()[0]
    assert (first_child.tag, first_child.get("file")) == ("dependency", "main"), "read after main.xcd, the menus' schema"
    out_text = capsys.readouterr().out
    assert len([line for line in out_text.splitlines() if line.strip().startswith("action it-")]) == 2, out_text


def test_the_menu_entries_sort_among_the_extensions_own_in_file_order(tmp_path: Path) -> None:
    """LibreOffice orders a submenu by node name: IT's entries go after the rewrites, before Stop."""
    out = tmp_path / "p.xcd"
    actions = "".join(f'[[action]]\nid = "z{n}"\nlabel = "A {n}"\nprompt = "P"\n' for n in range(12, 0, -1))
    assert build.main(["policy", "--actions", str(_write(tmp_path, actions)), "-o", str(out)]) == 0
    names = list(_menu_entries(out))
    assert [n.rsplit("-", 1)[1] for n in sorted(names)] == [f"z{n}" for n in range(12, 0, -1)]
    addons = ElementTree.parse(build.ROOT / "extension" / "registry" / "Addons.xcu").getroot()
    builtin = sorted(n.get(f"{OOR}name", "") for n in addons.iter("node") if n.get(f"{OOR}name", "").startswith("m"))
    own = [n for n in builtin if n < "m80"]
    others = [n for n in builtin if n > "m80"]
    assert "m00-draft" in own and any(n.endswith("-stop") for n in others), builtin
    assert all(max(own) < name < min(others) for name in names), builtin
    menu = next(n for n in addons.iter("node") if n.get(f"{OOR}name") == MENU_NODE)
    assert menu.get(f"{OOR}op") == "fuse", "the extension's menu must not drop the entries a policy layer added"


def test_the_example_file_is_valid(tmp_path: Path) -> None:
    out = tmp_path / "p.xcd"
    assert build.main(["policy", "--actions", str(EXAMPLE), "-o", str(out)]) == 0
    assert len(_menu_entries(out)) == 3


def test_a_json_file_is_read_too(tmp_path: Path) -> None:
    out = tmp_path / "p.xcd"
    text = json.dumps([{"id": "courrier", "label": "Courrier", "prompt": "Rédige : {instruction}", "reads": "nothing",
                        "instruction": "required"}])  # fmt: skip
    assert build.main(["policy", "--actions", str(_write(tmp_path, text, "actions.json")), "-o", str(out)]) == 0
    assert [e["URL"] for e in _menu_entries(out).values()] == ["plume:run?action=it-courrier"]


ONE = 'id = "a"\nlabel = "A"\nprompt = "Fais-le."\n'


@pytest.mark.parametrize(
    ("text", "number", "says"),
    [
        (f"[[action]]\n{ONE}colour = 'bleu'\n", 1, "unknown field 'colour'"),
        ('[[action]]\nid = "Mon Action"\nlabel = "A"\nprompt = "P"\n', 1, "id must be"),
        (f"[[action]]\n{ONE}[[action]]\n{ONE}", 2, "'a' is used twice"),
        ('[[action]]\nid = "a"\nlabel = "A"\n', 1, "prompt is required"),
        (f"[[action]]\n{ONE}reads = 'page'\n", 1, "reads must be one of"),
        ('[[action]]\nid = "a"\nlabel = "A"\nprompt = "En {language} : {instruction}"\ninstruction = "optional"\n', 1,
         "only contain {instruction}, not {language}"),
        ("[[action]\nid = 'a'\n", None, "not readable TOML"),
        ("[action]\nid = 'a'\nlabel = 'A'\nprompt = 'P'\n", None, "expected a list of actions"),
        ("".join(f'[[action]]\nid = "a{n}"\nlabel = "A"\nprompt = "P"\n' for n in range(51)), None, "51 actions, at most 50"),
        ('[[action]]\nid = "a"\nlabel = "A"\nprompt = "Fais-le."\ninstruction = "optional"\n', 1, "{instruction}"),
        ('[[action]]\nid = "a"\nlabel = "A"\nprompt = "P {instruction}"\nreads = "nothing"\ninstruction = "optional"\n', 1, 'instruction = "required"'),
    ],
)  # fmt: skip
def test_each_problem_is_one_line_naming_the_file_and_the_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, number: int | None, says: str
) -> None:
    source = _write(tmp_path, text)
    out = tmp_path / "p.xcd"
    assert build.main(["policy", "--actions", str(source), "--model", "m", "-o", str(out)]) == 2
    assert not out.exists()
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith(f"build.py policy: {source}") for line in lines), lines
    where = f"{source}, action {number}:" if number else f"{source}:"
    assert any(where in line and says in line for line in lines), lines
    assert "Traceback" not in "\n".join(lines)


def test_every_problem_of_a_file_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = '[[action]]\nid = "A"\nlabel = "A"\nprompt = "P"\n[[action]]\nid = "b"\nlabel = "B"\n'
    assert build.main(["policy", "--actions", str(_write(tmp_path, text)), "-o", str(tmp_path / "p.xcd")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "action 1: id must be" in lines[0] and "action 2: prompt is required" in lines[1], lines


@pytest.mark.parametrize(
    ("content", "says"),
    [(None, "cannot read it"), (b"\xff\xfe[[action]]", "not UTF-8"), (b"x" * (1024**2 + 1), "larger than")],
)
def test_an_unreadable_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, says: str
) -> None:
    path = tmp_path / "actions.toml"
    if content is not None:
        path.write_bytes(content)
    assert build.main(["policy", "--actions", str(path), "-o", str(tmp_path / "p.xcd")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and says in lines[0] and str(path) in lines[0], lines


def test_policy_actions_are_given_as_a_file_not_with_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build.main(["policy", "--set", "policy_actions=[]", "-o", str(tmp_path / "p.xcd")]) == 2
    assert "--actions FILE" in capsys.readouterr().err


def test_a_layer_without_actions_has_no_menu(tmp_path: Path) -> None:
    out = tmp_path / "p.xcd"
    assert build.main(["policy", "--model", "m", "-o", str(out)]) == 0
    assert set(_components(out)) == {"Settings"} and "policy_actions" not in _settings(out)


def test_an_action_with_several_problems_gets_them_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = f'[[action]]\n{ONE}[[action]]\nid = "a"\nlabel = 3\ncolour = "x"\n'
    assert build.main(["policy", "--actions", str(_write(tmp_path, text)), "-o", str(tmp_path / "p.xcd")]) == 2
    lines = [line.split("action 2: ", 1)[1] for line in capsys.readouterr().err.splitlines()]
    assert len(lines) == 4 and lines[0].startswith("unknown field 'colour'"), lines
    assert {"label must be a text (in quotes)", "prompt is required", "id 'a' is used twice"} == set(lines[1:]), lines
