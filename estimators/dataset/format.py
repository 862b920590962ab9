"""The cookbook's format checks for one parsed line of chat fine-tuning JSONL.

Error names follow OpenAI's data-preparation cookbook (see `estimators.dataset.check`);
message-level errors count once per message. Recognised beyond the cookbook (current OpenAI chat
format): role `tool`, keys `tool_calls` and `tool_call_id`; an assistant message carrying
`tool_calls` or `function_call` may have null content. Checked beyond the cookbook, with our own
names: `invalid_weight` (OpenAI takes a `weight` of 0 or 1 only) and `invalid_tool_calls` (not the
shape of a call, or nested deeper than a call ever is).
"""

from __future__ import annotations

import json

from estimators.errors import excerpt

ROLES = frozenset({"system", "user", "assistant", "function", "tool"})
MESSAGE_KEYS = frozenset(
    {"role", "content", "name", "function_call", "weight", "tool_calls", "tool_call_id"}
)
# tool_calls → call → function → name/arguments is three levels; a call's own extensions get a
# little room, a 900-deep structure none (it would also strain the JSON encoder when counted).
MAX_CALL_DEPTH = 6
_CALL_SHAPE = '{"function": {"name": "...", "arguments": "..."}}'


class _Problems:
    """Format errors of one line: cookbook names counted, a readable message per line."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.details: list[str] = []

    def add(self, name: str, detail: str) -> None:
        self.names.append(name)
        self.details.append(f"{name}: {detail}")

    def message(self) -> str:
        return "; ".join(self.details)


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def example_problems(example: object) -> _Problems | None:
    """The cookbook's format checks for one parsed line; None when the example is valid."""
    problems = _Problems()
    if type(example) is not dict:
        problems.add("data_type", f"the line is a JSON {_json_type(example)}, expected an object")
        return problems
    messages = example.get("messages")
    if type(messages) is not list or not messages:
        found = "missing" if messages is None else f"a JSON {_json_type(messages)}"
        if type(messages) is list:
            found = "an empty list"
        problems.add("missing_messages_list", f"'messages' is {found}, expected a non-empty list")
        return problems
    has_assistant = False
    for position, message in enumerate(messages, start=1):
        if type(message) is not dict:
            kind = _json_type(message)
            problems.add("message_data_type", f"message {position} is a JSON {kind}")
            continue
        role = message.get("role")
        content = message.get("content")
        content_ok = type(content) is str and content != ""
        calls = not content_ok and has_calls(message)
        if "role" not in message or ("content" not in message and not calls):
            missing = "role" if "role" not in message else "content"
            problems.add("message_missing_key", f"message {position} has no '{missing}'")
        if not message.keys() <= MESSAGE_KEYS:
            unknown = sorted(str(key) for key in message if key not in MESSAGE_KEYS)
            allowed = ", ".join(sorted(MESSAGE_KEYS))
            problems.add(
                "message_unrecognized_key",
                f"message {position} has key '{unknown[0]}' (allowed: {allowed})",
            )
        if type(role) is not str or role not in ROLES:
            shown = excerpt(json.dumps(role, ensure_ascii=False), 40)
            allowed = ", ".join(sorted(ROLES))
            problems.add(
                "unrecognized_role", f"message {position} has role {shown} (expected {allowed})"
            )
        if not content_ok and not (content is None and calls):
            problems.add("missing_content", f"message {position} has empty or non-text content")
        if "weight" in message and not _is_0_or_1(message["weight"]):
            shown = excerpt(json.dumps(message["weight"], ensure_ascii=False), 40)
            problems.add(
                "invalid_weight", f"message {position} has weight {shown} (expected 0 or 1)"
            )
        call_problem = _call_problem(message)
        if call_problem:
            problems.add("invalid_tool_calls", f"message {position}: {call_problem}")
        has_assistant = has_assistant or role == "assistant"
    if not has_assistant:
        problems.add("example_missing_assistant_message", "no message has role 'assistant'")
    return problems if problems.names else None


def _is_0_or_1(weight: object) -> bool:
    return type(weight) in (int, float) and weight in (0, 1)


def _deeper_than(value: object, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels inside `value` (iterative)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if type(item) is dict:
            item = list(item.values())
        if type(item) is list:
            if depth == limit:
                return True
            stack.extend((child, depth + 1) for child in item)
    return False


def _call_problem(message: dict[object, object]) -> str | None:
    """What is wrong with a message's `tool_calls` or `function_call`, if anything."""
    for key in ("tool_calls", "function_call"):
        value = message.get(key)
        if value is None:
            continue
        if _deeper_than(value, MAX_CALL_DEPTH):
            return f"{key} nests deeper than {MAX_CALL_DEPTH} levels (a call needs 3)"
        if key == "tool_calls":
            calls = value if type(value) is list else [None]
            if not all(type(c) is dict and _is_function(c.get("function")) for c in calls):
                return f"tool_calls: expected a list of {_CALL_SHAPE} objects"
        elif not _is_function(value):
            return f"function_call: expected an object like {_CALL_SHAPE[13:-1]}"
    return None


def _is_function(value: object) -> bool:
    return type(value) is dict and type(value.get("name")) is str


def text_of(value: object) -> str:
    """A message value as the text that is tokenised: strings as they are, tool calls as JSON."""
    if type(value) is str:
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def has_calls(message: dict[str, object]) -> bool:
    return bool(message.get("tool_calls") or message.get("function_call"))
