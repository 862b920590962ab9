"""Describe: the scenario's inputs in groups, with the comparison at a glance above them."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, inputs, prices, state
from dashboard.format import md
from dashboard.widgets import (
    assumptions,
    data,
    fine_tuning,
    knowledge_base,
    models,
    task,
    team,
    traffic,
)
from estimators.assumptions import defaults
from estimators.ids import short_name
from report.format import months, usd_compact

# Problems no single input owns: shown above the inputs.
_WHOLE_SCENARIO = ("", "schema_version", "mitigations_in_place")
ADVANCED_KEY = "describe.advanced"

scenario = state.current()
result = cached.results_or_stop(state.current_json(), prices.in_force())

st.title("Describe your feature")
st.caption(
    "Each change applies as soon as the scenario validates; until then the last valid scenario "
    "stays in force and the problem is shown next to the field."
)

recommended = result.recommendation.approach
columns = st.columns(len(result.approaches))
for column, approach in zip(columns, result.approaches, strict=True):
    label = f"{short_name(approach.id)}{' ★' if approach.id == recommended else ''}"
    column.metric(
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

for path, message in inputs.errors().items():
    if path in _WHOLE_SCENARIO:
        st.error(f"Not applied: {md(message)}", icon=":material/warning:")

left, right = st.columns(2, gap="large")
with left:
    task.show(scenario)
    traffic.show(scenario)
    team.show(scenario)
with right:
    data.show(scenario)
    knowledge_base.show(scenario)
    models.show(scenario)
    fine_tuning.show(scenario)

# The grid is drawn when opened (issue 17): it was a fifth of every Describe rerun. A rejected
# assumption edit opens it, so its message stays in view.
if any(path.startswith("assumptions") for path in inputs.errors()):
    st.session_state[ADVANCED_KEY] = True
advanced = st.expander(
    f"Advanced assumptions — {len(defaults())} cited defaults",
    key=ADVANCED_KEY,
    on_change="rerun",
)
with advanced:
    if advanced.open:
        assumptions.show(scenario)
