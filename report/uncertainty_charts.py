"""Charts of how sure the estimate is: the tornado of one approach and P(cheapest).

Both need `estimators.uncertainty.analysis.with_uncertainty(estimate)` to have run; the
P10–P90 bands sit on the cumulative-cost chart itself (report/charts.py). Pure functions: no
Streamlit, no I/O.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from estimators.results import Estimate
from report.charts import approach_colour
from report.format import months, usd
from report.frames import available, p_cheapest_frame, tornado_frame

# Which end of an input's range the bar shows: neutral greys, since the title names the approach.
_LOW, _HIGH = "At its low", "At its high"
END_COLOURS: dict[str, str] = {_LOW: "#A9B8C8", _HIGH: "#4C566A"}
_USD = "$,.0f"
_WIDTH = 400  # plot only: the assumption ids take ~180 px more
_ROW_PX = 22


def tornado_chart(estimate: Estimate, approach_id: str, top: int = 10) -> alt.LayerChart:
    """How far one approach's horizon total moves as each assumption goes from low to high.

    One row per assumption (its id as the label), largest swing first, at most `top` rows: a
    light bar from the total at the likely values to the total with the assumption at its low,
    a dark bar to the total at its high, the input values printed at the bar ends and in the
    tooltips, and a rule at the total with every assumption at its likely value. Rows whose
    swing is under 0.5% of the largest are left out (`frames.MIN_SWING_SHARE`).

    Raises ValueError, with a sentence a page can show as is, when there is nothing to draw:
    the estimate carries no sensitivity (`with_uncertainty` was not run), `approach_id` is not
    one of its approaches, or no assumption moves that approach's total (e.g. it is
    unavailable). A tornado of nothing would be an empty frame, and an empty chart reads as a
    broken page; callers check `estimate.sensitivity` (or catch the error) and show a message.
    """
    known = [a.id for a in estimate.approaches]
    if approach_id not in known:
        raise ValueError(f"Unknown approach '{approach_id}'; choose one of: {', '.join(known)}.")
    name = estimate.approach(approach_id).name
    if estimate.sensitivity is None:
        raise ValueError(
            "No sensitivity data: this estimate was made without the uncertainty analysis "
            "(estimators.uncertainty.analysis.with_uncertainty)."
        )
    every = tornado_frame(estimate, approach_id, top=len(estimate.sensitivity))
    frame = every.head(max(top, 0))
    if frame.empty:
        raise ValueError(f"No assumption moves the total of {name}, so there is no tornado.")
    horizon = estimate.scenario.horizon_months
    order = frame["assumption"].tolist()
    base = alt.Chart(frame).transform_fold(["low_usd", "high_usd"], as_=["end", "total_usd"])
    base = base.transform_calculate(
        end_name=f"datum.end == 'low_usd' ? '{_LOW}' : '{_HIGH}'",
        input_label="datum.end == 'low_usd' ? datum.low_label : datum.high_label",
    )
    y = alt.Y("assumption:N", title=None, sort=order, axis=alt.Axis(labelLimit=260))
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X(
            "total_usd:Q",
            title=f"Total over {months(horizon)} (USD)",
            scale=alt.Scale(zero=False, padding=36),
            axis=alt.Axis(format=_USD),
        ),
        x2="base_usd:Q",
        color=alt.Color(
            "end_name:N",
            scale=alt.Scale(domain=list(END_COLOURS), range=list(END_COLOURS.values())),
            legend=None,  # the subtitle says which shade is which, in one line less
        ),
        tooltip=[
            alt.Tooltip("assumption:N", title="Assumption"),
            alt.Tooltip("low_value:Q", title="Low value", format=",.4~g"),
            alt.Tooltip("high_value:Q", title="High value", format=",.4~g"),
            alt.Tooltip("unit:N", title="Unit"),
            alt.Tooltip("low_usd:Q", title="Total at low (USD)", format=_USD),
            alt.Tooltip("high_usd:Q", title="Total at high (USD)", format=_USD),
            alt.Tooltip("swing_usd:Q", title="Swing (USD)", format=_USD),
        ],
    )
    # Input values at the bar ends: left of a bar that goes down, right of one that goes up;
    # an end with no bar (the input's low or high is its likely value) gets no label.
    below = base.transform_filter("datum.total_usd < datum.base_usd")
    above = base.transform_filter("datum.total_usd > datum.base_usd")
    text = {"y": y, "x": alt.X("total_usd:Q"), "text": alt.Text("input_label:N")}
    labels = [
        below.mark_text(align="right", dx=-3, fontSize=10, color="#333333").encode(**text),
        above.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(**text),
    ]
    base_total = float(frame["base_usd"].iloc[0])
    rule = (
        alt.Chart(pd.DataFrame({"base_usd": [base_total]}))
        .mark_rule(color="#222222", strokeWidth=1.2)
        .encode(
            x="base_usd:Q",
            tooltip=[alt.Tooltip("base_usd:Q", title="At the likely values (USD)", format=_USD)],
        )
    )
    shown, of = len(frame), len(every)
    subtitle = [
        "Each assumption alone at its low (light bar) and at its high (dark bar).",
        f"The line: {usd(base_total)}, every assumption at its likely value.",
    ]
    if of > shown:
        subtitle[1] += f" The {shown} largest of {of} swings."
    return alt.layer(bars, *labels, rule).properties(
        title=alt.TitleParams(
            f"{name}: horizon total, USD, by assumption", subtitle=subtitle, anchor="start"
        ),
        width=_WIDTH,
        height=_ROW_PX * shown,
    )


def p_cheapest_chart(estimate: Estimate) -> alt.LayerChart:
    """The share of draws in which each available approach is the cheapest over the horizon.

    Raises ValueError when the estimate carries no uncertainty analysis (see `tornado_chart`).
    """
    if estimate.p_cheapest is None:
        raise ValueError(
            "No probabilities: this estimate was made without the uncertainty analysis "
            "(estimators.uncertainty.analysis.with_uncertainty)."
        )
    shown = available(estimate)
    names = [a.name for a in shown]
    draws = estimate.uncertainty.draws if estimate.uncertainty else None
    subtitle = f"Share of {draws:,} draws of the assumptions." if draws else "Share of draws."
    base = alt.Chart(p_cheapest_frame(estimate)).encode(
        y=alt.Y("approach:N", title=None, sort=names, axis=alt.Axis(labelLimit=220)),
        x=alt.X(
            "p_cheapest:Q",
            title="Chance of being the cheapest",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        tooltip=[
            alt.Tooltip("approach:N", title="Approach"),
            alt.Tooltip("p_cheapest:Q", title="Chance cheapest", format=".1%"),
        ],
    )
    colours = alt.Scale(domain=names, range=[approach_colour(a.id) for a in shown])
    bars = base.mark_bar().encode(
        color=alt.Color("approach:N", scale=colours, sort=names, legend=None)
    )
    labels = base.mark_text(align="left", dx=4, color="#333333").encode(
        text=alt.Text("p_cheapest:Q", format=".0%")
    )
    horizon = estimate.scenario.horizon_months
    return alt.layer(bars, labels).properties(
        title=alt.TitleParams(
            f"Chance of being the cheapest over {months(horizon)}",
            subtitle=subtitle,
            anchor="start",
        ),
        width=_WIDTH,
        height=max(60, 34 * len(names)),
    )
