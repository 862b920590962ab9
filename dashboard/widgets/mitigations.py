"""Risk checklist controls: which approach to read the levels for, and the mitigation ticks.

A tick is stored in `scenario.mitigations_in_place` (a list of risk ids), so it travels with the
scenario into share links, files and the PDF.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from estimators.decision.risks import Risk
from estimators.ids import APPROACH_IDS, Level, short_name

FOCUS_KEY = "risks.focus"
ALL = "all"
_LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}


def _focus_label(option: str) -> str:
    return "Any approach (highest level)" if option == ALL else short_name(option)


def focus_picker(recommended: str | None = None) -> str:
    """'all' (each risk at its highest level), or one approach id to read the levels for.

    Opens on the recommended approach: the risks a reader is about to take on come first.
    """
    if FOCUS_KEY not in st.session_state:
        st.session_state[FOCUS_KEY] = recommended or ALL
    return str(
        st.segmented_control(
            "Levels if you take",
            [ALL, *APPROACH_IDS],
            key=FOCUS_KEY,
            format_func=_focus_label,
            required=True,
            help="A risk's level depends on the approach taken: pick one to see only the risks "
            "that apply to it, at its level.",
        )
    )


def applies(risk: Risk, focus: str) -> bool:
    return focus == ALL or focus in risk.applies_to


def level_for(risk: Risk, focus: str) -> Level:
    if focus == ALL:
        return risk.level
    return risk.level_by_approach.get(focus, "low")  # type: ignore[call-overload]


def ordered(risks: list[Risk], focus: str) -> list[Risk]:
    """The risks that apply to the focused approach, highest level first."""
    return sorted(
        (r for r in risks if applies(r, focus)), key=lambda r: _LEVEL_ORDER[level_for(r, focus)]
    )


def _key(risk_id: str) -> str:
    # The revision in the key re-seeds the ticks when a new scenario is loaded.
    return f"risk{state.revision()}:{risk_id}"


def _toggled(risk_id: str) -> None:
    ticked = set(state.current().mitigations_in_place)
    if st.session_state[_key(risk_id)]:
        ticked.add(risk_id)
    else:
        ticked.discard(risk_id)
    state.update({"mitigations_in_place": sorted(ticked)})


def tick(risk_id: str, in_place: list[str]) -> bool:
    """A checkbox for one risk's mitigation; returns whether it is ticked."""
    key = _key(risk_id)
    if key not in st.session_state:
        st.session_state[key] = risk_id in in_place
    return bool(
        st.checkbox(
            "Mitigation in place",
            key=key,
            on_change=_toggled,
            args=(risk_id,),
            help="Saved in the scenario (mitigations_in_place) and shown in the exports.",
        )
    )
