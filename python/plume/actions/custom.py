"""Actions IT declares (``build.py policy --actions FILE``) and personal ones (the Options
page, when IT allows them): read from a readable file (TOML or JSON), checked with one clear
line per problem, stored in the settings as JSON.

A file holds a list of actions::

    [[action]]
    id = "reclamation"
    label = "Répondre à une réclamation"
    label_en = "Answer a complaint"
    prompt = "Le texte ci-dessus est une réclamation. Rédige une réponse courtoise {instruction}"
    reads = "letter"            # selection, document, paragraph, nothing, letter
    apply = "after"             # replace, after, append
    instruction = "optional"    # none, optional, required

Their ids are prefixed (``it-``, ``my-``) so they never take a built-in action's place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from ..errors import SettingsError
from .builtin import BUILTIN
from .model import INSTRUCTIONS, PLACEMENTS, READS, Action, Origin, Text

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
PREFIX: dict[Origin, str] = {"builtin": "", "policy": "it-", "personal": "my-"}
MAX_ACTIONS = 50
MAX_PROMPT = 4000
MAX_LABEL = 60
FIELDS = ("id", "label", "label_en", "tooltip", "tooltip_en", "prompt", "prompt_en", "reads", "apply", "instruction")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def parse_actions(text: str, source: str, origin: Origin) -> tuple[Action, ...]:
    """The actions of a TOML or JSON text; raises SettingsError naming every problem."""
    data: Any
    try:
        data = json.loads(text) if text.lstrip()[:1] in ("[", "{") and not text.lstrip().startswith("[[") else _toml(text)
    except (ValueError, TypeError) as error:  # tomllib.TOMLDecodeError and JSONDecodeError are ValueErrors
        raise SettingsError([f"{source}: not readable TOML or JSON ({error})"]) from None
    items = data.get("action", data.get("actions")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise SettingsError([f"{source}: expected a list of actions ([[action]] tables in TOML)"])
    return actions_from_data(items, source, origin)


def _toml(text: str) -> Any:
    try:
        import tomllib
    except ImportError:  # Python before 3.11 (some LibreOffice builds bundle one)
        raise ValueError("this Python reads JSON only: write the actions as a JSON list") from None
    return tomllib.loads(text)


def actions_from_data(items: Sequence[Any], source: str, origin: Origin) -> tuple[Action, ...]:
    problems: list[str] = []
    actions: list[Action] = []
    if len(items) > MAX_ACTIONS:
        problems.append(f"{source}: {len(items)} actions, at most {MAX_ACTIONS}")
    seen: set[str] = set()
    for number, item in enumerate(items[:MAX_ACTIONS], 1):
        where = f"{source}, action {number}"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: expected a table of fields ({', '.join(FIELDS)})")
            continue
        action, found = _action(item, where, origin)
        problems += found
        if action is not None:
            if action.id in seen:
                problems.append(f"{where}: id {action.id.removeprefix(PREFIX[origin])!r} is used twice")
            seen.add(action.id)
            actions.append(action)
    if problems:
        raise SettingsError(problems)
    return tuple(actions)


def _action(item: Mapping[str, Any], where: str, origin: Origin) -> tuple[Action | None, list[str]]:
    problems = [f"{where}: unknown field {name!r} (known: {', '.join(FIELDS)})" for name in item if name not in FIELDS]
    for name, value in item.items():
        if name in FIELDS and not isinstance(value, str):
            problems.append(f"{where}: {name} must be a text")
    if problems:
        return None, problems
    values = {name: str(value).strip() for name, value in item.items()}
    raw_id = values.get("id", "")
    if not ID.match(raw_id):
        problems.append(f"{where}: id must be 1 to 40 lowercase letters, digits or '-', not {raw_id!r}")
    for name, limit in (("label", MAX_LABEL), ("label_en", MAX_LABEL), ("prompt", MAX_PROMPT), ("prompt_en", MAX_PROMPT)):
        if len(values.get(name, "")) > limit:
            problems.append(f"{where}: {name} is longer than {limit} characters")
    for name in ("label", "prompt"):
        if not values.get(name):
            problems.append(f"{where}: {name} is required")
    reads = values.get("reads", "selection")
    if reads not in READS:
        problems.append(f"{where}: reads must be one of {', '.join(READS)}, not {reads!r}")
    apply = values.get("apply", "after" if reads in ("nothing", "letter", "document") else "replace")
    if apply not in PLACEMENTS:
        problems.append(f"{where}: apply must be one of {', '.join(PLACEMENTS)}, not {apply!r}")
    needs = values.get("instruction", "required" if reads == "nothing" else "none")
    if needs not in INSTRUCTIONS:
        problems.append(f"{where}: instruction must be one of {', '.join(INSTRUCTIONS)}, not {needs!r}")
    elif reads == "nothing" and needs != "required":
        problems.append(f"{where}: an action that reads nothing needs instruction = \"required\"")
    for name in ("prompt", "prompt_en"):
        for placeholder in _PLACEHOLDER.findall(values.get(name, "")):
            if placeholder != "instruction":
                problems.append(f"{where}: {name} may only contain {{instruction}}, not {{{placeholder}}}")
    if needs != "none" and values.get("prompt") and "{instruction}" not in values["prompt"]:
        problems.append(f"{where}: prompt must say where the instruction goes: {{instruction}}")
    if problems:
        return None, problems
    # Braces other than {instruction} are kept as written: doubled for str.format.
    prompt_fr, prompt_en = (_escape(values.get(n, "")) for n in ("prompt", "prompt_en"))
    action = Action(
        id=PREFIX[origin] + raw_id,
        label=Text(values["label"], values.get("label_en", "")),
        tooltip=Text(values.get("tooltip", "") or values["label"], values.get("tooltip_en", "")),
        prompt=Text(prompt_fr, prompt_en),
        reads=cast(Any, reads),
        instruction=cast(Any, needs),
        long_text="none" if reads in ("nothing", "letter", "paragraph") else "batches",
        placement=cast(Any, apply),
        mode_setting="draft_mode" if reads in ("nothing", "letter", "paragraph") else "rewrite_mode",
        keep_format=apply == "replace",
        check_against="instruction" if reads == "nothing" else "source",
        group="write" if reads in ("nothing", "letter", "paragraph") else "transform",
        origin=origin,
    )
    return action, []


def _escape(prompt: str) -> str:
    return prompt.replace("{", "{{").replace("}", "}}").replace("{{instruction}}", "{instruction}")


def dump_actions(actions: Sequence[Action]) -> str:
    """The settings' form of ``actions``: JSON, read back by :func:`actions_from_settings`."""
    return json.dumps([_fields(a) for a in actions], ensure_ascii=False, separators=(",", ":"))


