"""The actions one user can run: Plume's own, then IT's (the locked policy layer), then the
user's personal ones when IT allows them. Looked up by id or by an earlier URL (alias)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import UnsupportedError
from .builtin import BUILTIN
from .model import Action


class Registry:
    def __init__(self, actions: Iterable[Action]) -> None:
        self._actions: dict[str, Action] = {}
        self._aliases: dict[str, str] = {}
        for action in actions:
            if action.id in self._actions:
                raise ValueError(f"action {action.id!r} is declared twice")
            self._actions[action.id] = action
            for alias in action.aliases:
                self._aliases[alias] = action.id

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions.values())

    def __len__(self) -> int:
        return len(self._actions)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.find(name) is not None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._actions)

    @property
    def styles(self) -> tuple[str, ...]:
        """The styles the earlier URL ``rewrite?style=...`` names."""
        return tuple(alias.removeprefix("rewrite?style=") for alias in self._aliases if alias.startswith("rewrite?style="))

    def find(self, name: str, style: str = "") -> Action | None:
        """The action ``name`` names: an id, or an alias ("rewrite" with ``style`` "formal")."""
        if name in self._actions:
            return self._actions[name]
        key = f"{name}?style={style}" if style else name
        found = self._aliases.get(key)
        return self._actions[found] if found else None

    def get(self, name: str, style: str = "") -> Action:
        action = self.find(name, style)
        if action is None:
            if name == "rewrite":
                raise UnsupportedError(f"rewrite needs a style among {', '.join(self.styles)}, not {style!r}")
            raise UnsupportedError(f"unknown action {name!r}; known: {', '.join(self._actions)}")
        return action

    def in_group(self, group: str) -> tuple[Action, ...]:
        return tuple(a for a in self._actions.values() if a.group == group)


BUILTINS = Registry(BUILTIN)


def registry_for(settings: object) -> Registry:
    """Every action these settings give the user: the built-in ones, then those the policy
    layer declares, then the user's own if ``allow_personal_actions`` (see :mod:`.custom`)."""
    from .custom import actions_from_settings

    extra = actions_from_settings(settings)
    return Registry((*BUILTIN, *extra)) if extra else BUILTINS
