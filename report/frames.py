"""Tidy pandas frames shaped from an Estimate: the one place charts get their rows from.

Kept apart from the chart builders so the dashboard tables, the charts and the PDF all show the
same numbers, and so the shaping can be tested without rendering anything.
"""

from __future__ import annotations

import pandas as pd

from estimators.estimate import ApproachResult, Estimate

COMPONENTS = ("Setup", "Usage", "Upkeep")


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
