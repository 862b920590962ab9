"""Export: the scenario as JSON, the results as CSV and JSON, and the PDF summary."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, prices, state
from dashboard.format import md
from estimators.scenario import scenario_to_json
from report.cli import estimate_csv
from report.format import file_stem

scenario = state.current()
scenario_json = state.current_json()
uploaded = prices.in_force()
result = cached.results_or_stop(scenario_json, uploaded, ranges=True)
stem = file_stem(scenario.name)

st.title("Export")
from_file = f", token prices from {md(uploaded.file_name)} where it lists them" if uploaded else ""
st.caption(
    f"{md(scenario.name)}: everything below is built from the scenario in force, with prices "
    f"as of {result.prices_as_of}{from_file}."
)

left, right = st.columns(2, gap="large")
with left, st.container(border=True):
    st.subheader("Scenario", anchor=False)
    st.caption(
        "The inputs as a versioned JSON file. Load it back from the sidebar, or run it with "
        "`python -m estimators estimate FILE.json`."
    )
    st.download_button(
        "Download scenario JSON",
        scenario_to_json(scenario),
        file_name=f"{stem}.scenario.json",
        mime="application/json",
        icon=":material/data_object:",
        on_click="ignore",
        width="stretch",
    )
with right, st.container(border=True):
    st.subheader("Results", anchor=False)
    st.caption(
        "One row per approach (setup, per query, upkeep, total, verdict), or everything the "
        "engine computed, line items and assumptions included, as JSON."
    )
    st.download_button(
        "Download results CSV",
        estimate_csv(result),
        file_name=f"{stem}.results.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
        width="stretch",
    )

    def _results_json() -> str:
        # Built on click, cached per scenario and prices (dashboard/cached.py), like the PDF.
        return cached.results_json_for(scenario_json, uploaded)

    st.download_button(
        "Download full results JSON",
        _results_json,
        file_name=f"{stem}.results.json",
        mime="application/json",
        icon=":material/data_object:",
        on_click="ignore",
        width="stretch",
    )

with st.container(border=True):
    st.subheader("PDF summary", anchor=False)
    st.caption(
        "The recommendation, the cost table, the charts, the risk checklist and every assumption "
        "with its source, for whoever signs off. Built when you click (about a second)."
    )

    def _pdf() -> bytes:
        # Runs only on click, on its own thread; cached per scenario and prices (cached.py).
        return cached.pdf_for(scenario_json, uploaded)

    st.download_button(
        "Download PDF summary",
        _pdf,
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        type="primary",
    )

with st.expander("Preview the scenario JSON"):
    st.code(scenario_to_json(scenario), language="json")
