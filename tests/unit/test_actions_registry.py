"""The registry of actions: built-in entries are complete, lookups and aliases, IT's and personal
actions read from TOML or JSON with one clear problem per mistake."""

from __future__ import annotations

import json

import pytest

from plume.actions import BUILTINS, Action, ActionSpec, Registry, Text, build_messages, registry_for
from plume.actions.custom import actions_from_settings, dump_actions, parse_actions
from plume.actions.model import CHECKS, GROUPS, INSTRUCTIONS, LONG_TEXTS, PLACEMENTS, READS
from plume.errors import SettingsError, UnsupportedError
from plume.settings import APPLY_MODES, Settings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("action", list(BUILTINS), ids=lambda a: a.id)
def test_every_builtin_action_is_complete(action: Action) -> None:
    for text in (action.label, action.tooltip, action.prompt):
        assert text.fr.strip() and text.en.strip()
    assert action.reads in READS and action.instruction in INSTRUCTIONS and action.long_text in LONG_TEXTS
    assert action.placement in PLACEMENTS and action.check_against in CHECKS and action.group in GROUPS
    assert getattr(Settings(), action.mode_setting) in APPLY_MODES
    spec = ActionSpec(action, instruction="une consigne", target="en", signature="Le maire")
    for lang in ("fr", "en"):
        messages = build_messages(spec, "Le conseil municipal a voté le budget.", lang, 512)
        assert [m.role for m in messages] == ["system", "user"]
        assert "{" not in messages[1].content  # every placeholder was filled
        if action.needs_text:
            assert messages[1].content.startswith("Le conseil municipal")  # the text first, the task after
        if action.instruction != "none":
            assert "une consigne" in messages[1].content


def test_builtin_ids_shortcuts_and_aliases_are_unique() -> None:
    ids = [a.id for a in BUILTINS]
    assert len(ids) == len(set(ids))
    shortcuts = [a.shortcut for a in BUILTINS if a.shortcut]
    assert len(shortcuts) == len(set(shortcuts))
    aliases = [alias for a in BUILTINS for alias in a.aliases]
    assert len(aliases) == len(set(aliases)) and not set(aliases) & (set(ids) - {"summarize", "instruct", "translate"})


def test_earlier_names_find_their_action() -> None:
    assert BUILTINS.get("rewrite", "formal").id == "rewrite-formal"
    assert ActionSpec("rewrite", style="plain").key == "rewrite-plain"
    assert ActionSpec("summarize").definition.summarises
    with pytest.raises(UnsupportedError, match="style"):
        BUILTINS.get("rewrite", "poetic")
    with pytest.raises(UnsupportedError, match="unknown action"):
        BUILTINS.get("sing")


def test_an_action_that_needs_an_instruction_refuses_without_one() -> None:
    for action in (a for a in BUILTINS if a.instruction == "required"):
        with pytest.raises(UnsupportedError):
            ActionSpec(action, instruction="  ")


def test_drafting_sends_the_instruction_alone() -> None:
    messages = build_messages(ActionSpec("draft", instruction="Informer les parents de la fermeture"), "", "fr")
    assert "Informer les parents" in messages[1].content
    with pytest.raises(UnsupportedError):  # any other action needs a text
        build_messages(ActionSpec("summarize"), "  ", "fr")


def test_a_summary_states_a_length_and_a_rewrite_does_not() -> None:
    summary = build_messages(ActionSpec("summarize"), "Texte.", "fr", 256)[1].content
    rewrite = build_messages(ActionSpec("rewrite-formal"), "Texte.", "fr", 256)[1].content
    assert any(ch.isdigit() for ch in summary) and not any(ch.isdigit() for ch in rewrite)


TOML = """
[[action]]
id = "reclamation"
label = "Répondre à une réclamation"
label_en = "Answer a complaint"
prompt = "Le texte ci-dessus est une réclamation. Réponds avec courtoisie. {instruction}"
reads = "letter"
instruction = "optional"

[[action]]
id = "arrete"
label = "Rédiger un arrêté"
prompt = "Rédige un arrêté municipal : {instruction}"
reads = "nothing"
instruction = "required"
"""


