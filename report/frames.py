"""Tidy pandas frames shaped from an Estimate: the one place charts get their rows from.

Kept apart from the chart builders so the dashboard tables, the charts and the PDF all show the
same numbers, and so the shaping can be tested without rendering anything.
"""

from __future__ import annotations

import pandas as pd

from estimators.ids import short_name
from estimators.results import ApproachResult, Estimate
from report.format import number

COMPONENTS = ("Setup", "Usage", "Upkeep")
# Tornado rows whose swing is below this share of the largest one are left out.
MIN_SWING_SHARE = 0.005


def available(estimate: Estimate) -> list[ApproachResult]:
    """Approaches that have costs, in the engine's (the article's) order."""
    return [a for a in estimate.approaches if a.available and a.cumulative_usd is not None]


def cumulative_frame(estimate: Estimate) -> pd.DataFrame:
    """One row per approach and month 0..H: cumulative cost [USD] at the end of that month."""
    rows = [
        {"approach_id": a.id, "approach": a.name, "month": month, "cumulative_usd": usd}
        for a in available(estimate)
        for month, usd in enumerate(a.cumulative_usd or [])
    ]
    return pd.DataFrame(rows, columns=["approach_id", "approach", "month", "cumulative_usd"])


def _visual_crossing(cum_a: list[float], cum_b: list[float], month: int) -> tuple[float, float]:
    """Where the straight segments drawn between months month-1 and month intersect.

    The engine reports the first whole month at which the order changes; the chart draws lines
    between monthly points, so the marker sits where those lines meet, not on a month tick.
    """
    d0 = cum_a[month - 1] - cum_b[month - 1]
    d1 = cum_a[month] - cum_b[month]
    t = 1.0 if d0 == d1 else d0 / (d0 - d1)
    t = min(max(t, 0.0), 1.0)
    x = month - 1 + t
    y = cum_a[month - 1] + t * (cum_a[month] - cum_a[month - 1])
    return x, y


