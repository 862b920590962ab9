"""The timeline and break-even search, on hand-built pricings and the pinned small scenario."""

from __future__ import annotations

import numpy as np
import pytest

from estimators.estimate import estimate
from estimators.timeline import (
    Pricing,
    crossing_month,
    crossing_volume,
    cumulative_usd,
    horizon_totals_usd,
    queries_per_month,
    usage_usd,
)
from tests.scenarios import scenario_with


def test_monthly_growth_compounds() -> None:
    # 1,000/day × 30 days, then × 1.10 each month
    assert queries_per_month(1000, 10, 30, 3) == pytest.approx([30_000, 33_000, 36_300])


def test_crossing_month_is_the_first_month_the_order_changes() -> None:
    # a: 1,000 setup + 7,600/month; b: 11,001.5 setup + 3,413.83/month
    # a catches up when 1,000 + 7,600 m >= 11,001.5 + 3,413.83 m, i.e. m >= 2.39 → month 3
    cum_a = [1000 + 7600 * m for m in range(13)]
    cum_b = [11_001.5 + 3413.83 * m for m in range(13)]
    assert crossing_month(cum_a, cum_b, "a", "b") == (3, "b")


def test_crossing_month_is_none_when_the_order_never_changes() -> None:
    assert crossing_month([0, 1, 2], [5, 6, 7], "a", "b") is None


def test_break_even_volume_between_prompting_and_lora_matches_hand_arithmetic() -> None:
    result = estimate(scenario_with())
    pair = next(b for b in result.break_even if (b.a, b.b) == ("prompting", "lora"))
    # prompting: 1,000 + 12 × 400.06 + 0.0024 × q × 30 × 12 = 5,800.72 + 0.864 q
    # lora: 10,901.5 + 12 × 1,133.858667 + 0.00076 × q × 360 = 24,507.804 + 0.2736 q
    #   (monthly 800 + 4/12 × 1,001.5 + evaluation 4/12 × 100 × 0.00076 = 1,133.858667)
    # equal at q = 18,707.084 / 0.5904 queries/day; above it LoRA is cheaper
    assert pair.daily_queries == pytest.approx(18_707.084 / 0.5904)
    assert pair.cheaper_above_daily_queries == "lora"
    assert pair.month is None  # at 1,000/day LoRA never catches up within 12 months


def test_break_even_month_at_high_volume() -> None:
    result = estimate(scenario_with(traffic={"queries_per_day": 100_000}))
    pair = next(b for b in result.break_even if (b.a, b.b) == ("prompting", "lora"))
    # per month: prompting 400.06 + 0.0024 × 3,000,000 = 7,600.06; lora 1,133.86 + 0.00076 × 3e6
    # = 3,413.86; setups 1,000 and 10,901.5: 9,901.5 / 4,186.2 = 2.37, so month 3
    assert (pair.month, pair.cheaper_after_month) == (3, "lora")


def test_usage_floor_moves_the_crossing_volume_onto_the_floor() -> None:
    # a: $0.01 a query, no floor; b: $0.001 a query but never less than $100 a month.
    # One 30-day month: a = 0.3 q, b = max(0.03 q, 100); they meet on b's floor at q = 333.3
    a = Pricing("a", 0, 0.01, 0, 0)
    b = Pricing("b", 0, 0.001, 0, 100)
    volume, cheaper = crossing_volume(a, b, [30.0])  # type: ignore[misc]
    assert volume == pytest.approx(100 / 0.3)
    assert cheaper == "b"


def test_no_crossing_when_one_approach_is_cheaper_at_every_volume() -> None:
    a = Pricing("a", 0, 0.001, 0, 0)
    b = Pricing("b", 10, 0.002, 5, 0)
    assert crossing_volume(a, b, [30.0] * 12) is None


def test_the_usage_floor_does_not_cover_the_unfloored_part_of_a_query() -> None:
    # A self-hosted fine-tune behind retrieval: $0.001 a query on the GPUs (floor $500/month)
    # plus $0.0002 of embedding and store reads billed beside them. At 10,000 queries a month
    # the GPUs' 10 < 500, so the month costs 500 + 0.0002 × 10,000 = 502 (not max(12, 500)).
    pricing = Pricing("rag_lora", 0.0, 0.0012, 0.0, 500.0, 0.0002)
    assert usage_usd(pricing, [10_000.0]) == pytest.approx(502.0)
    assert cumulative_usd(pricing, [10_000.0, 1e6]) == pytest.approx([0, 502, 502 + 1200])
    # horizon totals and the crossing search read the same rule
    assert horizon_totals_usd(pricing, np.array([10_000.0 / 30]), np.array([30.0]))[
        0
    ] == pytest.approx(502.0)
