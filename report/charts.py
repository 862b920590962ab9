"""Altair chart builders shared by the dashboard and the PDF export.

Pure functions of an Estimate: no Streamlit, no I/O. Each approach keeps one colour everywhere
(`APPROACH_COLOURS`, Okabe–Ito hues that stay distinct for colour-blind readers and in print).
"""

from __future__ import annotations

import json

import altair as alt

from estimators.results import Estimate
from report.format import months
from report.frames import (
    COMPONENTS,
    LATENCY_PARTS,
    available,
    band_frame,
    break_even_frame,
    composition_frame,
    cumulative_frame,
    latency_frame,
    per_1k_frame,
)

APPROACH_COLOURS: dict[str, str] = {
    "prompting": "#0072B2",
    "dspy": "#CC79A7",
    "rag": "#009E73",
    "lora": "#E69F00",
    "full": "#D55E00",
    "rag_lora": "#56B4E9",
}
_FALLBACK_COLOUR = "#7F7F7F"
COMPONENT_COLOURS: dict[str, str] = {"Setup": "#4C566A", "Usage": "#88A0C8", "Upkeep": "#D8B46A"}
_USD = "$,.0f"
_USD_CENTS = "$,.2f"
BAND_OPACITY = 0.15
_CUMULATIVE_TITLE = "Cumulative cost (USD)"
_WIDTH = 520
_HEIGHT = 280


def approach_colour(approach_id: str) -> str:
    """The colour of an approach in every chart (grey for an id the palette does not know)."""
    return APPROACH_COLOURS.get(approach_id, _FALLBACK_COLOUR)


def _approach_scale(estimate: Estimate) -> alt.Scale:
    """Names in the legend, colours keyed by id, order as in the engine."""
    shown = available(estimate)
    return alt.Scale(domain=[a.name for a in shown], range=[approach_colour(a.id) for a in shown])


def _approach_colour(estimate: Estimate) -> alt.Color:
    return alt.Color(
        "approach:N",
        title="Approach",
        scale=_approach_scale(estimate),
        sort=[a.name for a in available(estimate)],
        legend=alt.Legend(orient="bottom", columns=3, labelLimit=240),
    )


def _month_axis(horizon: int) -> alt.X:
    return alt.X(
        "month:Q",
        title="Month",
        scale=alt.Scale(domain=[0, horizon], nice=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )


def _bands(estimate: Estimate) -> alt.Chart:
    """P10–P90 of the cumulative cost per approach: a faint area in the approach's colour."""
    return (
        alt.Chart(band_frame(estimate))
        .mark_area(opacity=BAND_OPACITY, line=False)
        .encode(
            x=_month_axis(estimate.scenario.horizon_months),
            y=alt.Y("p10_usd:Q", title=_CUMULATIVE_TITLE, axis=alt.Axis(format=_USD)),
            y2=alt.Y2("p90_usd:Q", title=_CUMULATIVE_TITLE),
            # The lines' legend names the colours; a faint area swatch would only blur it.
            color=alt.Color("approach:N", scale=_approach_scale(estimate), legend=None),
            tooltip=[
                alt.Tooltip("approach:N", title="Approach"),
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("p10_usd:Q", title="Low, P10 (USD)", format=_USD),
                alt.Tooltip("p50_usd:Q", title="Middle, P50 (USD)", format=_USD),
                alt.Tooltip("p90_usd:Q", title="High, P90 (USD)", format=_USD),
            ],
        )
    )


def cumulative_cost_chart(estimate: Estimate) -> alt.LayerChart:
    """Cumulative cost per available approach over months 0..H, with break-even markers.

    Month 0 is the setup alone; a diamond marks each pair whose order changes within the horizon.
    When the estimate carries an uncertainty analysis, a faint band in each approach's colour
    spans the P10–P90 of its cumulative cost under the line (layers: bands, lines, markers);
    without one the chart is lines and markers only.
    """
    horizon = estimate.scenario.horizon_months
    lines = (
        alt.Chart(cumulative_frame(estimate))
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=_month_axis(horizon),
            y=alt.Y("cumulative_usd:Q", title=_CUMULATIVE_TITLE, axis=alt.Axis(format=_USD)),
            color=_approach_colour(estimate),
            tooltip=[
                alt.Tooltip("approach:N", title="Approach"),
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("cumulative_usd:Q", title="Cumulative (USD)", format=_USD),
            ],
        )
    )
    markers = (
        alt.Chart(break_even_frame(estimate))
        .mark_point(shape="diamond", size=110, filled=True, color="#222222", opacity=0.85)
        .encode(
            x="month_x:Q",
            y="cumulative_usd:Q",
            tooltip=[
                alt.Tooltip("pair:N", title="Break-even"),
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("cheaper_after:N", title="Cheaper after"),
                alt.Tooltip("cumulative_usd:Q", title="Cumulative (USD)", format=_USD),
            ],
        )
    )
    subtitle: str | list[str] = (
        "Month 0 is the one-off setup; a black diamond marks each break-even."
    )
    chart = alt.layer(lines, markers)
    if estimate.uncertainty is not None:
        # Bands first, so they sit under the lines; their legend stays off (see `_bands`).
        chart = alt.layer(_bands(estimate), lines, markers).resolve_legend(color="independent")
        draws = estimate.uncertainty.draws
        subtitle = [
            subtitle,
            f"Shaded: the middle 80% (P10–P90) of {draws:,} draws of the assumptions.",
        ]
    return chart.properties(
        title=alt.TitleParams(
            f"Cumulative cost over {months(horizon)}", subtitle=subtitle, anchor="start"
        ),
        width=_WIDTH,
        height=_HEIGHT,
    )