def break_even_frame(estimate: Estimate) -> pd.DataFrame:
    """One row per pair whose cumulative costs cross within the horizon, with the crossing point."""
    by_id = {a.id: a for a in available(estimate)}
    rows = []
    for pair in estimate.break_even:
        a, b = by_id.get(pair.a), by_id.get(pair.b)
        if pair.month is None or a is None or b is None:
            continue
        if not a.cumulative_usd or not b.cumulative_usd:
            continue
        x, y = _visual_crossing(a.cumulative_usd, b.cumulative_usd, pair.month)
        cheaper = by_id.get(pair.cheaper_after_month or "")
        rows.append(
            {
                "pair": f"{a.name} vs {b.name}",
                "month": pair.month,
                "month_x": x,
                "cumulative_usd": y,
                "cheaper_after": cheaper.name if cheaper else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["pair", "month", "month_x", "cumulative_usd", "cheaper_after"]
    )


def composition_frame(estimate: Estimate) -> pd.DataFrame:
    """Setup, usage and upkeep over the horizon [USD] per approach: three rows each."""
    rows = []
    for a in available(estimate):
        parts = (a.setup_usd, a.usage_usd, a.upkeep_usd)
        for order, (component, usd) in enumerate(zip(COMPONENTS, parts, strict=True)):
            rows.append(
                {
                    "approach_id": a.id,
                    "approach": a.name,
                    "component": component,
                    "order": order,
                    "usd": usd or 0.0,
                    "total_usd": a.total_usd or 0.0,
                }
            )
    return pd.DataFrame(
        rows, columns=["approach_id", "approach", "component", "order", "usd", "total_usd"]
    )


def per_1k_frame(estimate: Estimate) -> pd.DataFrame:
    """Usage cost of 1,000 queries [USD] per approach (per-query cost × 1,000)."""
    rows = [
        {
            "approach_id": a.id,
            "approach": a.name,
            "usd_per_1k_queries": (a.per_query_usd or 0.0) * 1000,
            "per_query_usd": a.per_query_usd or 0.0,
        }
        for a in available(estimate)
    ]
    return pd.DataFrame(
        rows, columns=["approach_id", "approach", "usd_per_1k_queries", "per_query_usd"]
    )


LATENCY_PARTS = {
    "retrieval": "Retrieval",
    "first_token": "To the first token",
    "prefill": "Prompt prefill",
    "reasoning": "Reasoning",
    "decode": "Writing the answer",
}


def latency_frame(estimate: Estimate) -> pd.DataFrame:
    """One row per latency line item of every approach that can run: its p50 share [ms]."""
    rows = [
        {
            "approach_id": a.id,
            "approach": short_name(a.id),
            "part": LATENCY_PARTS[item.part],
            "step": item.label,
            "ms": float(item.ms),
        }
        for a in estimate.approaches
        if a.latency is not None
        for item in a.latency.items
    ]
    return pd.DataFrame(rows, columns=["approach_id", "approach", "part", "step", "ms"])


def band_frame(estimate: Estimate) -> pd.DataFrame:
    """P10/P50/P90 of the cumulative cost [USD] per approach and month 0..H, for the bands.

    Empty (same columns) when the estimate carries no uncertainty analysis; approaches the
    analysis left out (they cannot run at the likely values) have no rows.
    """
    columns = ["approach_id", "approach", "month", "p10_usd", "p50_usd", "p90_usd"]
    bands = estimate.uncertainty.cumulative_ranges if estimate.uncertainty else {}
    rows = [
        {
            "approach_id": a.id,
            "approach": a.name,
            "month": month,
            "p10_usd": band.p10,
            "p50_usd": band.p50,
            "p90_usd": band.p90,
        }
        for a in available(estimate)
        for month, band in enumerate(bands.get(a.id, []))
    ]
    return pd.DataFrame(rows, columns=columns)


def tornado_frame(estimate: Estimate, approach_id: str, top: int = 10) -> pd.DataFrame:
    """One approach's tornado rows, largest swing first, at most `top` of them.

    Rows swinging less than `MIN_SWING_SHARE` (0.5%) of the largest swing are left out.

    Each row: the assumption, its unit, its low and high input values (also as printed), and the
    approach's horizon total [USD] with every input at its value (`base_usd`), with this one at
    its low (`low_usd`) and at its high (`high_usd`); `swing_usd` = |high_usd − low_usd|. Empty
    when the estimate carries no sensitivity or the approach has no rows (unknown, unavailable,
    or no input moves it).
    """
    columns = [
        "approach_id",
        "assumption",
        "unit",
        "low_value",
        "high_value",
        "low_label",
        "high_label",
        "base_usd",
        "low_usd",
        "high_usd",
        "swing_usd",
    ]
    mine = [row for row in estimate.sensitivity or [] if row.approach == approach_id]
    mine.sort(key=lambda row: -row.swing)  # stable: ties keep the engine's order
    if mine:
        # A swing of a few dollars on a five-figure total is a bar too thin to see whose two
        # labels print on top of each other; it says nothing the other rows do not.
        floor = MIN_SWING_SHARE * mine[0].swing
        mine = [row for row in mine if row.swing >= floor]
    units = {a.id: a.unit for a in estimate.assumptions}
    rows = [
        {
            "approach_id": row.approach,
            "assumption": row.assumption,
            "unit": units.get(row.assumption, ""),
            "low_value": row.low_value,
            "high_value": row.high_value,
            "low_label": number(row.low_value),
            "high_label": number(row.high_value),
            "base_usd": row.base_total,
            "low_usd": row.low_total,
            "high_usd": row.high_total,
            "swing_usd": row.swing,
        }
        for row in mine[: max(top, 0)]
    ]
    return pd.DataFrame(rows, columns=columns)


def p_cheapest_frame(estimate: Estimate) -> pd.DataFrame:
    """Share of the draws [0..1] in which each available approach is the cheapest.

    Empty when the estimate carries no uncertainty analysis.
    """
    columns = ["approach_id", "approach", "p_cheapest"]
    shares = estimate.p_cheapest
    if shares is None:
        return pd.DataFrame([], columns=columns)
    rows = [
        {"approach_id": a.id, "approach": a.name, "p_cheapest": shares.get(a.id, 0.0)}
        for a in available(estimate)
    ]
    return pd.DataFrame(rows, columns=columns)
