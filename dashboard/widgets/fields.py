"""One input per scenario field: seeded from the scenario in force, committed on change, and its
own validation message shown right under it.

Every helper takes the field's dotted path (`traffic.queries_per_day`), which is also the
session-state key suffix (see `dashboard.inputs.input_key`) and the path validation errors name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from dashboard import inputs, state
from dashboard.format import md
from estimators.scenario import integer_fields


def value_at(path: str) -> Any:
    """The scenario-in-force value of a dotted path (the stored JSON is the model's JSON dump)."""
    node: Any = json.loads(state.current_json())
    head, _, rest = path.partition(".")
    if head == "assumptions":
        return node["assumptions"].get(rest)
    for part in path.split("."):
        node = node[part]
    return node


def show_error(path: str) -> None:
    """The message for a field whose input was not applied, if any."""
    message = inputs.errors().get(path)
    if message:
        st.error(
            f"Not applied: {md(message)}. The last valid value stays in force.",
            icon=":material/warning:",
        )


def number(
    path: str,
    label: str,
    *,
    help: str,
    min_value: float,
    max_value: float,
    step: float,
    placeholder: str | None = None,
    format: str | None = None,
) -> float | None:
    """A number input; a field whose value is None shows empty.

    The widget itself is unbounded: a browser-side bound turns an out-of-range entry into a red
    box the server never hears of. Every value reaches validation instead, which says next to the
    field why it was not applied; the bounds are stated in the help.
    The widget is a float one even for whole-number fields: the browser reads an integer input
    with parseInt, so "1e15" typed became 1 without a word. `inputs.commit` turns whole floats
    back into ints and refuses a fraction by the field.
    """
    raw = value_at(path)
    integer = path in integer_fields()
    key = inputs.seed(path, None if raw is None else float(raw))
    value = st.number_input(
        label,
        step=float(step),
        key=key,
        help=f"{help} Allowed: {_bound(min_value)} to {_bound(max_value)}.",
        placeholder=placeholder,
        format=format or ("%.0f" if integer else None),
        on_change=inputs.commit,
    )
    show_error(path)
    return value


def _bound(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def choice(
    path: str,
    label: str,
    options: Sequence[str | None],
    *,
    help: str,
    format_func: Callable[[Any], str] = str,
    control: str = "selectbox",
    disabled: bool = False,
) -> str:
    """One option of a fixed list: a selectbox, or a segmented control for two or three.

    A loaded scenario may name an id the list lacks (e.g. a GPU from another catalogue): it is
    offered too, so the file still loads and the engine says what is wrong with it.
    """
    current = value_at(path)
    options = list(options) if current in options else [*options, current]
    key = inputs.seed(path, current)
    if control == "segmented":
        value = st.segmented_control(
            label,
            list(options),
            key=key,
            help=help,
            format_func=format_func,
            required=True,
            disabled=disabled,
            on_change=inputs.commit,
            wrap=True,
        )
    else:
        value = st.selectbox(
            label,
            list(options),
            key=key,
            help=help,
            format_func=format_func,
            disabled=disabled,
            on_change=inputs.commit,
        )
    show_error(path)
    return str(value)


def many(
    path: str,
    label: str,
    options: Sequence[str],
    *,
    help: str,
    format_func: Callable[[str], str] = str,
) -> list[str]:
    """Any subset of a fixed list, as pills."""
    key = inputs.seed(path, list(value_at(path)))
    value = st.pills(
        label,
        list(options),
        selection_mode="multi",
        key=key,
        help=help,
        format_func=format_func,
        on_change=inputs.commit,
        width="stretch",
        wrap=True,  # directly in a column they would scroll sideways and hide options
    )
    show_error(path)
    return list(value or [])


def flag(path: str, label: str, *, help: str) -> bool:
    key = inputs.seed(path, bool(value_at(path)))
    value = st.toggle(label, key=key, help=help, on_change=inputs.commit)
    show_error(path)
    return bool(value)


def text(
    path: str,
    label: str,
    *,
    help: str,
    max_chars: int,
    height: int = 100,
    placeholder: str = "",
) -> str:
    raw = value_at(path)
    key = inputs.seed(path, raw or "")
    value = st.text_area(
        label,
        key=key,
        help=help,
        max_chars=max_chars,
        height=height,
        placeholder=placeholder,
        on_change=inputs.commit,
    )
    show_error(path)
    return str(value or "")


def line(path: str, label: str, *, help: str, max_chars: int) -> str:
    key = inputs.seed(path, value_at(path) or "")
    value = st.text_input(label, key=key, help=help, max_chars=max_chars, on_change=inputs.commit)
    show_error(path)
    return str(value or "")
