"""One-at-a-time sensitivity: each drawn input at its low, then its high (tornado and flips)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from estimators.catalog import ModelEntry
from estimators.estimate import build_context
from estimators.price_factors import Number
from estimators.results import Flip, InputSpread, Sensitivity, SensitivityRow
from estimators.scenario import Scenario
from estimators.timeline import cumulative_rows
from estimators.uncertainty.draws import Table, spreads
from estimators.uncertainty.vectorised import (
    available_ids,
    cheapest_index,
    monthly_queries,
    price_rows,
)


def sensitivity(
    scenario: Scenario,
    prices: Mapping[str, ModelEntry] | None = None,
    table: Table | None = None,
) -> Sensitivity:
    """Every drawn input at its low and at its high, the rest at their values (tornado, flips).

    Row 0 holds every input at its value; rows 2j+1 and 2j+2 move input j to its low and high.
    """
    base = build_context(scenario, prices, apply_price_factors=False)
    varied = spreads(base.assumptions, table)
    rows = 1 + 2 * len(varied)
    values: dict[str, Number] = dict(base.assumptions.items())
    for j, spread in enumerate(varied):
        column = np.full(rows, spread.value)
        column[1 + 2 * j], column[2 + 2 * j] = spread.low, spread.high
        values[spread.id] = column
    priced = price_rows(base, values, rows, available_ids(base))
    queries = monthly_queries(scenario, values["calendar.days_per_month"])
    totals = {key: cumulative_rows(c, queries)[-1] for key, c in priced.columns.items()}
    ids = list(totals)
    winner = cheapest_index(np.stack([totals[key] for key in ids])) if ids else None
    cheapest = ids[winner[0]] if winner is not None else None
    table_rows = [
        row
        for key in ids
        for row in _tornado(key, totals[key], varied)
        if row.swing > 0  # inputs the approach does not read move nothing
    ]
    return Sensitivity(
        cheapest=cheapest,
        base_totals={key: float(t[0]) for key, t in totals.items()},
        rows=table_rows,
        flips=_flips(varied, ids, winner) if winner is not None else [],
    )


def _flips(varied: list[InputSpread], ids: list[str], winner: NDArray[np.intp]) -> list[Flip]:
    """Inputs at whose low or high end the cheapest approach (`ids[winner[row]]`) changes."""
    flips = []
    for j, spread in enumerate(varied):
        for at, row, value in (("low", 1 + 2 * j, spread.low), ("high", 2 + 2 * j, spread.high)):
            if winner[row] != winner[0]:
                flips.append(
                    Flip(
                        assumption=spread.id,
                        at=at,
                        value=value,
                        cheapest=ids[winner[row]],
                        instead_of=ids[winner[0]],
                    )
                )
    return flips


def _tornado(
    approach_id: str, totals: NDArray[np.float64], varied: list[InputSpread]
) -> list[SensitivityRow]:
    rows = []
    for j, spread in enumerate(varied):
        low_total, high_total = float(totals[1 + 2 * j]), float(totals[2 + 2 * j])
        if math.isnan(low_total) or math.isnan(high_total):
            continue
        rows.append(
            SensitivityRow(
                approach=approach_id,
                assumption=spread.id,
                low_value=spread.low,
                high_value=spread.high,
                base_total=float(totals[0]),
                low_total=low_total,
                high_total=high_total,
                swing=abs(high_total - low_total),
            )
        )
    return sorted(rows, key=lambda row: -row.swing)  # stable: ties keep the table's order
