"""Closed forms that tests check the engine's searches against (hand algebra, not engine code)."""

from __future__ import annotations

import numpy as np

Number = float | np.ndarray


def break_even_queries_per_day(
    *,
    api_per_query_usd: Number,
    selfhost_per_query_usd: Number,
    selfhost_floor_usd_per_month: Number,
    horizon_months: Number,
    days_per_month: Number = 30.4375,
    extra_setup_usd: Number = 0.0,
    extra_usd_per_month: Number = 0.0,
) -> Number:
    """Daily queries above which self-hosting beats the API over the horizon [queries/day].

    At a constant q queries a day, over H months of d days, with one-off and monthly extras S and M
    for self-hosting (GPU training minus API training, ops hours), floor F and per-query costs c_s
    and c_a: self-hosting = S + H·M + H·max(F, q·d·c_s) and the API = H·q·d·c_a. Both pieces of
    the difference fall with q, so self-hosting wins once q passes both crossings:
    q* = max((S/H + M + F) / (d·c_a), (S/H + M) / (d·(c_a − c_s)), 0).
    Infinite when self-hosting's per-query cost is not below the API's (the API stays cheaper).
    """
    fixed_per_month = extra_setup_usd / horizon_months + extra_usd_per_month
    margin = api_per_query_usd - selfhost_per_query_usd
    with np.errstate(divide="ignore", invalid="ignore"):
        above_floor = (fixed_per_month + selfhost_floor_usd_per_month) / (
            days_per_month * api_per_query_usd
        )
        above_extras = fixed_per_month / (days_per_month * margin)
        crossing = np.maximum(np.maximum(above_floor, above_extras), 0.0)
    return np.asarray(np.where(margin > 0, crossing, np.inf))[()]