def _unescape(prompt: str) -> str:
    return prompt.replace("{instruction}", "\0").replace("{{", "{").replace("}}", "}").replace("\0", "{instruction}")


def _fields(action: Action) -> dict[str, str]:
    return {"id": action.id.removeprefix(PREFIX[action.origin]), "label": action.label.fr, "label_en": action.label.en,
            "tooltip": action.tooltip.fr, "tooltip_en": action.tooltip.en, "prompt": _unescape(action.prompt.fr),
            "prompt_en": _unescape(action.prompt.en), "reads": action.reads, "apply": action.placement,
            "instruction": action.instruction}  # fmt: skip


def actions_from_settings(settings: object) -> tuple[Action, ...]:
    """IT's actions (``policy_actions``), then the user's (``personal_actions``) when
    ``allow_personal_actions``; settings that cannot be read add nothing (validation reports them)."""
    found: list[Action] = []
    sources: list[tuple[str, Origin]] = [("policy_actions", "policy")]
    if getattr(settings, "allow_personal_actions", False):
        sources.append(("personal_actions", "personal"))
    for name, origin in sources:
        text = getattr(settings, name, "")
        if isinstance(text, str) and text.strip():
            try:
                found += parse_actions(text, name, origin)
            except SettingsError:
                continue
    builtin = {a.id for a in BUILTIN}
    return tuple(a for a in found if a.id not in builtin)


def settings_problems(settings: object) -> list[str]:
    """What is wrong with the actions in these settings, for Settings.validate."""
    problems: list[str] = []
    for name, origin in (("policy_actions", "policy"), ("personal_actions", "personal")):
        text = getattr(settings, name, "")
        if isinstance(text, str) and text.strip():
            try:
                parse_actions(text, name, cast(Origin, origin))
            except SettingsError as error:
                problems += error.problems
    return problems
