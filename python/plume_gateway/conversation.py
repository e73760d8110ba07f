"""One conversation through the door: its request pseudonymised, its answer restored.

The service keeps nothing between requests. Collabora Online sends the whole conversation
with every round (its system prompt, the user's messages, the assistant's earlier answers and
tool calls, the tools' results), so the mapping is rebuilt from each request: the messages are
protected in order with a fresh mapping, and the same conversation prefix gives the same
placeholders every round. Earlier answers and tool-call arguments hold values Plume restored
itself: they are protected as restored answers (``glued``), the way a refinement is.

JSON inside strings (tool-call arguments, a tool's result) is protected and restored on its
decoded string leaves, then written back with ``json.dumps``: a value is found whatever escapes
the text used, and a restored value is escaped as JSON needs (quotes, newlines). Tool-call
arguments of a streamed answer are held until the call is complete and sent in one piece, as
Mistral sends them anyway (CollaboraOnline/online#15997): a placeholder cut across chunks, or
written with JSON escapes, is restored whole.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from plume.egress.door import Door
from plume.shield.detect import detect
from plume.shield.plain import plain_form
from plume.shield.pseudonym import PLACEHOLDER, Pseudonymiser, StreamRestorer, string_leaves

# The fields of a chat request that reach the upstream; any other is dropped (a field the
# door does not know could carry text past the pseudonymisation).
CHAT_FIELDS = frozenset({
    "model", "messages", "tools", "tool_choice", "parallel_tool_calls", "stream", "stream_options", "temperature",
    "top_p", "max_tokens", "max_completion_tokens", "stop", "seed", "response_format", "presence_penalty",
    "frequency_penalty", "n",
})  # fmt: skip
_MESSAGE_FIELDS = frozenset({"role", "content", "tool_calls", "tool_call_id"})
_NAMED_ROLES = frozenset({"tool", "function"})  # their "name" is a function's; a user's "name" is a person's
_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
_TEXT_FIELDS = ("content", "reasoning_content")  # what an answer's delta or message carries as text


class Unprotectable(ValueError):
    """A part of the request the door cannot check (an image under a pseudonymising policy)."""


def protect_request(door: Door, body: dict[str, Any]) -> dict[str, Any]:
    """The chat request as it may leave: known fields only, every text protected, the answer's
    length bounded by ``max_output_tokens`` (Collabora sets none: a model would write up to its
    window, and the door bounds a reply by that setting anyway)."""
    out = {k: v for k, v in body.items() if k in CHAT_FIELDS}
    limit = door.settings.max_output_tokens
    for name in ("max_tokens", "max_completion_tokens"):
        asked = out.get(name)
        if name == "max_tokens" or asked is not None:
            out[name] = asked if isinstance(asked, int) and not isinstance(asked, bool) and 0 < asked <= limit else limit
    messages = body.get("messages")
    if not isinstance(messages, list):
        raise Unprotectable("messages must be a list")
    out["messages"] = [_protect_message(door, m) for m in messages]
    if door.mapping is not None:
        # The upstream reads the other fields too (tools' descriptions, stop strings, a
        # response schema): their texts leave protected like the messages', after them, so
        # a value of the conversation repeated there gets its placeholder.
        for name, value in out.items():
            if name not in ("model", "messages") and not isinstance(value, (bool, int, float)) and value is not None:
                out[name] = _map_leaves(value, door.protect) if _remarkable(door, value) else value
    return out


def _remarkable(door: Door, value: Any) -> bool:
    """Whether a field other than the messages has anything to protect. These are the same
    every round (a client's tool descriptions): the detectors' verdict on each text is kept,
    and one look for the conversation's values covers them all."""
    leaves = string_leaves(value)
    if not all(map(_unremarkable, leaves)):
        return True
    return door.mapping is not None and bool(door.mapping.leaks("\n".join(leaves)))


@functools.lru_cache(maxsize=4096)
def _unremarkable(text: str) -> bool:
    """``text`` is in its plain form, the detectors find nothing in it, it holds no placeholder."""
    return plain_form(text) == text and not detect(text) and PLACEHOLDER.search(text) is None


def _protect_message(door: Door, message: Any) -> dict[str, Any]:
    if not isinstance(message, dict):
        raise Unprotectable("every message must be an object")
    out = {k: v for k, v in message.items() if k in _MESSAGE_FIELDS}
    if message.get("role") in _NAMED_ROLES and isinstance(message.get("name"), str):
        out["name"] = message["name"]
    if door.mapping is not None:
        # A role is one of a few words; a tool's name and a call's id are the client's text.
        if message.get("role") not in _ROLES:
            raise Unprotectable("a message's role must be system, developer, user, assistant or tool")
        for name in ("name", "tool_call_id"):
            if name in out:
                out[name] = _map_leaves(out[name], door.protect)
    answer = message.get("role") == "assistant"  # holds values restored by an earlier round
    content = message.get("content")
    if isinstance(content, str):
        out["content"] = (
            protect_json_text(door, content, answer) if message.get("role") == "tool" else _text(door, content, answer)
        )
    elif isinstance(content, list):
        out["content"] = [_protect_part(door, part, answer) for part in content]
    elif content is not None:
        raise Unprotectable("a message's content must be text")
    calls = message.get("tool_calls")
    if calls is not None:
        if not isinstance(calls, list):
            raise Unprotectable("tool_calls must be a list")
        out["tool_calls"] = [_protect_call(door, call) for call in calls]
    return out


def _protect_part(door: Door, part: Any, answer: bool) -> Any:
    if isinstance(part, dict) and part.get("type") == "text" and isinstance(part.get("text"), str):
        if door.mapping is None:
            return part
        return {"type": "text", "text": _text(door, part["text"], answer)}  # nothing beside the text
    if door.mapping is None:
        return part  # the policy sends as is: nothing to check
    raise Unprotectable("only text parts can be sent under this policy (images cannot be pseudonymised)")


def _protect_call(door: Door, call: Any) -> Any:
    """A tool call as it may leave: its arguments protected as JSON text (or, sent as an
    object, on their leaves), every other text of the call (id, name, a field of another
    shape of call) protected too."""
    if door.mapping is None:
        return call
    if not isinstance(call, dict):
        raise Unprotectable("every tool call must be an object")
    function = call.get("function")
    arguments = function.get("arguments") if isinstance(function, dict) else None
    out = _map_leaves({k: v for k, v in call.items() if k != "function"}, lambda leaf: door.protect(leaf, glued=True))
    if isinstance(function, dict):
        rest = {k: v for k, v in function.items() if k != "arguments"}
        out["function"] = _map_leaves(rest, lambda leaf: door.protect(leaf, glued=True))
        if isinstance(arguments, str):
            out["function"]["arguments"] = protect_json_text(door, arguments, True)
        elif "arguments" in function:
            out["function"]["arguments"] = _map_leaves(arguments, lambda leaf: protect_json_text(door, leaf, True), keys=True)
    elif function is not None:
        out["function"] = _map_leaves(function, lambda leaf: door.protect(leaf, glued=True))
    return out


def _text(door: Door, text: str, answer: bool) -> str:
    return door.protect(text, glued=answer)


def protect_json_text(door: Door, text: str, answer: bool) -> str:
    """``text`` protected on its decoded string leaves when it is a JSON object or array,
    else as text."""
    if door.mapping is None:
        return text
    document = _json_document(text)
    if document is None:
        return _text(door, text, answer)
    # A leaf may itself be JSON text (Collabora's "transform" argument): read it the same way.
    # Its keys too: a table read by a tool may have a person's name as a key.
    return json.dumps(_map_leaves(document, lambda leaf: protect_json_text(door, leaf, answer), keys=True), ensure_ascii=False)


def restore_json_text(mapping: Pseudonymiser, text: str) -> str:
    """Tool-call arguments with the values back, JSON-escaped as JSON needs; text that is no
    JSON is restored as text."""
    document = _json_document(text)
    if document is None:
        return mapping.restore(text)
    return json.dumps(_map_leaves(document, lambda leaf: restore_json_text(mapping, leaf), keys=True), ensure_ascii=False)


def _json_document(text: str) -> Any:
    stripped = text.lstrip()
    if not stripped or stripped[0] not in "{[":
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _map_leaves(document: Any, change: Callable[[str], str], keys: bool = False) -> Any:
    """``document`` with ``change`` applied to its strings (``keys``: its objects' keys too)."""
    if isinstance(document, str):
        return change(document)
    if isinstance(document, dict):
        return {
            (change(key) if keys and isinstance(key, str) else key): _map_leaves(value, change, keys)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [_map_leaves(item, change, keys) for item in document]
    return document


def restore_message(mapping: Pseudonymiser, completion: dict[str, Any]) -> int:
    """A whole (not streamed) completion restored in place; the characters of its answer."""
    chars = 0
    for choice in _listed(completion, "choices"):
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        for name in _TEXT_FIELDS:
            if isinstance(message.get(name), str):
                message[name] = mapping.restore(message[name])
                chars += len(message[name])
        for call in _listed(message, "tool_calls"):
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                function["arguments"] = restore_json_text(mapping, function["arguments"])
                chars += len(function["arguments"])
    return chars


def _listed(item: dict[str, Any], name: str) -> list[Any]:
    """``item[name]`` as the list an answer holds there (none: empty); anything else makes the
    answer malformed (a :class:`ValueError`, which the client gets as such)."""
    value = item.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"the answer's {name} is no list")
    return value


def answer_chars(completion: dict[str, Any]) -> int:
    """The characters of a completion's answer (text and tool-call arguments)."""
    chars = 0
    for choice in _listed(completion, "choices"):
        message = choice.get("message") if isinstance(choice, dict) else None
        if isinstance(message, dict):
            chars += sum(len(message[n]) for n in _TEXT_FIELDS if isinstance(message.get(n), str))
            for call in _listed(message, "tool_calls"):
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    chars += len(function["arguments"])
    return chars


class _Choice:
    """What one streamed choice holds back: the tail of its text that may be a placeholder's
    start, and its tool calls' arguments until the calls are complete."""

    def __init__(self, mapping: Pseudonymiser) -> None:
        self.text = {name: StreamRestorer(mapping) for name in _TEXT_FIELDS}
        self.arguments: dict[int, list[str]] = {}

    def flushed(self, mapping: Pseudonymiser) -> dict[str, Any]:
        """The delta that releases what is held back (empty when nothing is)."""
        delta: dict[str, Any] = self.text_tail()
        if self.arguments:
            delta["tool_calls"] = [
                {"index": index, "function": {"arguments": restore_json_text(mapping, "".join(parts))}}
                for index, parts in sorted(self.arguments.items())
            ]
            self.arguments = {}
        return delta

    def text_tail(self) -> dict[str, str]:
        tails = {name: restorer.finish() for name, restorer in self.text.items()}
        return {name: tail for name, tail in tails.items() if tail}


class StreamRestoring:
    """Restores a streamed completion chunk by chunk (the decoded JSON of each SSE event)."""

    def __init__(self, mapping: Pseudonymiser) -> None:
        self.mapping = mapping
        self._choices: dict[int, _Choice] = {}
        self.chars = 0
        self._last: dict[str, Any] = {}  # the last chunk seen: its id and model frame a closing chunk

    def chunk(self, chunk: dict[str, Any]) -> list[dict[str, Any]]:
        """The chunks to send for ``chunk``: usually itself restored; one more before it when a
        choice ends and held-back text or tool-call arguments must go first."""
        self._last = chunk
        out: list[dict[str, Any]] = []
        for choice in _listed(chunk, "choices"):
            if not isinstance(choice, dict):
                continue
            index = choice.get("index", 0) if isinstance(choice.get("index", 0), int) else 0
            state = self._choices.setdefault(index, _Choice(self.mapping))
            delta = choice.get("delta")
            if isinstance(delta, dict):
                self._restore_delta(state, delta)
            if choice.get("finish_reason"):
                # The held-back text ends this chunk's own text; complete tool calls go before it.
                tail = state.text_tail()
                if tail:
                    delta = choice["delta"] = delta if isinstance(delta, dict) else {}
                    for name, text in tail.items():
                        delta[name] = (delta.get(name) or "") + text
                held = state.flushed(self.mapping)
                if held:
                    out.append(self._frame(chunk, index, held))
        out.append(chunk)
        return out

    def _restore_delta(self, state: _Choice, delta: dict[str, Any]) -> None:
        for name, restorer in state.text.items():
            if isinstance(delta.get(name), str):
                delta[name] = restorer.feed(delta[name])
                self.chars += len(delta[name])
        calls = delta.get("tool_calls")
        if isinstance(calls, list):
            for position, call in enumerate(calls):
                if not isinstance(call, dict):
                    continue
                index = call.get("index", position) if isinstance(call.get("index", position), int) else position
                function = call.get("function")
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    state.arguments.setdefault(index, []).append(function["arguments"])
                    self.chars += len(function["arguments"])
                    function["arguments"] = ""

    def finish(self) -> list[dict[str, Any]]:
        """What is still held back when the stream ends without a finish_reason."""
        out = []
        for index, state in self._choices.items():
            held = state.flushed(self.mapping)
            if held:
                out.append(self._frame(self._last, index, held))
        return out

    @staticmethod
    def _frame(like: dict[str, Any], index: int, delta: dict[str, Any]) -> dict[str, Any]:
        frame: dict[str, Any] = {k: like[k] for k in ("id", "object", "created", "model") if k in like}
        frame["choices"] = [{"index": index, "delta": delta, "finish_reason": None}]
        return frame
