"""Which approach's tornado the Compare page draws (the recommended one unless picked)."""

from __future__ import annotations

import streamlit as st

from estimators.ids import short_name
from estimators.results import ApproachResult

KEY = "compare.tornado"


def show(available: list[ApproachResult], recommended: str | None) -> str:
    """A segmented control over the approaches that can run; returns the approach id."""
    ids = [a.id for a in available]
    if st.session_state.get(KEY) not in ids:
        st.session_state[KEY] = recommended if recommended in ids else ids[0]
    return str(
        st.segmented_control(
            "What moves the total of",
            ids,
            key=KEY,
            format_func=short_name,
            required=True,
            help="Each bar: the horizon total with one assumption at its low or its high and "
            "every other at its likely value.",
        )
    )
