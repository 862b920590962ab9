"""Month-by-month costs over the horizon, and where two approaches' costs cross.

Month m (1..H) serves queries_per_day × days_per_month × (1 + growth)^(m−1) queries. Its cost is
max(floored per-query USD × queries, usage floor) + unfloored per-query USD × queries + upkeep;
month 0 holds the setup. A usage floor exists only for self-hosted serving (at least one GPU is
always on), which makes totals piecewise linear in the daily volume; break-even volumes are found
exactly on those pieces. The floor covers the GPUs' own per-query cost, not what is billed beside
them (retrieval's embedding and store reads in front of a self-hosted fine-tune): that part is
"unfloored" and always paid per query.

Size: The one home of all horizon maths (scalar and per-draw) by design; a split would re-create
the copies it replaced.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

Number = float | NDArray[np.float64]
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
    @property
    def unfloored_per_query_usd(self) -> float: ...


@dataclass(frozen=True)
class Pricing:
    """An approach reduced to the numbers the timeline needs."""

    id: str
    setup_usd: float
    per_query_usd: float  # [USD] all of it, the unfloored part included
    upkeep_usd_per_month: float
    min_usage_usd_per_month: float
    unfloored_per_query_usd: float = 0.0  # [USD] the part the usage floor does not cover

    @classmethod
    def of(cls, cost: _Priced) -> Pricing:
        return cls(
            cost.profile.id,
            cost.setup_usd,
            cost.per_query_usd,
            cost.maintenance_usd_per_month,
            cost.min_usage_usd_per_month,
            cost.unfloored_per_query_usd,
        )

    @property
    def floored_per_query_usd(self) -> float:
        """The per-query cost the usage floor covers [USD]."""
        return self.per_query_usd - self.unfloored_per_query_usd


def growth_factor(monthly_growth_pct: float, months_after_first: int) -> float:
    """How many times month 1's volume a later month serves [-]: (1 + growth)^m."""
    return (1 + monthly_growth_pct / 100) ** months_after_first


def queries_per_month(
    queries_per_day: float, monthly_growth_pct: float, days_per_month: float, months: int
) -> list[float]:
    """Queries served in each month 1..months [queries/month], compounding monthly growth."""
    return [
        queries_per_day * days_per_month * growth_factor(monthly_growth_pct, m)
        for m in range(months)
    ]


def month_days(monthly_growth_pct: float, days_per_month: float, months: int) -> list[float]:
    """Days each month weighs, growth included [days]: monthly queries per unit of daily volume."""
    return queries_per_month(1.0, monthly_growth_pct, days_per_month, months)


def monthly_queries_rows(
    queries_per_day: float, monthly_growth_pct: float, days_per_month: Number, months: int
) -> NDArray[np.float64]:
    """`queries_per_month` for one or many draws of the days per month [queries], (H, rows)."""
    if not isinstance(days_per_month, np.ndarray):
        return np.asarray(
            queries_per_month(queries_per_day, monthly_growth_pct, days_per_month, months)
        )[:, None]
    growth = np.asarray(month_days(monthly_growth_pct, 1.0, months))
    return growth[:, None] * (queries_per_day * days_per_month)[None, :]


# Rows of a priced-draws array: one column per draw (the Monte Carlo) or a single column.
SETUP, PER_QUERY, UPKEEP, FLOOR, UNFLOORED = range(5)


def pricing_rows(pricing: Pricing) -> NDArray[np.float64]:
    """One approach's rows (SETUP, PER_QUERY, UPKEEP, FLOOR, UNFLOORED) as a single column."""
    return np.array(
        [
            [pricing.setup_usd],
            [pricing.per_query_usd],
            [pricing.upkeep_usd_per_month],
            [pricing.min_usage_usd_per_month],
            [pricing.unfloored_per_query_usd],
        ]
    )