def test_it_actions_from_toml_and_back_through_the_settings() -> None:
    actions = parse_actions(TOML, "actions.toml", "policy")
    assert [a.id for a in actions] == ["it-reclamation", "it-arrete"]
    assert actions[0].label("en") == "Answer a complaint" and actions[1].label("en") == "Rédiger un arrêté"
    assert actions[1].reads == "nothing" and actions[1].group == "write" and actions[0].placement == "after"
    settings = Settings(policy_actions=dump_actions(actions)).validate()
    registry = registry_for(settings)
    assert registry.ids[: len(BUILTINS)] == BUILTINS.ids and registry.ids[len(BUILTINS) :] == ("it-reclamation", "it-arrete")
    user = build_messages(ActionSpec(registry.get("it-reclamation"), instruction="accepter"), "Madame, ...", "fr")[1].content
    assert user.startswith("Madame") and user.rstrip().endswith("accepter")


def test_json_is_read_too() -> None:
    text = json.dumps([{"id": "note", "label": "Note au maire", "prompt": "Fais-en une note au maire.", "reads": "document"}])
    (action,) = parse_actions(text, "actions.json", "policy")
    assert action.id == "it-note" and action.instruction == "none" and action.placement == "after"


def test_personal_actions_count_only_when_it_allows_them() -> None:
    mine = dump_actions(parse_actions(TOML, "mine", "personal"))
    assert not actions_from_settings(Settings(personal_actions=mine))
    allowed = actions_from_settings(Settings(personal_actions=mine, allow_personal_actions=True))
    assert [a.id for a in allowed] == ["my-reclamation", "my-arrete"] and {a.origin for a in allowed} == {"personal"}


def _problems(text: str) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        parse_actions(text, "f.toml", "policy")
    return caught.value.problems


def _one(**fields: str) -> str:
    base = {"id": "ok", "label": "Libellé", "prompt": "Fais ceci."}
    base.update(fields)
    return "[[action]]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in base.items() if v != "<absent>")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"id": "Bad Id"}, "id must be"),
        ({"id": "x" * 41}, "id must be"),
        ({"label": "<absent>"}, "label is required"),
        ({"prompt": ""}, "prompt is required"),
        ({"label": "L" * 61}, "label is longer"),
        ({"reads": "clipboard"}, "reads must be one of"),
        ({"apply": "replace-all"}, "apply must be one of"),
        ({"instruction": "maybe"}, "instruction must be one of"),
        ({"reads": "nothing", "instruction": "none"}, "needs instruction"),
        ({"prompt": "Traduis en {language}"}, "may only contain {instruction}"),
        ({"instruction": "required"}, "must say where the instruction goes"),
        ({"colour": "blue"}, "unknown field 'colour'"),
    ],
)
def test_each_mistake_is_one_clear_line_naming_the_action(fields: dict[str, str], expected: str) -> None:
    problems = _problems(_one(**fields))
    assert len(problems) == 1 and expected in problems[0] and "f.toml, action 1" in problems[0]


def test_file_level_mistakes() -> None:
    assert "not readable TOML" in _problems("[[action]\nid=")[0]
    assert "expected a list of actions" in _problems('title = "x"')[0]
    assert "used twice" in _problems(_one() + _one())[0]
    assert "at most" in _problems("".join(_one(id=f"a{i}") for i in range(51)))[0]
    assert "must be a text" in _problems("[[action]]\nid = 3\nlabel = 'L'\nprompt = 'P'\n")[0]


def test_settings_with_broken_actions_do_not_validate_and_add_nothing() -> None:
    broken = Settings(policy_actions='[{"id": "X"}]')
    with pytest.raises(SettingsError):
        broken.validate()
    assert registry_for(broken) is BUILTINS


def test_a_registry_refuses_an_id_declared_twice() -> None:
    action = Action("same", Text("A"), Text("A"), Text("Fais."))
    with pytest.raises(ValueError, match="twice"):
        Registry((action, action))
