"""Describe: the scenario's inputs in groups, with the comparison at a glance above them."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, inputs, prices, state
from dashboard.format import md
from dashboard.widgets import groups, input_groups
from estimators.ids import short_name
from report.format import months, usd_compact

scenario = state.current()
result = cached.results_or_stop(state.current_json(), prices.in_force())

st.title("Describe your feature")
st.caption(
    "Each change applies as soon as the scenario validates; until then the last valid scenario "
    "stays in force and the problem is shown next to the field. Open a group to change its "
    "inputs; a closed group keeps its values."
)

recommended = result.recommendation.approach
# A wrapping row, not columns: on a phone columns stack one tile a row, and the six tiles pushed
# the inputs a whole screen down; here they wrap two or three to a row.
tiles = st.container(horizontal=True, wrap=True, gap="small")
for approach in result.approaches:
    label = f"{short_name(approach.id)}{' ★' if approach.id == recommended else ''}"
    tiles.metric(
        label,
        usd_compact(approach.total_usd) if approach.available else "n/a",
        help=(
            f"Total over {months(scenario.horizon_months)}: setup, usage and upkeep."
            if approach.available
            else approach.unavailable_reason
        ),
        border=True,
    )
st.caption(
    f"Totals over {months(scenario.horizon_months)}. ★ recommended: "
    f"{md(result.recommendation.headline)}."
)
st.page_link(
    "dashboard/views/compare.py",
    label="See the full comparison, charts and every formula",
    icon=":material/arrow_forward:",
)

# Problems no input owns (the scenario as a whole, or a field set only in a file): above them.
for path, message in inputs.errors().items():
    if not any(group.owns(path) for group in groups.GROUPS):
        st.error(f"Not applied: {md(message)}", icon=":material/warning:")

left, right = st.columns(2, gap="medium")
with left:
    for group in groups.LEFT:
        input_groups.draw(group, scenario, inputs.errors())
with right:
    for group in groups.RIGHT:
        input_groups.draw(group, scenario, inputs.errors())
for group in groups.BELOW:
    input_groups.draw(group, scenario, inputs.errors())
