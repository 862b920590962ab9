"""Advanced assumptions: every default a formula uses, with its range and source, editable.

The table shows the values in force; an edited value becomes an override in
`scenario.assumptions` (set back to the default, it stops being one). Reset drops all overrides.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import inputs, state
from dashboard.format import md
from dashboard.widgets.input_groups import Group
from estimators.assumptions import defaults
from estimators.presets import presets
from estimators.scenario import Scenario

_COLUMNS = {
    "id": st.column_config.TextColumn("Assumption", width="medium"),
    "value": st.column_config.NumberColumn("Value in force", width=120),
    "changed": st.column_config.CheckboxColumn("Set here", width="small"),
    "default": st.column_config.NumberColumn("Default", width="small"),
    "range": st.column_config.TextColumn("Low – high", width="small"),
    "unit": st.column_config.TextColumn("Unit", width="small"),
    "source": st.column_config.TextColumn("Source", width="large"),
    "note": st.column_config.TextColumn("What it does", width="large"),
}


def _set_by(scenario: Scenario) -> dict[str, str]:
    """Who set each override: the example the scenario came from, or the user."""
    preset_id = state.preset_id_in_force()
    shipped = presets()[preset_id].scenario.assumptions if preset_id else {}
    title = presets()[preset_id].title if preset_id else ""
    return {
        key: f"Set by the example “{title}”" if shipped.get(key) == value else "Set by you"
        for key, value in scenario.assumptions.items()
    }


def _table(scenario: Scenario) -> pd.DataFrame:
    rows = []
    set_by = _set_by(scenario)
    for key, entry in defaults().items():
        overridden = key in scenario.assumptions
        rows.append(
            {
                "id": key,
                "value": scenario.assumptions.get(key, entry.value),
                "changed": overridden,
                "default": entry.value,
                "range": f"{entry.low:g} – {entry.high:g}",
                "unit": entry.unit,
                "source": set_by[key] if overridden else entry.source,
                "note": entry.note,
            }
        )
    return pd.DataFrame(rows)


# Bumped when an edit is rejected: a fresh editor then shows the values really in force, and the
# rejected edit no longer rides along with every later one.
_GENERATION_KEY = "assumptions.editor_generation"


def _editor_key() -> str:
    return inputs.editor_key(f"assumptions.{st.session_state.get(_GENERATION_KEY, 0)}")


def _init(scenario: Scenario) -> None:
    """A freshly drawn editor starts from the overrides in force, with no pending edits."""
    if _editor_key() not in st.session_state:
        st.session_state[inputs.input_key("assumptions")] = dict(scenario.assumptions)


def _edited() -> None:
    """Editor callback: turn the cell edits into overrides, then validate the whole scenario."""
    ids = list(defaults())
    edits = st.session_state[_editor_key()].get("edited_rows", {})
    overrides = dict(state.current().assumptions)
    for row, change in edits.items():
        if "value" not in change:
            continue
        key, value = ids[int(row)], change["value"]
        if value is None or float(value) == defaults()[key].value:
            overrides.pop(key, None)
        else:
            overrides[key] = float(value)
    st.session_state[inputs.input_key("assumptions")] = overrides
    inputs.commit()
    if any(path.startswith("assumptions") for path in inputs.errors()):
        st.session_state[_GENERATION_KEY] = st.session_state.get(_GENERATION_KEY, 0) + 1


def _reset() -> None:
    state.update({"assumptions": {}}, new_origin=state.origin())
    state.notify("success", "All assumptions are back to their cited defaults.")


def show(scenario: Scenario) -> None:
    """The assumptions editor and its reset."""
    _init(scenario)
    st.caption(
        "Every number a formula uses that is neither your input nor a catalogue price. Edit a "
        "value to override it for this scenario; the source column then says so."
    )
    st.data_editor(
        _table(scenario),
        key=_editor_key(),
        column_config=_COLUMNS,
        disabled=[c for c in _COLUMNS if c != "value"],
        hide_index=True,
        height=420,
        width="stretch",
        on_change=_edited,
    )
    problems = {
        path: message for path, message in inputs.errors().items() if path.startswith("assumptions")
    }
    for path, message in problems.items():
        name = path.removeprefix("assumptions").lstrip(".") or "assumptions"
        st.error(
            f"Not applied — {md(name)}: {md(message)}. The last valid values stay in force.",
            icon=":material/warning:",
        )
    overridden = len(scenario.assumptions)
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(
        f"{overridden} of {len(defaults())} assumptions set in this scenario."
        if overridden
        else f"All {len(defaults())} assumptions at their defaults."
    )
    right.button(
        "Reset to defaults",
        icon=":material/restart_alt:",
        on_click=_reset,
        disabled=not overridden,
        width="stretch",
    )


GROUP = Group(
    "assumptions",
    f"Advanced assumptions — {len(defaults())} cited defaults",
    ":material/tune:",
    ("assumptions",),
    show,
)
