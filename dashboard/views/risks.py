"""Risks: the failure-mode checklist for this scenario, with ticks for mitigations in place."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, prices, state
from dashboard.format import LEVEL_COLOURS, md
from dashboard.widgets import mitigations
from estimators.ids import short_name
from report.plain import plain

scenario = state.current()
result = cached.results_or_stop(state.current_json(), prices.in_force())
risks = result.risks

st.title("Risks")
st.caption(
    "Named failure modes, each scored from your inputs. A level is the risk *if* that approach "
    "is taken; the drivers name the inputs that raised it. Tick a mitigation once it is in "
    "place: the tick is saved in the scenario and printed in the exports."
)

recommended = result.recommendation.approach
focus = mitigations.focus_picker(recommended)
shown = mitigations.ordered(risks, focus)
if focus == mitigations.ALL:
    st.caption(
        f"Recommended for this scenario: **{short_name(recommended)}** — pick it above to see "
        "only the risks that come with it."
    )

levels = [mitigations.level_for(r, focus) for r in shown]
in_place = sum(1 for r in risks if r.id in scenario.mitigations_in_place)
high, medium, low, ticked = st.columns(4)
high.metric("High", levels.count("high"), border=True)
medium.metric("Medium", levels.count("medium"), border=True)
low.metric("Low", levels.count("low"), border=True)
ticked.metric("Mitigations in place", f"{in_place} of {len(risks)}", border=True)

if not shown:
    st.success(
        f"None of the named failure modes applies to {short_name(focus)} with these inputs.",
        icon=":material/check_circle:",
    )

for risk in shown:
    level = mitigations.level_for(risk, focus)
    with st.container(border=True):
        head, tick = st.columns([4, 1], vertical_alignment="center")
        with head:
            st.markdown(f"#### {md(risk.title)}")
            st.badge(f"{level.capitalize()} risk", color=LEVEL_COLOURS[level])
            st.caption("Applies to: " + ", ".join(short_name(a) for a in risk.applies_to))
        with tick:
            mitigations.tick(risk.id, scenario.mitigations_in_place)
        st.markdown(md(risk.description))
        if risk.drivers:
            st.markdown("**Why this level**")
            st.markdown("\n".join(f"- {md(plain(driver))}" for driver in risk.drivers))
        mitigate, test = st.columns(2)
        with mitigate:
            st.markdown("**Mitigation**")
            st.markdown(md(risk.mitigation))
        with test:
            st.markdown("**How to test for it**")
            st.markdown(md(risk.how_to_test))

others = [r for r in risks if not mitigations.applies(r, focus)]
if others:
    with st.expander(f"{len(others)} more that apply only to other approaches"):
        for risk in others:
            st.markdown(
                f"**{md(risk.title)}** — {risk.level} if you take "
                + ", ".join(short_name(a) for a in risk.applies_to)
            )
