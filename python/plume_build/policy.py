"""``build.py policy``: the settings IT pins for every workstation, written as a LibreOffice
configuration layer (:func:`plume_build.config.policy_layer`). The values are checked with
the same rules as the Options page before anything is written."""

from __future__ import annotations

import argparse
from typing import Any
from urllib.parse import urlsplit

from plume.actions.custom import dump_actions, parse_actions
from plume.actions.model import Action
from plume.destination import destination_of
from plume.errors import SettingsError
from plume.settings import CHOICES, SETTING_FIELDS, Settings, base_url_problem

from .config import not_xml, policy_layer

OLLAMA_PORT = 11434
MAX_ACTIONS_FILE = 1024**2  # far more than 50 actions of 4000 characters


class PolicyError(Exception):
    """What is wrong with the command line or the files it names: one line per problem."""

    def __init__(self, *problems: str) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def policy_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py policy", description=description)
    parser.add_argument("--endpoint", metavar="URL", help="the model server every workstation uses (setting base_url)")
    parser.add_argument(
        "--backend", choices=CHOICES["backend"], help="its protocol (default: ollama on port 11434, openai otherwise)"
    )
    parser.add_argument("--model", metavar="NAME", help="the model to use (setting model)")
    parser.add_argument("--operator-name", metavar="NAME", help="the operator's name shown to users")
    parser.add_argument(
        "--approve",
        action="append",
        default=[],
        metavar="HOST",
        help="an approved operator's host (repeatable); the endpoint's host is added",
    )
    parser.add_argument(
        "--local-policy", choices=CHOICES["local_policy"], help="personal data sent to a model on the workstation"
    )
    parser.add_argument(
        "--operator-policy", choices=CHOICES["operator_policy"], help="personal data sent to an approved operator"
    )
    parser.add_argument("--mark-ai-output", choices=("on", "off"), help="the visible comment on applied AI text")
    parser.add_argument("--ca-bundle", metavar="PEM", help="the internal certificate authorities' file, on the workstations")
    parser.add_argument("--language-packages-dir", metavar="DIR", help="the shared folder of language packages")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="any other setting (repeatable; see docs/admin.en.md)"
    )
    parser.add_argument(
        "--lock",
        action="append",
        default=[],
        metavar="NAMES",
        help="settings users cannot change: 'all' (every value this policy sets) or names, comma-separated (repeatable)",
    )
    parser.add_argument(
        "--actions",
        metavar="FILE",
        help="actions every user gets (TOML or JSON, see docs/examples/actions.toml); always locked, added to the Plume menu",
    )
    parser.add_argument("-o", "--output", default="plume-policy.xcd", help="the file to write (default plume-policy.xcd)")
    return parser


def policy_values(args: argparse.Namespace) -> dict[str, Any]:
    """{setting: value} from the command line, in the settings' own order."""
    values: dict[str, Any] = {}
    if args.endpoint is not None:
        problem = base_url_problem(args.endpoint)  # before reading its port or host, which may raise
        if problem:
            raise PolicyError(problem)
        values["base_url"] = args.endpoint
        values["backend"] = args.backend or ("ollama" if urlsplit(args.endpoint).port == OLLAMA_PORT else "openai")
    elif args.backend:
        values["backend"] = args.backend
    for name in ("model", "operator_name", "local_policy", "operator_policy", "ca_bundle", "language_packages_dir"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    if args.mark_ai_output is not None:
        values["mark_ai_output"] = args.mark_ai_output == "on"
    approved = [h.strip().lower() for item in args.approve for h in item.split(",") if h.strip()]
    if args.endpoint:
        host = urlsplit(args.endpoint).hostname or ""
        if destination_of(Settings(base_url=args.endpoint)).kind != "local" and host not in approved:
            approved.append(host)  # the endpoint IT pins is, by definition, an approved operator
    if approved:
        values["approved_hosts"] = ",".join(approved)
    fields = {f.name: f for f in SETTING_FIELDS}
    for item in args.set:
        if item.partition("=")[0].strip() == "policy_actions":
            raise PolicyError("--set policy_actions: give the actions' file with --actions FILE")
        name, sep, raw = item.partition("=")
        if not sep or name.strip() not in fields:
            raise PolicyError(f"--set {item!r}: expected NAME=VALUE with a setting's name ({', '.join(fields)})")
        values[name.strip()] = raw
    # ca_bundle names a file on the workstations, not necessarily on the machine writing the policy.
    try:
        checked = Settings.from_mapping({k: v for k, v in values.items() if k != "ca_bundle"}).validate()
    except SettingsError as error:
        raise PolicyError(*error.problems) from None
    plain = bool(args.endpoint) and urlsplit(args.endpoint).scheme == "http" and destination_of(checked).kind != "local"
    if plain and not checked.allow_plain_http:
        # Workstations would refuse it: plain http leaves only when IT says so.
        raise PolicyError(
            f"--endpoint {args.endpoint}: plain http to an operator is refused by Plume; use https, "
            "or add --set allow_plain_http=true"
        )
    order = [f.name for f in SETTING_FIELDS]
    return {name: values[name] if name == "ca_bundle" else getattr(checked, name) for name in sorted(values, key=order.index)}


def locked_names(args: argparse.Namespace, values: dict[str, Any]) -> set[str]:
    names = {n.strip() for item in args.lock for n in item.split(",") if n.strip()}
    if "all" in names:
        return set(values)
    missing = names - set(values)
    if missing:
        raise PolicyError(f"--lock {', '.join(sorted(missing))}: this policy does not set them (give a value first)")
    return names


def read_actions(path: str) -> tuple[Action, ...]:
    """IT's actions from ``path``, checked as the workstations will check them."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_ACTIONS_FILE + 1)
    except OSError as error:
        raise PolicyError(f"--actions {path}: cannot read it ({error.strerror or error})") from None
    if len(raw) > MAX_ACTIONS_FILE:
        raise PolicyError(f"--actions {path}: larger than {MAX_ACTIONS_FILE // 1024} KB, not a file of actions")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PolicyError(f"--actions {path}: not UTF-8 text (byte {error.start})") from None
    try:
        return parse_actions(text, path, "policy")
    except SettingsError as error:
        raise PolicyError(*error.problems) from None


def build_policy(args: argparse.Namespace) -> tuple[str, str]:
    """The layer's text and a summary for the administrator (one line per setting, one per action)."""
    actions = read_actions(args.actions) if args.actions is not None else ()
    values = policy_values(args)
    if args.actions is not None:
        values["policy_actions"] = dump_actions(actions)
    if not values:
        raise PolicyError("nothing to write: give --endpoint, --model, --actions or another setting")
    if not_xml(values):
        raise PolicyError(*not_xml(values))
    locked = locked_names(args, values)
    if "policy_actions" in values:
        locked.add("policy_actions")  # IT's actions are IT's: users never change them
    shown = {
        name: f"{len(actions)} action(s), listed below" if name == "policy_actions" else repr(v) for name, v in values.items()
    }
    lines = [
        f"  {name} = {shown[name]}{'  (locked)' if name in locked else '  (default, users may change it)'}"
        for name, value in values.items()
    ]
    lines += [
        f"  action {a.id}: {a.label.fr!r} / {a.label('en')!r}, reads {a.reads}, result {a.placement}, "
        f"instruction {a.instruction}; in the Plume menu"
        for a in actions
    ]
    if not locked:
        lines.append("  nothing is locked: add --lock all to stop users changing these values")
    return policy_layer(values, locked, actions), "\n".join(lines)
