"""Learn: the framework behind the recommendation, this scenario's path through it, a quiz."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, prices, state
from dashboard.format import md, table
from dashboard.widgets import quiz
from estimators.decision.learn import learn_content
from estimators.decision.risks import risk_info
from estimators.ids import PROBLEM_LABELS, RISK_IDS, short_name
from report.plain import plain

TAB_KEY = "learn.tab"

scenario = state.current()
result = cached.results_or_stop(state.current_json(), prices.in_force())
content = learn_content()
problems = set(scenario.task.problems)

st.title("Learn")
st.caption(f"{md(content.title)} — {md(content.source_note)}")


def _path() -> None:
    st.success(
        f"**{md(result.recommendation.headline)}** for “{md(scenario.name)}”.",
        icon=":material/explore:",
    )
    for number, step in enumerate(result.decision_path, start=1):
        with st.container(border=True):
            topic = PROBLEM_LABELS.get(step.problem or "", "Across problems")
            st.caption(f"Step {number} · {topic}")
            st.markdown(f"**{md(plain(step.question))}** {md(plain(step.answer))}")
            outcome = ", ".join(f"**{short_name(a)}**" for a in step.leads_to) or "—"
            st.markdown(f"→ {outcome}" + (f" · {md(step.note)}" if step.note else ""))
            if step.inputs:
                st.caption("Inputs: " + ", ".join(f"`{name}`" for name in step.inputs))
    st.page_link(
        "dashboard/views/describe.py",
        label="Change the inputs on Describe to see another path",
        icon=":material/edit_note:",
    )


def _framework() -> None:
    st.markdown(md(content.intro))
    st.subheader("The decision tree", anchor=False)
    st.caption("Branches your scenario takes (task.problems) are highlighted.")
    for branch in content.decision_tree:
        on_path = branch.problem in problems
        with st.container(border=True):
            head, badge = st.columns([4, 1], vertical_alignment="center")
            head.markdown(f"**{md(branch.symptom)}**")
            with badge:
                if on_path:
                    st.badge("Your scenario", icon=":material/check:", color="green")
                else:
                    st.badge("Not selected", color="gray")
            for number, text in enumerate(branch.steps, start=1):
                st.markdown(f"{number}. {md(text)}")
            st.caption(
                "Leads to "
                + " → ".join(short_name(a) for a in branch.leads_to)
                + f". {md(branch.why)}"
            )

    st.subheader("Six approaches", anchor=False)
    st.markdown(
        table(
            [
                {
                    "Approach": a.name,
                    "What changes": a.what_changes,
                    "Cost": a.cost_level,
                    "Per query (article)": (
                        f"${a.per_query_usd.low:g}–{a.per_query_usd.high:g}"
                        if a.per_query_usd
                        else "—"
                    ),
                    "Ships in": a.time_to_ship,
                    "Reversible": "yes" if a.reversible else "no",
                    "Upkeep": a.maintenance,
                }
                for a in content.approaches
            ]
        )
    )

    wins, loses = st.columns(2, gap="large")
    for column, title, points in (
        (wins, "When fine-tuning wins", content.fine_tuning_wins),
        (loses, "When fine-tuning loses", content.fine_tuning_loses),
    ):
        with column:
            st.subheader(title, anchor=False)
            for point in points:
                cited = ", ".join(
                    f"{content.citation(k).authors} {content.citation(k).year}"
                    for k in point.citations
                )
                st.markdown(f"**{md(point.title)}.** {md(point.detail)}")
                if cited:
                    st.caption(md(cited))
    st.info(f"**{md(content.middle_path.title)}.** {md(content.middle_path.detail)}")

    st.subheader("How much data", anchor=False)
    examples = scenario.data.labelled_examples
    tier = max(
        (t for t in content.data_thresholds if t.min_examples <= examples),
        key=lambda t: t.min_examples,
    )
    st.markdown(
        table(
            [
                {
                    "From": f"{t.min_examples:,} examples",
                    "Tier": t.label,
                    "Meaning": t.meaning,
                    "Your scenario": f"◀ {examples:,} examples" if t is tier else "",
                }
                for t in content.data_thresholds
            ]
        )
    )

    st.subheader("What makes a fine-tune forget", anchor=False)
    st.markdown(
        table(
            [
                {"Factor": f.factor, "Effect": f.effect, "Scenario input": f.scenario_input}
                for f in content.forgetting_factors
            ]
        )
    )

    st.subheader("Failure modes", anchor=False)
    for risk_id in RISK_IDS:
        mode = risk_info(risk_id)
        st.markdown(
            f"**{md(mode.title)}** — {md(mode.description)} *Catch it:* {md(mode.how_to_test)}"
        )
    st.page_link(
        "dashboard/views/risks.py",
        label="See how each one scores for your scenario",
        icon=":material/warning:",
    )
    with st.expander("Studies cited"):
        for citation in content.citations:
            st.markdown(
                f"- **{md(citation.authors)} ({citation.year})**, *{md(citation.title)}* — "
                f"{md(citation.finding)}"
            )


def _quiz() -> None:
    st.caption("Five questions on the framework. Feedback appears as soon as you answer.")
    quiz.show(list(content.questions))


# Only the open tab is drawn (issue 17): the framework's ~90 elements and three tables on every
# visit were most of the page's rerun. Opening another tab reruns the page to draw that one.
tabs = st.tabs(
    ["Your scenario's path", "The framework", "Self-check"], key=TAB_KEY, on_change="rerun"
)
for tab, draw in zip(tabs, (_path, _framework, _quiz), strict=True):
    if tab.open:
        with tab:
            draw()
