"""The approach formulas run on arrays of draws: one row per draw, the same code as `estimate()`.

Formulas that cannot take arrays (they branch on a value or call `float()`) are priced row by row
with plain floats instead; callers learn which through `Priced.scalar_fallback`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType

import numpy as np
from numpy.typing import NDArray

from estimators.approaches.base import ApproachCost
from estimators.assumptions import Assumptions
from estimators.context import Context
from estimators.estimate import APPROACHES, price_approach_with, price_approaches
from estimators.price_factors import (
    API_PRICE_FACTOR,
    FINETUNE_PRICE_FACTOR,
    Number,
    scale_prices,
)
from estimators.scenario import Scenario
from estimators.timeline import (
    UNFLOORED,
    Pricing,
    monthly_queries_rows,
)

# Rows of a priced approach: setup [USD], per query [USD], upkeep [USD/month], floor [USD/month],
# unfloored per query [USD] (timeline.SETUP ... timeline.UNFLOORED).
ROWS = range(UNFLOORED + 1)


def context_with(base: Context, values: Mapping[str, Number]) -> Context:
    """The base context with these assumption values and the prices their factors imply."""
    prices = scale_prices(
        base.prices,
        base.scenario,
        values.get(API_PRICE_FACTOR, 1.0),
        values.get(FINETUNE_PRICE_FACTOR, 1.0),
    )
    assumptions = Assumptions.of_values(values, base.assumptions.overridden)
    return dataclasses.replace(base, assumptions=assumptions, prices=prices)


def _parts(cost: ApproachCost) -> tuple[Number, ...]:
    p = Pricing.of(cost)
    return (
        p.setup_usd,
        p.per_query_usd,
        p.upkeep_usd_per_month,
        p.min_usage_usd_per_month,
        p.unfloored_per_query_usd,
    )


def _columns(cost: ApproachCost, rows: int) -> NDArray[np.float64]:
    """(5, rows): the timeline's rows (SETUP ... UNFLOORED), NaN where the approach cannot run."""
    if not cost.available:
        return np.full((len(ROWS), rows), np.nan)
    return np.stack([np.broadcast_to(np.asarray(x, dtype=float), (rows,)) for x in _parts(cost)])


def _draw_by_draw(
    base: Context, values: Mapping[str, Number], rows: int, module: ModuleType
) -> NDArray[np.float64]:
    """(5, rows) priced one row at a time with plain floats: the same formulas, ~1,000× slower."""
    fixed = {key: v for key, v in values.items() if not isinstance(v, np.ndarray)}
    drawn = {key: v.tolist() for key, v in values.items() if isinstance(v, np.ndarray)}
    out = np.full((len(ROWS), rows), np.nan)
    for i in range(rows):
        point = fixed | {key: column[i] for key, column in drawn.items()}
        cost = price_approach_with(context_with(base, point), module.cost, module.PROFILE)
        if cost.available:
            out[:, i] = _parts(cost)
    return out


@dataclass(frozen=True)
class Priced:
    """Every wanted approach priced on the same rows of draws (fewer rows than asked for when
    an approach had to be priced draw by draw and `scalar_rows_max` cut them)."""

    rows: int
    values: dict[str, Number]
    columns: dict[str, NDArray[np.float64]]  # (5, rows) per approach, article order
    scalar_fallback: tuple[str, ...]


def price_rows(
    base: Context,
    values: Mapping[str, Number],
    rows: int,
    approach_ids: Iterable[str],
    scalar_rows_max: int | None = None,
) -> Priced:
    """Price each wanted approach on every row: vectorised where its formulas take arrays, else
    draw by draw on the first `scalar_rows_max` rows (and every approach is cut to those rows,
    so that all of them are compared on the same draws)."""
    wanted = set(approach_ids)
    ctx = context_with(base, values)
    columns: dict[str, NDArray[np.float64]] = {}
    slow = []
    for module in APPROACHES:
        if module.PROFILE.id not in wanted:
            continue
        try:
            columns[module.PROFILE.id] = _columns(
                price_approach_with(ctx, module.cost, module.PROFILE), rows
            )
        except (TypeError, ValueError):  # branches on a value or calls float(): not array-safe
            slow.append(module)
    kept = dict(values)
    if slow and scalar_rows_max is not None and rows > scalar_rows_max:
        rows = scalar_rows_max
        kept = {k: v[:rows] if isinstance(v, np.ndarray) else v for k, v in values.items()}
        columns = {key: c[:, :rows] for key, c in columns.items()}
    for module in slow:
        columns[module.PROFILE.id] = _draw_by_draw(base, kept, rows, module)
    order = [m.PROFILE.id for m in APPROACHES if m.PROFILE.id in columns]
    return Priced(
        rows=rows,
        values=kept,
        columns={key: columns[key] for key in order},
        scalar_fallback=tuple(m.PROFILE.id for m in slow),
    )


def monthly_queries(scenario: Scenario, days_per_month: Number) -> NDArray[np.float64]:
    """Queries in months 1..H [queries], (H, 1) or (H, rows), computed as `estimate()` does."""
    traffic = scenario.traffic
    return monthly_queries_rows(
        traffic.queries_per_day, traffic.monthly_growth_pct, days_per_month, scenario.horizon_months
    )


def available_ids(base: Context) -> list[str]:
    return [cost.profile.id for cost in price_approaches(base) if cost.available]


def cheapest_index(totals: NDArray[np.float64]) -> NDArray[np.intp]:
    """Per column, the row of the smallest total; ties go to the first row (article order), as
    `estimate()`'s `min` does; NaN (could not run) never wins."""
    return np.argmin(np.where(np.isnan(totals), np.inf, totals), axis=0)
