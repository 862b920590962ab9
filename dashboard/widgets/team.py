"""Team and horizon: what an hour costs, how far ahead to look, how often base models change."""

from __future__ import annotations

import streamlit as st

from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.scenario import Scenario


def show(scenario: Scenario) -> None:
    """Inputs for the team rate, horizon and base-model updates."""
    first, second, third = st.columns(3, vertical_alignment="bottom")
    with first:
        fields.number(
            "team.hourly_rate_usd",
            "Team rate (USD/hour)",
            help="Loaded cost of an engineer-hour; turns setup and upkeep hours into money.",
            min_value=0,
            max_value=10_000,
            step=10,
            format="%.0f",
        )
    with second:
        fields.number(
            "horizon_months",
            "Horizon (months)",
            help="How far ahead totals and break-even are computed.",
            min_value=1,
            max_value=120,
            step=1,
        )
    with third:
        fields.number(
            "base_model_updates_per_year",
            "Base-model updates per year",
            help="New base-model versions you will move to. A fine-tune does not carry over: "
            "each move means retraining.",
            min_value=0,
            max_value=365,
            step=1,
            format="%.1f",
        )


GROUP = Group(
    "team",
    "Team and horizon",
    ":material/groups:",
    ("team", "horizon_months", "base_model_updates_per_year"),
    show,
)
