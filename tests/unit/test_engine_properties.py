"""Invariants of the cost engine over any valid scenario (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.estimate import estimate
from estimators.results import Estimate
from estimators.scenario import Scenario, parse_scenario
from tests.strategies import scenarios, with_changes

FAST = settings(max_examples=60, deadline=None)


def _numbers(result: Estimate) -> list[float]:
    out: list[float] = []
    for a in result.approaches:
        for value in (a.setup_usd, a.per_query_usd, a.maintenance_usd_per_month, a.total_usd):
            if value is not None:
                out.append(value)
        out += a.cumulative_usd or []
        items = a.line_items
        out += [i.usd for i in [*items.setup, *items.per_query, *items.monthly]]
    if result.mix is not None:
        mix = result.mix
        out += [v for v in (mix.setup_usd, mix.per_query_usd, mix.total_usd) if v is not None]
        out += mix.cumulative_usd or []
    return out


def _totals(result: Estimate) -> dict[str, float | None]:
    mix = {"mix": result.mix.total_usd} if result.mix else {}
    return {a.id: a.total_usd for a in result.approaches} | mix


@FAST
@given(scenarios)
def test_every_figure_is_finite_and_non_negative(scenario: Scenario) -> None:
    for value in _numbers(estimate(scenario)):
        assert math.isfinite(value) and value >= 0


@FAST
@given(scenarios, st.floats(1.0, 10.0))
def test_totals_never_fall_when_volume_rises(scenario: Scenario, factor: float) -> None:
    more = with_changes(
        scenario, "traffic", queries_per_day=scenario.traffic.queries_per_day * factor
    )
    before, after = _totals(estimate(scenario)), _totals(estimate(more))
    for key, total in before.items():
        if total is not None:
            assert after[key] is not None and after[key] >= total * (1 - 1e-12)


@FAST
@given(scenarios, st.integers(1, 120))
def test_totals_never_fall_when_the_horizon_grows(scenario: Scenario, months: int) -> None:
    data = scenario.model_dump(mode="json") | {
        "horizon_months": max(months, scenario.horizon_months)
    }
    before, after = _totals(estimate(scenario)), _totals(estimate(parse_scenario(data)))
    for key, total in before.items():
        if total is not None:
            assert after[key] >= total * (1 - 1e-12)  # type: ignore[operator]


@FAST
@given(scenarios, st.floats(1.0, 5.0))
def test_totals_never_fall_when_prices_rise(scenario: Scenario, factor: float) -> None:
    from estimators.catalog import models
    from estimators.price_factors import scale_prices

    # Every price of the scenario's models × factor: list, cached, cache-write, batch, tiers,
    # training and fine-tuned inference. (Raising list prices alone can lower a total rightly:
    # caching a prefix starts to pay once the list price passes the cache prices.)
    prices = scale_prices(models(), scenario, factor, factor)
    before, after = _totals(estimate(scenario)), _totals(estimate(scenario, prices))
    for key, total in before.items():
        if total is not None:
            assert after[key] >= total * (1 - 1e-12)  # type: ignore[operator]


@FAST
@given(scenarios, st.floats(0, 5e6))
def test_per_query_cost_depends_on_volume_only_through_the_cache_hit_rate(
    scenario: Scenario, volume: float
) -> None:
    # More traffic keeps a cached prefix warm (hit rate 1 − e^(−λT)); nothing else per query
    # moves with volume.
    other = with_changes(scenario, "traffic", queries_per_day=volume)
    low, high = sorted([scenario, other], key=lambda s: s.traffic.queries_per_day)
    for x, y in zip(estimate(low).approaches, estimate(high).approaches, strict=True):
        if x.training is not None and x.training.hosting == "self_hosted":
            continue  # the serving GPU is chosen for the traffic, so its per-query cost moves
        for a, b in zip(x.line_items.per_query, y.line_items.per_query, strict=True):
            if "cache hit rate" in a.inputs:
                assert b.usd <= a.usd * (1 + 1e-12)
            else:
                assert a.usd == b.usd


@FAST
@given(scenarios)
def test_break_even_months_lie_inside_the_horizon_or_are_null(scenario: Scenario) -> None:
    result = estimate(scenario)
    ids = {a.id for a in result.approaches if a.available}
    for pair in result.break_even:
        assert {pair.a, pair.b} <= ids
        if pair.month is not None:
            assert 1 <= pair.month <= scenario.horizon_months
            assert pair.cheaper_after_month in (pair.a, pair.b)
        if pair.daily_queries is not None:
            assert pair.daily_queries >= 0
            assert pair.cheaper_above_daily_queries in (pair.a, pair.b)


@FAST
@given(scenarios)
def test_the_cheapest_approach_has_the_lowest_total(scenario: Scenario) -> None:
    result = estimate(scenario)
    totals = [a.total_usd for a in result.approaches if a.total_usd is not None]
    if result.cheapest is None:
        assert totals == []
    else:
        assert result.approach(result.cheapest).total_usd == min(totals)