def _monthly_usage(
    columns: NDArray[np.float64], queries: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Each month's usage [USD], (H, rows): max(floored per query × queries, floor) + unfloored
    per query × queries."""
    unfloored = columns[UNFLOORED]
    usage = (columns[PER_QUERY] - unfloored) * queries
    if not (columns[FLOOR].any() or unfloored.any()):
        # No floor and nothing unfloored (every hosted approach): max(x, 0) + 0 × queries is x
        # itself for every x ≥ 0, so the two passes over the months are skipped.
        return usage
    np.maximum(usage, columns[FLOOR], out=usage)  # in place: 10,000 draws × months is 3 MB
    usage += unfloored * queries
    return usage


_ROW_BY_ROW_FROM = 64  # draws from which `cumulative_rows` adds month rows instead of cumsum


def cumulative_rows(
    columns: NDArray[np.float64], queries: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Cumulative cost at the end of months 0..H [USD], (H + 1, rows).

    Month m adds its usage (`_monthly_usage`) + upkeep to the running total; month 0 holds the
    setup alone. `columns` holds the SETUP, PER_QUERY, UPKEEP, FLOOR and UNFLOORED rows, one
    column a draw.
    """
    usage = _monthly_usage(columns, queries)
    out = np.empty((queries.shape[0] + 1, columns.shape[1]))
    out[0] = columns[SETUP]
    np.add(usage, columns[UPKEEP], out=out[1:])
    if columns.shape[1] < _ROW_BY_ROW_FROM:
        return np.cumsum(out, axis=0, out=out)
    # Month by month: the same additions in the same order as cumsum, but each a contiguous row
    # of draws (cumsum down the months of 10,000 draws walked memory with a stride, 10× slower).
    for month in range(1, out.shape[0]):
        np.add(out[month - 1], out[month], out=out[month])
    return out


def cumulative_usd(pricing: Pricing, monthly_queries: list[float]) -> list[float]:
    """Cumulative cost [USD] at the end of months 0..H (month 0 is the setup alone)."""
    queries = np.asarray(monthly_queries, dtype=float)[:, None]
    return cumulative_rows(pricing_rows(pricing), queries)[:, 0].tolist()


def cumulative_curves(
    pricings: list[Pricing], monthly_queries: list[float]
) -> dict[str, list[float]]:
    """`cumulative_usd` of several approaches by id [USD], months 0..H: one column each in a
    single `cumulative_rows` call (column by column the same arithmetic, so the same figures)."""
    if not pricings:
        return {}
    queries = np.asarray(monthly_queries, dtype=float)[:, None]
    columns = np.hstack([pricing_rows(pricing) for pricing in pricings])
    rows = cumulative_rows(columns, queries)
    return {pricing.id: rows[:, i].tolist() for i, pricing in enumerate(pricings)}


def usage_usd(pricing: Pricing, monthly_queries: list[float]) -> float:
    """Usage over the horizon [USD]: the volume-driven part of the total."""
    floored, unfloored = pricing.floored_per_query_usd, pricing.unfloored_per_query_usd
    floor = pricing.min_usage_usd_per_month
    return sum(max(floored * q, floor) + unfloored * q for q in monthly_queries)


# --- Mixes: traffic.routing splits the queries, every part is built and kept running -----------


def share_of(pricing: Pricing, share: float) -> Pricing:
    """An approach answering `share` of the queries [0..1]: its per-query costs scaled by the
    share; setup, upkeep and the always-on floor whole (each part is built and kept running)."""
    return replace(
        pricing,
        per_query_usd=pricing.per_query_usd * share,
        unfloored_per_query_usd=pricing.unfloored_per_query_usd * share,
    )


def mix_cumulative_rows(
    parts: list[tuple[Number, NDArray[np.float64]]], queries: NDArray[np.float64]
) -> NDArray[np.float64]:
    """A mix's cumulative cost at the end of months 0..H [USD], (H + 1, rows): the sum of each
    part's cumulative cost serving its share of the queries. `parts` holds (share, the part's
    rows as `cumulative_rows` takes them); shares may be arrays of draws."""
    total: NDArray[np.float64] | None = None
    for share, columns in parts:
        scaled = columns.copy()
        scaled[PER_QUERY] = columns[PER_QUERY] * share
        scaled[UNFLOORED] = columns[UNFLOORED] * share
        part = cumulative_rows(scaled, queries)
        total = part if total is None else total + part
    if total is None:
        raise ValueError("a mix needs at least one part")
    return total


def mix_cumulative_usd(
    parts: list[tuple[float, Pricing]], monthly_queries: list[float]
) -> list[float]:
    """`mix_cumulative_rows` for one scenario's pricings [USD], months 0..H."""
    queries = np.asarray(monthly_queries, dtype=float)[:, None]
    rows = [(share, pricing_rows(pricing)) for share, pricing in parts]
    return mix_cumulative_rows(rows, queries)[:, 0].tolist()


def mix_usage_usd(parts: list[tuple[float, Pricing]], monthly_queries: list[float]) -> float:
    """A mix's usage over the horizon [USD]: each part's usage at its share of the queries."""
    return sum(usage_usd(share_of(pricing, share), monthly_queries) for share, pricing in parts)


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


def horizon_totals_usd(
    pricing: Pricing, daily_queries: NDArray[np.float64], month_days: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Horizon totals [USD] at each month-1 daily volume.

    setup + Σ_months [max(floored per query × daily queries × days × growth, usage floor)
    + unfloored per query × daily queries × days × growth] + upkeep × months.
    """
    days = np.outer(daily_queries, month_days)
    usage = np.maximum(pricing.floored_per_query_usd * days, pricing.min_usage_usd_per_month)
    unfloored = pricing.unfloored_per_query_usd * days.sum(axis=1)
    return (
        pricing.setup_usd
        + usage.sum(axis=1)
        + unfloored
        + pricing.upkeep_usd_per_month * len(month_days)
    )


def _kinks(pricing: Pricing, days: NDArray[np.float64]) -> list[NDArray[np.float64]]:
    """Daily volumes at which a month's usage leaves the usage floor (none without a floor)."""
    if pricing.floored_per_query_usd > 0 and pricing.min_usage_usd_per_month > 0:
        return [pricing.min_usage_usd_per_month / (pricing.floored_per_query_usd * days)]
    return []


def _bounds() -> NDArray[np.float64]:
    """The volumes every search looks at: none and the scenario's upper bound [queries/day]."""
    return np.array([0.0, MAX_QUERIES_PER_DAY])


def _points(*kinks: NDArray[np.float64]) -> NDArray[np.float64]:
    """0, the kinks and the upper bound, in order and once each [queries/day]."""
    return np.unique(np.clip(np.concatenate([_bounds(), *kinks]), 0, MAX_QUERIES_PER_DAY))


def _volume_differences(
    a: Pricing, b: Pricing, month_days: list[float] | NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Daily volumes where a's or b's total can bend, and a's minus b's horizon total there [USD].

    Both totals are piecewise linear in the daily volume, with kinks where a month's usage leaves
    its floor, so 0, every kink and the scenario's upper bound are all the points that matter.
    """
    days = np.asarray(month_days, dtype=float)
    points = _points(*_kinks(a, days), *_kinks(b, days))
    return points, horizon_totals_usd(a, points, days) - horizon_totals_usd(b, points, days)


def _first_root(points: NDArray[np.float64], diffs: NDArray[np.float64]) -> float | None:
    """The lowest volume where the difference leaves the sign it has at 0, interpolated exactly
    on its linear piece; None where it never does (a zero start is the caller's to read)."""
    # On Python floats: a handful of points, where numpy's per-call overhead dominates (the
    # arithmetic is the same IEEE doubles either way).
    volumes, differences = points.tolist(), diffs.tolist()
    positive_at_zero = differences[0] > 0
    for i in range(1, len(differences)):  # differences[i] is the first on the other side (or 0)
        if (differences[i] > 0) != positive_at_zero:
            low, high = volumes[i - 1], volumes[i]
            d_low, d_high = differences[i - 1], differences[i]
            return low + (high - low) * d_low / (d_low - d_high)
    return None


def crossing_volume(a: Pricing, b: Pricing, month_days: list[float]) -> tuple[float, str] | None:
    """Lowest daily volume at which horizon totals cross, and the approach cheaper above it."""
    return _crossing_volume(a, b, *_volume_differences(a, b, month_days))


def _crossing_volume(
    a: Pricing, b: Pricing, points: NDArray[np.float64], diffs: NDArray[np.float64]
) -> tuple[float, str] | None:
    if diffs[0] == 0:
        return None
    root = _first_root(points, diffs)
    if root is None:
        return None
    return root, (b.id if diffs[0] < 0 else a.id)


def self_hosting_crossover(
    provider: Pricing, own: Pricing, month_days: list[float]
) -> tuple[str, float]:
    """Where self-hosting (`own`) and a provider cost the same over the horizon [queries/day].

    Returns ("above", q) when self-hosting is cheaper above q queries/day (q = 0: at any
    volume), ("below", q) when it is cheaper only below q, and ("never", inf) when the provider
    stays cheaper up to the bound.
    """
    points, diff = _volume_differences(own, provider, month_days)
    if diff[0] == 0:  # equal at zero volume: the next volume that differs decides
        moved = diff[diff != 0]
        return ("above", 0.0) if moved.size == 0 or moved[0] < 0 else ("never", math.inf)
    cheaper_at_zero = bool(diff[0] < 0)
    root = _first_root(points, diff)
    if root is None:
        return ("above", 0.0) if cheaper_at_zero else ("never", math.inf)
    return ("below", root) if cheaper_at_zero else ("above", root)


def break_evens(
    pricings: list[Pricing], cumulative: dict[str, list[float]], month_days: list[float]
) -> list[BreakEven]:
    """Every pair of available approaches, in the order given."""
    days = np.asarray(month_days, dtype=float)
    # Each approach's horizon totals are worked out once, at every volume any pair looks at;
    # a pair then reads its own points from them. A total at one volume is one row of
    # `horizon_totals_usd`, computed alike whatever rows sit beside it, so the bits are those of
    # a search pair by pair.
    kinks = {p.id: _kinks(p, days) for p in pricings}
    every_point = _points(*itertools.chain.from_iterable(kinks.values()))
    totals = {p.id: horizon_totals_usd(p, every_point, days) for p in pricings}
    at_bounds = np.array([0, every_point.size - 1])
    out = []
    for a, b in itertools.combinations(pricings, 2):
        month = crossing_month(cumulative[a.id], cumulative[b.id], a.id, b.id)
        if kinks[a.id] or kinks[b.id]:
            points = _points(*kinks[a.id], *kinks[b.id])
            at = np.searchsorted(every_point, points)
        else:
            points, at = _bounds(), at_bounds
        volume = _crossing_volume(a, b, points, totals[a.id][at] - totals[b.id][at])
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
