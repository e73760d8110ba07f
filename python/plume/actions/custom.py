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
# A file of MAX_ACTIONS actions of MAX_PROMPT characters is far smaller: a larger text is
# not read (the settings are read at every run).
MAX_TEXT = 1024**2
# Shown in menus, the sidebar and the terminal, written into the policy layer's XML: no
# control character (XML 1.0 forbids most), no invisible or direction-changing one (U+202E
# makes a label read as another), no surrogate or noncharacter (no encoding writes them).
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
                     "\ufeff\ufff9-\ufffb\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")  # fmt: skip
# A prompt may hold lines and tabs.
_HIDDEN_IN_PROMPT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# Passages come from a retriever for a question: Plume's own "ask" only.
_DECLARABLE_READS = tuple(r for r in READS if r != "passages")
FIELDS = ("id", "label", "label_en", "tooltip", "tooltip_en", "prompt", "prompt_en", "reads", "apply", "instruction")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def parse_actions(text: str, source: str, origin: Origin) -> tuple[Action, ...]:
    """The actions of a TOML or JSON text; raises SettingsError naming every problem."""
    data: Any
    start = text.lstrip()[:2]
    # JSON starts with { or [ (the settings' own form); TOML with [[action]] or a comment.
    looks_json = start[:1] == "{" or (start[:1] == "[" and start != "[[")
    if len(text) > MAX_TEXT:
        raise SettingsError([f"{source}: longer than {MAX_TEXT // 1024} K characters, not a list of actions"])
    try:
        data = json.loads(text) if looks_json else _toml(text)
    except RecursionError:  # "[[[[...": both parsers recurse once per level
        raise SettingsError([f"{source}: nested too deeply, not a list of actions"]) from None
    except (ValueError, TypeError) as error:  # tomllib.TOMLDecodeError and JSONDecodeError are ValueErrors
        if not looks_json:
            raise SettingsError([f"{source}: not readable TOML ({error})"]) from None
        try:
            data = _toml(text)  # "[action]": a TOML table, reported below as not a list
        except (ValueError, RecursionError):
            raise SettingsError([f"{source}: not readable JSON ({error})"]) from None
    items = data.get("action", data.get("actions")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise SettingsError([f"{source}: expected a list of actions: [[action]] tables in TOML, a JSON list"])
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
        raw_id = item.get("id")
        if isinstance(raw_id, str) and ID.match(raw_id.strip()):
            if raw_id.strip() in seen:  # also when the action has other problems: all are listed at once
                problems.append(f"{where}: id {raw_id.strip()!r} is used twice")
            seen.add(raw_id.strip())
        if action is not None:
            actions.append(action)
    if problems:
        raise SettingsError(problems)
    return tuple(actions)


def _action(item: Mapping[str, Any], where: str, origin: Origin) -> tuple[Action | None, list[str]]:
    problems = [f"{where}: unknown field {name!r} (known: {', '.join(FIELDS)})" for name in item if name not in FIELDS]
    mistyped = {name for name, value in item.items() if name in FIELDS and not isinstance(value, str)}
    problems += [f"{where}: {name} must be a text (in quotes)" for name in FIELDS if name in mistyped]
    # The other fields are still checked, so that one run lists every problem of the action.
    values = {name: value.strip() for name, value in item.items() if name in FIELDS and isinstance(value, str)}
    raw_id = values.get("id", "")
    if "id" not in mistyped and not ID.match(raw_id):
        problems.append(f"{where}: id must be 1 to 40 lowercase letters, digits or '-', not {raw_id!r}")
    for name, limit in (("label", MAX_LABEL), ("label_en", MAX_LABEL), ("prompt", MAX_PROMPT), ("prompt_en", MAX_PROMPT)):
        if len(values.get(name, "")) > limit:
            problems.append(f"{where}: {name} is longer than {limit} characters")
    for name, value in values.items():
        hidden = (_HIDDEN_IN_PROMPT if name.startswith("prompt") else _HIDDEN).search(value)
        if hidden:
            problems.append(f"{where}: {name} holds an invisible or control character (U+{ord(hidden.group()):04X})")
    for name in ("label", "prompt"):
        if not values.get(name) and name not in mistyped:
            problems.append(f"{where}: {name} is required")
    reads = values.get("reads", "selection")
    if reads not in _DECLARABLE_READS:
        problems.append(f"{where}: reads must be one of {', '.join(_DECLARABLE_READS)}, not {reads!r}")
    apply = values.get("apply", "after" if reads in ("nothing", "letter", "document") else "replace")
    if apply not in PLACEMENTS:
        problems.append(f"{where}: apply must be one of {', '.join(PLACEMENTS)}, not {apply!r}")
    needs = values.get("instruction", "required" if reads == "nothing" else "none")
    if needs not in INSTRUCTIONS:
        problems.append(f"{where}: instruction must be one of {', '.join(INSTRUCTIONS)}, not {needs!r}")
    elif reads == "nothing" and needs != "required":
        problems.append(f'{where}: an action that reads nothing needs instruction = "required"')
    for name in ("prompt", "prompt_en"):
        for placeholder in _PLACEHOLDER.findall(values.get(name, "")):
            if placeholder != "instruction":
                problems.append(f"{where}: {name} may only contain {{instruction}}, not {{{placeholder}}}")
    if needs in ("optional", "required") and values.get("prompt") and "{instruction}" not in values["prompt"]:
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
    """The prompt as written: the inverse of :func:`_escape`."""
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
