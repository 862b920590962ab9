"""Month-by-month costs over the horizon, and where two approaches' costs cross.

Month m (1..H) serves queries_per_day × days_per_month × (1 + growth)^(m−1) queries. Its cost is
max(per-query USD × queries, usage floor) + upkeep; month 0 holds the setup. A usage floor exists
only for self-hosted serving (at least one GPU is always on), which makes totals piecewise linear
in the daily volume; break-even volumes are found exactly on those pieces.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict

MAX_QUERIES_PER_DAY = 1e9  # the scenario's upper bound: volumes beyond it are not searched


class _Priced(Protocol):
    """What the timeline reads of an approach's cost (`approaches.base.ApproachCost`)."""

    @property
    def profile(self) -> Any: ...
    @property
    def setup_usd(self) -> float: ...
    @property
    def per_query_usd(self) -> float: ...
    @property
    def maintenance_usd_per_month(self) -> float: ...
    @property
    def min_usage_usd_per_month(self) -> float: ...


@dataclass(frozen=True)
class Pricing:
    """An approach reduced to the four numbers the timeline needs."""

    id: str
    setup_usd: float
    per_query_usd: float
    upkeep_usd_per_month: float
    min_usage_usd_per_month: float

    @classmethod
    def of(cls, cost: _Priced) -> Pricing:
        return cls(
            cost.profile.id,
            cost.setup_usd,
            cost.per_query_usd,
            cost.maintenance_usd_per_month,
            cost.min_usage_usd_per_month,
        )


def queries_per_month(
    queries_per_day: float, monthly_growth_pct: float, days_per_month: float, months: int
) -> list[float]:
    """Queries served in each month 1..months [queries/month], compounding monthly growth."""
    growth = 1 + monthly_growth_pct / 100
    return [queries_per_day * days_per_month * growth**m for m in range(months)]


def cumulative_usd(pricing: Pricing, monthly_queries: list[float]) -> list[float]:
    """Cumulative cost [USD] at the end of months 0..H (month 0 is the setup alone)."""
    running = pricing.setup_usd
    out = [running]
    for queries in monthly_queries:
        usage = max(pricing.per_query_usd * queries, pricing.min_usage_usd_per_month)
        running += usage + pricing.upkeep_usd_per_month
        out.append(running)
    return out


def usage_usd(pricing: Pricing, monthly_queries: list[float]) -> float:
    """Usage over the horizon [USD]: the volume-driven part of the total."""
    return sum(
        max(pricing.per_query_usd * q, pricing.min_usage_usd_per_month) for q in monthly_queries
    )


class BreakEven(BaseModel):
    """Where two approaches' costs cross: over time at this volume, over volume at this horizon."""

    model_config = ConfigDict(frozen=True)

    a: str
    b: str
    month: int | None
    cheaper_after_month: str | None
    daily_queries: float | None
    cheaper_above_daily_queries: str | None


def crossing_month(
    cum_a: list[float], cum_b: list[float], a: str, b: str
) -> tuple[int, str] | None:
    """First month at which the cheaper-so-far approach changes, and the one cheaper from then."""
    start = cum_a[0] - cum_b[0]
    for month in range(1, len(cum_a)):
        diff = cum_a[month] - cum_b[month]
        if start == 0:
            start = diff  # equal setup: the order is set by the first month that differs
            continue
        if diff == 0 or (diff > 0) != (start > 0):
            return month, a if start > 0 else b
    return None


def _horizon_totals(pricing: Pricing, volumes: np.ndarray, month_days: np.ndarray) -> np.ndarray:
    """Horizon totals [USD] at each daily volume (month_days: days × growth factor per month)."""
    usage = np.maximum(
        pricing.per_query_usd * np.outer(volumes, month_days), pricing.min_usage_usd_per_month
    ).sum(axis=1)
    return pricing.setup_usd + usage + pricing.upkeep_usd_per_month * len(month_days)


def _kinks(pricing: Pricing, month_days: list[float]) -> list[float]:
    """Daily volumes where a month's usage leaves its floor: the pieces of the total."""
    if pricing.min_usage_usd_per_month <= 0 or pricing.per_query_usd <= 0:
        return []
    return [pricing.min_usage_usd_per_month / (pricing.per_query_usd * days) for days in month_days]


def crossing_volume(a: Pricing, b: Pricing, month_days: list[float]) -> tuple[float, str] | None:
    """Lowest daily volume at which horizon totals cross, and the approach cheaper above it."""
    points = sorted({0.0, MAX_QUERIES_PER_DAY, *_kinks(a, month_days), *_kinks(b, month_days)})
    volumes = np.array([p for p in points if 0 <= p <= MAX_QUERIES_PER_DAY])
    days = np.asarray(month_days, dtype=float)
    diffs = _horizon_totals(a, volumes, days) - _horizon_totals(b, volumes, days)
    start = diffs[0]
    if start == 0:
        return None
    crossed = np.flatnonzero((diffs > 0) != (start > 0))
    if crossed.size == 0:
        return None
    i = int(crossed[0])  # diffs[i] is the first on the other side (or exactly zero)
    low, high, d_low, d_high = volumes[i - 1], volumes[i], diffs[i - 1], diffs[i]
    # Linear between kinks: interpolate the root exactly.
    root = float(low + (high - low) * d_low / (d_low - d_high))
    return root, (b.id if start < 0 else a.id)


def break_evens(
    pricings: list[Pricing], cumulative: dict[str, list[float]], month_days: list[float]
) -> list[BreakEven]:
    """Every pair of available approaches, in the order given."""
    out = []
    for a, b in itertools.combinations(pricings, 2):
        month = crossing_month(cumulative[a.id], cumulative[b.id], a.id, b.id)
        volume = crossing_volume(a, b, month_days)
        out.append(
            BreakEven(
                a=a.id,
                b=b.id,
                month=month[0] if month else None,
                cheaper_after_month=month[1] if month else None,
                daily_queries=volume[0] if volume else None,
                cheaper_above_daily_queries=volume[1] if volume else None,
            )
        )
    return out
