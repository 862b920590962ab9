"""Describe-page inputs: seeded once per revision, committed as a whole scenario, errors by field.

Inputs live under keys `in<revision>:<field path>`; every change re-validates the whole scenario
from them (`commit`), and only a scenario that validates replaces the one in force. Problems are
kept by field path so each widget can show its own.
"""

from __future__ import annotations

import math
import re

import streamlit as st

from dashboard import state
from estimators.errors import EstimatorError
from estimators.scenario import (
    ScenarioError,
    integer_fields,
    nullable_fields,
    parse_scenario,
    set_field,
)
from estimators.tokens import prompt_tokens

_FIELD_IN_MESSAGE = re.compile(r"^((?:[a-z_]+)(?:\.[A-Za-z0-9_]+)+): (.+)$", re.DOTALL)


def input_key(path: str) -> str:
    """The session-state key of the input for a scenario field at this revision."""
    return f"{state.input_prefix()}{path}"


def editor_key(name: str) -> str:
    """A key for a table editor's own edit state: outside the `in` prefix, never committed."""
    return f"ed{state.revision()}:{name}"


def seed(path: str, value: object) -> str:
    """Initialise an input once per revision; returns its key (the widget's `key=`)."""
    key = input_key(path)
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def commit() -> None:
    """Widget callback: rebuild the scenario from every input; keep it only if it validates."""
    data = state.current().model_dump(mode="json")
    prefix = state.input_prefix()
    fractions = []
    for key in list(st.session_state):
        if str(key).startswith(prefix):
            path = str(key)[len(prefix) :]
            value, problem = _whole_number(path, st.session_state[key])
            set_field(data, path, value)
            fractions += problem
    problems = [(path, "enter a number") for path in _empty_numbers(data)] + fractions
    try:
        if problems:
            raise ScenarioError(problems)
        counted = _count_system_prompt(data)
        scenario = parse_scenario(data)
    except ScenarioError as error:
        st.session_state[state.ERRORS_KEY] = errors_by_field(error.problems)
        return
    except EstimatorError as error:
        st.session_state[state.ERRORS_KEY] = {"traffic.system_prompt": str(error)}
        return
    state.put(scenario)
    st.session_state[state.ERRORS_KEY] = {}
    if counted is not None:
        st.session_state[input_key("traffic.system_prompt_tokens")] = float(counted)


def _empty_numbers(data: dict[str, object], parent: str = "") -> list[str]:
    """Fields whose input was cleared: None where the scenario needs a number."""
    empty = []
    for name, value in data.items():
        path = f"{parent}{name}"
        if isinstance(value, dict) and name != "assumptions":
            empty += _empty_numbers(value, f"{path}.")
        elif value is None and path not in nullable_fields() and path != "traffic.system_prompt":
            empty.append(path)
    return empty


def _whole_number(path: str, value: object) -> tuple[object, list[tuple[str, str]]]:
    """Whole-number fields come from float widgets (see `fields.number`): 3.0 becomes 3, and a
    fraction is refused by its field rather than rounded behind the reader's back."""
    if path not in integer_fields() or not isinstance(value, float) or not math.isfinite(value):
        return value, []
    if value.is_integer():
        return int(value), []
    return value, [(path, f"enter a whole number (got {value:g})")]


def _count_system_prompt(data: dict[str, object]) -> int | None:
    """Prompt text in the scenario sets its token count (the general model's tokenizer)."""
    traffic = data["traffic"]
    assert isinstance(traffic, dict)
    text = traffic.get("system_prompt")
    if not isinstance(text, str) or not text.strip():
        traffic["system_prompt"] = None
        return None
    models = data["models"]
    assert isinstance(models, dict)
    counted = prompt_tokens(str(text), str(models["general"]))
    traffic["system_prompt_tokens"] = counted
    return counted


def errors() -> dict[str, str]:
    """Problems of inputs not applied, by field path ('' for the scenario as a whole)."""
    return st.session_state.get(state.ERRORS_KEY, {})


def errors_by_field(problems: list[tuple[str, str]]) -> dict[str, str]:
    """Map (path, message) problems to input fields: list indices dropped, and a field named at
    the start of a whole-scenario message (the engine's cross-field checks) taken as its path."""
    found: dict[str, str] = {}
    for path, message in problems:
        if not path:
            match = _FIELD_IN_MESSAGE.match(message)
            if match:
                path, message = match.group(1), match.group(2)
        field = ".".join(part for part in path.split(".") if not part.isdigit())
        found[field] = f"{found[field]}; {message}" if field in found else message
    return found
