"""The requests Collabora Online's AI assistant sends to an OpenAI-compatible provider, in
their shape (read from CollaboraOnline/online: wsd/AIChatSession.cpp for the chat with tools,
browser/src/control/Control.AIDialogs.ts for the provider dialog and the rewrite dialog). The
prompts here are short stand-ins written for the tests, not Collabora's text.

- the provider dialog (browser): ``GET {base}/v1/models`` with ``Authorization: Bearer KEY``,
  reading ``data[].id``;
- the chat (server side): ``POST {base}/v1/chat/completions`` with ``model``, ``messages`` (its
  own system prompt first, then the user's and assistant's turns, at most 50) and ``tools``
  (OpenAI function tools: name, description, JSON-schema parameters); after a tool call it
  sends the whole conversation again with the assistant's ``tool_calls`` and a ``tool``
  message per call (``tool_call_id``, JSON ``content``). The gateway must also serve it
  streamed (``stream: true``), as OpenAI clients do;
- the rewrite dialog (browser): ``POST {base}/v1/chat/completions``, not streamed, a system
  message and one user message: the instruction, a blank line, a label line, the selected text.
"""

from __future__ import annotations

import json
from typing import Any

SYSTEM_CHAT = (
    "You are the document assistant of an online office suite. Help with the user's document. "
    "You are currently working with a text document. You have tools to inspect and modify the document."
)
SYSTEM_REWRITE = "You rewrite text as instructed. Keep its language. Answer with the rewritten text only."
SELECTION_LABEL = "[Selected text from document:"


def _tool(name: str, description: str, properties: dict[str, tuple[str, str]], required: list[str]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {k: {"type": t, "description": d} for k, (t, d) in properties.items()},
                "required": required,
            },
        },
    }


TOOLS: list[dict[str, Any]] = [
    _tool("generate_image", "Make an image from a description.", {"prompt": ("string", "what to draw")}, ["prompt"]),
    _tool("extract_document_structure", "Read the document's structure.", {"filter": ("string", "a structure type")}, []),
    _tool(
        "transform_document_structure",
        "Change the document with JSON commands.",
        {"transform": ("string", "JSON transformation commands"), "summary": ("string", "what changes, for approval")},
        ["transform"],
    ),
    _tool(
        "set_cell_formula",
        "Set formulas or values in cells.",
        {"cell": ("string", "e.g. A1"), "formula": ("string", "the formula"), "formulas": ("string", "JSON array")},
        [],
    ),
]


def chat(user_text: str, model: str, *, selected: str = "", stream: bool = False) -> dict[str, Any]:
    """The first round of a chat: system prompt, the user's message (with the selection, as
    the sidebar adds it), the tools."""
    content = f"{user_text}\n\n{SELECTION_LABEL}\n{selected}]" if selected else user_text
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": "system", "content": SYSTEM_CHAT}, {"role": "user", "content": content}],
        "tools": TOOLS,
    }
    if stream:
        body["stream"] = True
    return body


def after_tool_call(first: dict[str, Any], call_id: str, name: str, arguments: dict[str, Any], result: Any) -> dict[str, Any]:
    """The next round: the conversation again, with the assistant's tool call (its arguments as
    the model wrote them, values restored by the gateway) and the tool's JSON result."""
    messages = [
        *first["messages"],
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}],
        },
        {"role": "tool", "tool_call_id": call_id, "content": json.dumps(result)},
    ]
    return {**first, "messages": messages}


def rewrite(instruction: str, selected: str, model: str) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [
            {"role": "system", "content": SYSTEM_REWRITE},
            {"role": "user", "content": f"{instruction}\n\nText to rewrite:\n{selected}"},
        ],
    }