def cost_composition_chart(estimate: Estimate) -> alt.Chart:
    """Setup, usage and upkeep over the horizon per approach, stacked to the horizon total."""
    horizon = estimate.scenario.horizon_months
    names = [a.name for a in available(estimate)]
    return (
        alt.Chart(composition_frame(estimate))
        .mark_bar()
        .encode(
            y=alt.Y("approach:N", title=None, sort=names, axis=alt.Axis(labelLimit=220)),
            x=alt.X(
                "usd:Q",
                title=f"Cost over {months(horizon)} (USD)",
                stack="zero",
                axis=alt.Axis(format=_USD),
            ),
            color=alt.Color(
                "component:N",
                title="Cost",
                scale=alt.Scale(
                    domain=list(COMPONENTS), range=[COMPONENT_COLOURS[c] for c in COMPONENTS]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("approach:N", title="Approach"),
                alt.Tooltip("component:N", title="Cost"),
                alt.Tooltip("usd:Q", title="USD", format=_USD),
                alt.Tooltip("total_usd:Q", title="Horizon total (USD)", format=_USD),
            ],
        )
        .properties(
            title=alt.TitleParams(
                f"What the {horizon}-month total is made of",
                subtitle="Setup is one-off; usage follows query volume; upkeep is monthly.",
                anchor="start",
            ),
            width=_WIDTH,
            height=max(60, 34 * len(names)),
        )
    )


def cost_per_1k_queries_chart(estimate: Estimate) -> alt.LayerChart:
    """Usage cost of 1,000 queries per approach: the per-query price that volume multiplies."""
    names = [a.name for a in available(estimate)]
    floors = [a.name for a in available(estimate) if (a.min_usage_usd_per_month or 0) > 0]
    subtitle = "Per-query cost × 1,000; setup and upkeep excluded."
    if floors:
        subtitle += " Self-hosted GPUs also bill a monthly minimum."
    base = alt.Chart(per_1k_frame(estimate)).encode(
        y=alt.Y("approach:N", title=None, sort=names, axis=alt.Axis(labelLimit=220)),
        x=alt.X(
            "usd_per_1k_queries:Q",
            title="USD per 1,000 queries",
            axis=alt.Axis(format=_USD_CENTS),
        ),
        tooltip=[
            alt.Tooltip("approach:N", title="Approach"),
            alt.Tooltip("usd_per_1k_queries:Q", title="USD per 1,000 queries", format=".4f"),
            alt.Tooltip("per_query_usd:Q", title="USD per query", format=".6f"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("approach:N", scale=_approach_scale(estimate), sort=names, legend=None)
    )
    labels = base.mark_text(align="left", dx=4, color="#333333").encode(
        text=alt.Text("usd_per_1k_queries:Q", format=_USD_CENTS)
    )
    return alt.layer(bars, labels).properties(
        title=alt.TitleParams("Cost per 1,000 queries", subtitle=subtitle, anchor="start"),
        width=_WIDTH,
        height=max(60, 34 * len(names)),
    )


def latency_chart(estimate: Estimate) -> alt.Chart:
    """Median time of one answer per approach [ms], stacked by where it goes (retrieval, first
    token, prefill, reasoning, the answer); approaches that cannot run are left out."""
    frame = latency_frame(estimate)
    names = list(dict.fromkeys(frame["approach"]))
    parts = [label for label in LATENCY_PARTS.values() if label in set(frame["part"])]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("approach:N", title=None, sort=names, axis=alt.Axis(labelLimit=220)),
            x=alt.X("sum(ms):Q", title="Median time per answer (ms)"),
            color=alt.Color(
                "part:N",
                title="Part",
                sort=parts,
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=240),
            ),
            order=alt.Order("part_order:Q"),
            tooltip=[
                alt.Tooltip("approach:N", title="Approach"),
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("ms:Q", title="ms", format=",.0f"),
            ],
        )
        .transform_calculate(part_order=f"indexof({json.dumps(parts)}, datum.part)")
        .properties(width=_WIDTH, height=max(60, 30 * len(names)))
    )
