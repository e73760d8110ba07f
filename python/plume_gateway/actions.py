"""Plume's actions as virtual models: ``plume-<action id>`` in the model list, and a chat
request to one of them becomes the action's own request (its prompt, from
:func:`plume.actions.prompts.build_messages`) to the upstream model the settings name.

The text to work on is the conversation's last user message; an action that reads nothing
(drafting) takes it as its instruction. Actions that need both a text and an instruction, or a
target language, cannot be told both in one message: they are not offered.
"""

from __future__ import annotations

from typing import Any

from plume.actions import registry_for
from plume.actions.model import Action
from plume.actions.prompts import ActionSpec, build_messages
from plume.language import guess_language
from plume.settings import Settings

PREFIX = "plume-"


def offered(settings: Settings) -> dict[str, Action]:
    """The virtual models these settings give, by model name."""
    models: dict[str, Action] = {}
    for action in registry_for(settings):
        if "{language}" in action.prompt.fr:
            continue
        if action.instruction == "required" and action.needs_text:
            continue
        models[PREFIX + action.id] = action
    return models


class ActionRequestError(ValueError):
    """The request cannot run the action (no text): a 400 for the client."""


def action_request(action: Action, settings: Settings, body: dict[str, Any]) -> dict[str, Any]:
    """The upstream request running ``action`` on the request's last user message."""
    text = _last_user_text(body.get("messages"))
    if not text.strip():
        raise ActionRequestError(f"{PREFIX}{action.id} needs a user message with the text to work on")
    if not settings.model:
        raise ActionRequestError("the gateway has no upstream model for Plume's actions (setting model)")
    if action.needs_text:
        spec, source = ActionSpec(action, signature=settings.signature_block), text
    else:
        spec, source = ActionSpec(action, instruction=text, signature=settings.signature_block), ""
    messages = build_messages(spec, source, guess_language(text), settings.max_output_tokens)
    request: dict[str, Any] = {
        "model": settings.model,
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "temperature": settings.temperature,
        "max_tokens": settings.max_output_tokens,
        "stream": bool(body.get("stream")),
    }
    if body.get("stream") and isinstance(body.get("stream_options"), dict):
        request["stream_options"] = body["stream_options"]
    return request


def _last_user_text(messages: Any) -> str:
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "\n".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
            return ""
    return ""
