"""Where this scenario's prices come from, how old they are, and which of its models retire.

Stale prices are the first complaint users of price tools raise: past `STALE_AFTER_DAYS` the
token prices get a visible notice with the way to refresh them; a model with a shutdown date gets
the closest current model named. Prices from an uploaded LiteLLM file are said to be so, with the
file's name and date. Selection and wording only; the dates come from the catalogue in force.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import cached
from dashboard.format import md
from dashboard.prices import UploadedPrices
from estimators.catalog import STALE_AFTER_DAYS, price_age, retirement_notices
from estimators.scenario import Scenario

_ROLES = ("general", "small", "large", "embedding")
WHERE_TO_UPLOAD = "**Prices** in the sidebar"


def _from_file(ids: list[str], uploaded: UploadedPrices) -> str:
    """'Token prices from prices.json (as of …) for gpt-4.1 and …; the rest …'."""
    dated = (
        "the date in its name"
        if uploaded.dated_by_name
        else "the day it was uploaded: LiteLLM files carry no date"
    )
    used = [model_id for model_id in dict.fromkeys(ids) if model_id in uploaded.repriced]
    which = (
        f"for {', '.join(md(model_id) for model_id in used)}"
        if used
        else "for none of this scenario's models"
    )
    kept = len(dict.fromkeys(ids)) - len(used)
    rest = f"; the other {kept} from the built-in catalogue" if kept else ""
    return (
        f"Token prices from the uploaded file {md(uploaded.file_name)} (as of {uploaded.as_of}, "
        f"{dated}) {which}{rest}. Back to the built-in prices: {WHERE_TO_UPLOAD}."
    )


def show(
    scenario: Scenario, today: date | None = None, uploaded: UploadedPrices | None = None
) -> None:
    """Notices for uploaded and stale token prices and retiring models; a caption for
    fine-tuning prices. `uploaded`: the session's price file, None for the bundled catalogue."""
    on = today or date.today()
    ids = [getattr(scenario.models, role) for role in _ROLES]
    table = cached.price_table(uploaded)
    age = price_age(ids, on, table)
    if uploaded is not None:
        st.info(_from_file(ids, uploaded), icon=":material/upload_file:")
    if age.days_since_oldest > STALE_AFTER_DAYS:
        refresh = (
            f"Load a newer LiteLLM price file under {WHERE_TO_UPLOAD}"
            if uploaded is not None
            else "Refresh the catalogue with `make prices` (it reads the newest LiteLLM price "
            f"list from the package index), or load a LiteLLM price file under {WHERE_TO_UPLOAD},"
        )
        st.warning(
            f"Some prices are {age.days_since_oldest:,} days old ({md(age.oldest_model)}, as of "
            f"{age.oldest_as_of}). {refresh} before relying on these totals.",
            icon=":material/schedule:",
        )
    for notice in retirement_notices(ids, on, table, scenario.provider_fine_tuned_models):
        st.info(md(notice.message), icon=":material/event_busy:")
    if age.oldest_fine_tuning_as_of and (age.days_since_oldest_fine_tuning or 0) > STALE_AFTER_DAYS:
        st.caption(
            f"Token prices as of {age.newest_as_of}; fine-tuning training prices as of "
            f"{age.oldest_fine_tuning_as_of} (from the providers' pricing pages, which no price "
            "list carries: check them before signing off)."
        )
