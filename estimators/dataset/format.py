"""The cookbook's format checks for one parsed line of chat fine-tuning JSONL.

Error names follow OpenAI's data-preparation cookbook (see `estimators.dataset.check`);
message-level errors count once per message. Recognised beyond the cookbook (current OpenAI chat
format): role `tool`, keys `tool_calls` and `tool_call_id`; an assistant message carrying
`tool_calls` or `function_call` may have null content.
"""

from __future__ import annotations

import json

ROLES = frozenset({"system", "user", "assistant", "function", "tool"})
MESSAGE_KEYS = frozenset(
    {"role", "content", "name", "function_call", "weight", "tool_calls", "tool_call_id"}
)


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
            shown = json.dumps(role, ensure_ascii=False)[:40]
            allowed = ", ".join(sorted(ROLES))
            problems.add(
                "unrecognized_role", f"message {position} has role {shown} (expected {allowed})"
            )
        if not content_ok and not (content is None and calls):
            problems.add("missing_content", f"message {position} has empty or non-text content")
        has_assistant = has_assistant or role == "assistant"
    if not has_assistant:
        problems.add("example_missing_assistant_message", "no message has role 'assistant'")
    return problems if problems.names else None


def text_of(value: object) -> str:
    """A message value as the text that is tokenised: strings as they are, tool calls as JSON."""
    if type(value) is str:
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def has_calls(message: dict[str, object]) -> bool:
    return bool(message.get("tool_calls") or message.get("function_call"))
