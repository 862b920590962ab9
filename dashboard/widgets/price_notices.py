"""How old the prices behind this scenario are, and which of its models are being retired.

Stale prices are the first complaint users of price tools raise: past `STALE_AFTER_DAYS` the
token prices get a visible notice with the way to refresh them; a model with a shutdown date gets
the closest current model named. Selection and wording only; the dates come from the catalogue.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.format import md
from estimators.catalog import STALE_AFTER_DAYS, price_age, retirement_notices
from estimators.scenario import Scenario

_ROLES = ("general", "small", "large", "embedding")


def show(scenario: Scenario, today: date | None = None) -> None:
    """Notices for stale token prices and retiring models; a caption for fine-tuning prices."""
    on = today or date.today()
    ids = [getattr(scenario.models, role) for role in _ROLES]
    age = price_age(ids, on)
    if age.days_since_oldest > STALE_AFTER_DAYS:
        st.warning(
            f"Some prices are {age.days_since_oldest:,} days old ({md(age.oldest_model)}, as of "
            f"{age.oldest_as_of}). Refresh the catalogue with `make prices` (it reads the newest "
            "LiteLLM price list from the package index) before relying on these totals.",
            icon=":material/schedule:",
        )
    for notice in retirement_notices(ids, on):
        st.info(md(notice.message), icon=":material/event_busy:")
    if age.oldest_fine_tuning_as_of and (age.days_since_oldest_fine_tuning or 0) > STALE_AFTER_DAYS:
        st.caption(
            f"Token prices as of {age.newest_as_of}; fine-tuning training prices as of "
            f"{age.oldest_fine_tuning_as_of} (from the providers' pricing pages, which no price "
            "list carries: check them before signing off)."
        )
