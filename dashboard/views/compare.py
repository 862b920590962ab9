"""Compare: the recommendation, every approach's costs side by side, the charts, and why.

Size: The landing page: headline, table, charts, ranges and explain panels in reading order; a
follow-up should move the explain panels into a widget.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cached, prices, state
from dashboard.format import headline_break_even, inputs_text, md, number, rival_of, table
from dashboard.widgets import price_notices, selfhost, tornado_picker
from estimators.decision.recommend import SOURCE
from estimators.ids import VERDICT_LABELS, short_name
from estimators.lineitems import LineItem
from estimators.results import ApproachResult, MixResult
from report.format import count, duration_ms, months, ordinal, probability, usd, usd_compact
from report.plain import plain
from report.sentences import flips_sentence, likely_below_middle

SPEED_KEY = "compare.speed"
RANGES_KEY = "compare.ranges"

scenario = state.current()
uploaded = prices.in_force()
result = cached.results_or_stop(state.current_json(), uploaded, ranges=True)
horizon = months(scenario.horizon_months)
recommendation = result.recommendation

st.title("Compare approaches")
st.caption(
    f"{md(scenario.name)} · {count(scenario.traffic.queries_per_day)} queries/day, growing "
    f"{scenario.traffic.monthly_growth_pct:g}% a month · {horizon} · prices as of "
    f"{result.prices_as_of}"
)

price_notices.show(scenario, uploaded=uploaded)

# --- headline ---------------------------------------------------------------------------------
rec_result = result.approach(recommendation.approach) if recommendation.approach else None
cheapest = result.approach(result.cheapest) if result.cheapest else None
first, second, third, fourth = st.columns(4)
first.metric(
    "Recommended",
    short_name(recommendation.approach),
    help=plain(" ".join(recommendation.reasons)) or None,
    border=True,
)
second.metric(
    f"Its total over {horizon}",
    usd_compact(rec_result.total_usd if rec_result else None),
    delta=(
        f"{usd(recommendation.extra_cost_usd)} more than the cheapest"
        if recommendation.extra_cost_usd
        else None
    ),
    delta_color="inverse",
    delta_arrow="off",
    border=True,
)
shares = result.p_cheapest or {}
most_often = max(shares, key=shares.__getitem__) if shares else None
third.metric(
    f"Cheapest over {horizon}",
    short_name(result.cheapest),
    delta=usd(cheapest.total_usd) if cheapest else None,
    delta_color="off",
    delta_arrow="off",
    help=(
        f"At likely values {short_name(result.cheapest)} is cheapest, but across the ranges "
        f"{short_name(most_often)} is cheapest more often ({probability(shares[most_often])} "
        "of draws): the two are close, so treat the order as uncertain."
        if most_often and most_often != result.cheapest
        else f"Cheapest at likely values and in {probability(shares[most_often])} of the draws."
        if most_often
        else None
    ),
    border=True,
)
focus_id = recommendation.approach or result.cheapest
rival_id = rival_of(result.approaches, focus_id)
break_even_value, break_even_sentence = headline_break_even(result.break_even, focus_id, rival_id)
fourth.metric(
    f"Break-even vs {short_name(rival_id)}" if rival_id else "Break-even",
    break_even_value,
    help=break_even_sentence,
    border=True,
)
st.info(
    f"**{md(recommendation.headline)}.** {md(break_even_sentence)}", icon=":material/lightbulb:"
)
with st.expander("Why this recommendation"):
    st.markdown("\n".join(f"- {md(plain(reason))}" for reason in recommendation.reasons))
    st.caption(f"Decision framework: {md(SOURCE)} — fit first, cost second.")

# --- the table ------------------------------------------------------------------------------
st.subheader("Costs per approach", anchor=False)


def _latency(approach: ApproachResult) -> str:
    latency = approach.latency
    if latency is None:
        return "—"
    text = f"{duration_ms(latency.p50_ms)} / {duration_ms(latency.p95_ms)}"
    return f"{text} ⚠ over budget" if latency.over_budget_ms else text


def _row(approach: ApproachResult) -> dict[str, str]:
    name = f"{approach.name} ★" if approach.id == recommendation.approach else approach.name
    spread = approach.range
    return {
        # Total first: on a phone the table scrolls sideways and the first columns are what shows.
        "Approach": name,
        f"Total, {horizon}": usd(approach.total_usd),
        "P10–P90": f"{usd(spread.p10)} – {usd(spread.p90)}" if spread else "—",
        "Verdict": VERDICT_LABELS.get(approach.verdict, approach.verdict),
        "Setup": usd(approach.setup_usd),
        "Per query": usd(approach.per_query_usd),
        f"Usage, {horizon}": usd(approach.usage_usd),
        "Upkeep / month": usd(approach.maintenance_usd_per_month),
        "Chance cheapest": probability(approach.p_cheapest),
        "Latency p50 / p95": _latency(approach),
        "Ships in · undo": f"{approach.time_to_ship} · {'yes' if approach.reversible else 'no'}",
    }


_SHIPS = ("hours", "days", "weeks")


def _mix_row(mix: MixResult) -> dict[str, str]:
    """The traffic split as one more row: ranked beside the approaches, not one of them."""
    parts = [result.approach(p.id) for p in mix.parts]
    spread, latency = mix.range, mix.latency
    return {
        "Approach": mix.name,
        f"Total, {horizon}": usd(mix.total_usd),
        "P10–P90": f"{usd(spread.p10)} – {usd(spread.p90)}" if spread else "—",
        "Verdict": f"Mix: {ordinal(mix.rank)} of {mix.rank_of} by total" if mix.rank else "—",
        "Setup": usd(mix.setup_usd),
        "Per query": usd(mix.per_query_usd),
        f"Usage, {horizon}": usd(mix.usage_usd),
        "Upkeep / month": usd(mix.maintenance_usd_per_month),
        "Chance cheapest": "—",
        "Latency p50 / p95": (
            f"{duration_ms(latency.p50_ms)} / {duration_ms(latency.p95_ms)} (weighted)"
            if latency
            else "—"
        ),
        "Ships in · undo": f"{max((a.time_to_ship for a in parts), key=_SHIPS.index)} · "
        f"{'yes' if all(a.reversible for a in parts) else 'no'}",
    }


# A static Markdown table: seven rows at most need no sorting, and it spares the landing page
# pandas and the table renderer's code (dashboard.format.table).
rows = [_row(a) for a in result.approaches]
if result.mix is not None:
    rows.append(_mix_row(result.mix))
st.markdown(table(rows))
st.caption(
    "Setup is one-off; per query is the usage cost of one request; usage is every query over "
    "the horizon, never less than a self-hosted always-on floor in any month; upkeep is "
    "maintenance and retraining per month. Total = setup + usage + upkeep × months, every "
    "assumption at its likely value. ★ recommended."
    + (
        " The mix row splits the traffic as set on Describe: every part is built and kept "
        "running, each query costs the share-weighted sum of its parts', and its latency is the "
        "share-weighted mean of theirs (not a percentile of the mixed traffic)."
        if result.mix is not None
        else ""
    )
)
if result.mix is not None and not result.mix.available:
    st.warning(
        f"**{result.mix.name}** cannot run: {md(result.mix.unavailable_reason)}",
        icon=":material/block:",
    )
for approach in (a for a in result.approaches if not a.available):
    st.warning(
        f"**{approach.name}** cannot run: {md(approach.unavailable_reason)}",
        icon=":material/block:",
    )
for approach in result.approaches:
    latency = approach.latency
    if latency is not None and latency.over_budget_ms:
        fixes = "; ".join(md(fix) for fix in latency.fixes[:2])
        helps = f"What would help: {fixes}" if fixes else ""
        st.warning(
            f"**{approach.name}** misses the {duration_ms(latency.budget_ms)} p95 budget by "
            f"{duration_ms(latency.over_budget_ms)}. {helps}",
            icon=":material/timer:",
        )
selfhost.show(result)

# --- charts ---------------------------------------------------------------------------------
# Heights are explicit: under Streamlit's chart theme a chart is fitted into its height, title and
# legend included, so the builders' plot heights alone would leave the plots squashed.
available = [a for a in result.approaches if a.available]
if not available:
    st.info("No approach can run with these models, so there is nothing to chart.")
    st.stop()
specs = cached.chart_specs(state.current_json(), uploaded)
bars_height = 170 + 36 * len(available)
st.vega_lite_chart(specs["cumulative"], width="stretch", height=460)
left, right = st.columns([3, 2], gap="large")
with left:
    st.vega_lite_chart(specs["composition"], width="stretch", height=bars_height)
with right:
    st.vega_lite_chart(specs["per_1k"], width="stretch", height=bars_height)

# --- how fast -------------------------------------------------------------------------------
# The charts below the cost charts are drawn when their panel opens (issue 17): rendering them
# was a share of every visit's load, the browser's cached revisit above all.
timed = [a for a in result.approaches if a.latency is not None]
if timed:
    st.subheader("How fast is each answer?", anchor=False)
    st.caption(
        "Median (p50) time of one answer, split by where it goes; the table's p95 multiplies it "
        "by the spread between requests. Each step's formula and source is in the JSON export "
        "(`latency.items`)."
    )
    speed = st.expander("Time per answer, step by step", key=SPEED_KEY, on_change="rerun")
    with speed:
        if speed.open:
            st.vega_lite_chart(specs["latency"], width="stretch", height=150 + 30 * len(timed))

# --- how sure -------------------------------------------------------------------------------
st.subheader("How sure is this?", anchor=False)
uncertainty = result.uncertainty
if uncertainty is not None:
    st.caption(
        f"{uncertainty.draws:,} draws of every default assumption from its low–high range (and "
        "of the price levels); values you set yourself stay fixed. P10 and P90 bound the middle "
        "80% of outcomes."
    )
    note = likely_below_middle(result)
    if note:
        st.caption(md(note))
    st.markdown(md(flips_sentence(result)))
    ranges = st.expander(
        "Chance of being the cheapest, and what moves each total", key=RANGES_KEY, on_change="rerun"
    )
    with ranges:
        if ranges.open:
            left, right = st.columns([2, 3], gap="large")
            with left:
                if "p_cheapest" in specs:
                    st.vega_lite_chart(specs["p_cheapest"], width="stretch", height=bars_height)
            with right:
                focus = tornado_picker.show(available, recommendation.approach)
                tornado = cached.tornado_spec(state.current_json(), uploaded, focus)
                if isinstance(tornado, str):
                    st.info(md(tornado))
                else:
                    st.vega_lite_chart(tornado, width="stretch", height=420)

# --- explain ----------------------------------------------------------------------------------
st.subheader("Explain each figure", anchor=False)
st.caption("Every line item with its formula, the inputs it used and the source of each default.")


def _items_table(items: list[LineItem]) -> str:
    return table(
        [
            {
                "Item": item.label,
                "USD": usd(item.usd),
                "Formula": item.formula,
                "Inputs": inputs_text(item.inputs),
                "Sources": "; ".join(f"{k}: {v}" for k, v in item.sources.items()) or "—",
            }
            for item in items
        ]
    )


_SECTIONS = (
    ("setup", "One-off setup", "setup_usd"),
    ("per_query", "Per query", "per_query_usd"),
    ("monthly", "Every month", "maintenance_usd_per_month"),
)

for approach in result.approaches:
    title = f"{approach.name} — " + (
        f"{usd(approach.total_usd)} over {horizon}" if approach.available else "unavailable"
    )
    # Drawn when opened (issue 17): all 19 line-item tables on every visit cost the page's load.
    explained = st.expander(title, key=f"compare.explain.{approach.id}", on_change="rerun")
    with explained:
        if not explained.open:
            continue
        if not approach.available:
            st.warning(md(approach.unavailable_reason))
            continue
        st.markdown(
            f"**Changes:** {md(approach.what_changes)} · **Reversible:** "
            f"{'yes' if approach.reversible else 'no'} · **Ships in:** {approach.time_to_ship}"
        )
        st.markdown(
            f"Total {usd(approach.total_usd)} = setup {usd(approach.setup_usd)} + usage "
            f"{usd(approach.usage_usd)} + upkeep {usd(approach.upkeep_usd)} over {horizon}."
        )
        if approach.reasons:
            verdict = VERDICT_LABELS.get(approach.verdict, approach.verdict)
            st.markdown(f"**{verdict}**, because:")
            st.markdown("\n".join(f"- {md(plain(reason))}" for reason in approach.reasons))
        for section, label, total_field in _SECTIONS:
            items = getattr(approach.line_items, section)
            if not items:
                continue
            st.markdown(f"**{label}: {usd(getattr(approach, total_field))}**")
            st.markdown(_items_table(items))
        if approach.training is not None:
            facts = {
                name.replace("_", " ").capitalize(): number(value)
                for name, value in approach.training.model_dump().items()
                if value not in (None, "", [], {})
            }
            st.markdown("**Training**")
            st.markdown(table([{"Figure": k, "Value": v} for k, v in facts.items()]))

with st.expander("Every break-even point"):
    rows = [
        {
            "Pair": f"{short_name(b.a)} vs {short_name(b.b)}",
            "Over time": (
                f"month {b.month}: {short_name(b.cheaper_after_month)} cheaper from then"
                if b.month is not None
                else "no crossing within the horizon"
            ),
            "Over volume": (
                f"above {b.daily_queries:,.0f} queries/day: "
                f"{short_name(b.cheaper_above_daily_queries)} cheaper"
                if b.daily_queries is not None
                else "no crossing"
            ),
        }
        for b in result.break_even
    ]
    if rows:
        st.markdown(table(rows))
    else:
        st.caption("Fewer than two approaches can run, so nothing can cross.")
