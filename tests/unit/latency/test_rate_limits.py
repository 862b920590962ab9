"""Rate-limit tiers: the busiest minute, each provider's counting rule, the tier at its edges."""

from __future__ import annotations

import pytest

from estimators.catalog import models
from estimators.estimate import estimate
from estimators.latency.rate_limits import Tier, check, family_of, rate_limit_table, tier_for
from tests.unit.latency.test_latency import pinned

# 36,000 queries a day at twice the average: 36,000 / 86,400 × 2 × 60 = 50 requests a minute.
QUERIES_PER_DAY = 36_000


def test_the_busiest_minute_is_daily_queries_over_1440_times_the_peak_ratio() -> None:
    result = check("claude-haiku-4-5", QUERIES_PER_DAY, 2.0, 1000, 200)
    assert result is not None
    assert result.requests_per_min == pytest.approx(50)
    assert result.input_tokens_per_min == pytest.approx(50_000)
    assert result.output_tokens_per_min == pytest.approx(10_000)


def test_anthropic_input_and_output_limits_met_exactly_fit_the_tier() -> None:
    # Haiku 4.5 Tier 1: 50 RPM, 50k input and 10k output tokens a minute; all three met exactly
    result = check("claude-haiku-4-5", QUERIES_PER_DAY, 2.0, 1000, 200)
    assert result is not None
    assert result.tier == "Tier 1" and result.counting == "input_and_output_separately"
    assert result.tier_limits == {"rpm": 50, "itpm": 50_000, "otpm": 10_000}


def test_one_output_token_more_needs_the_next_anthropic_tier() -> None:
    # 50 × 201 = 10,050 output tokens a minute > 10k, though input stays within Tier 1
    result = check("claude-haiku-4-5", QUERIES_PER_DAY, 2.0, 1000, 201)
    assert result is not None and result.tier == "Tier 2"


def test_openai_counts_input_plus_output_against_one_limit() -> None:
    # gpt-4.1 Tier 1: 500 RPM, 30k TPM. 10 RPM (7,200 a day at 2×) × (2,500 + 500) = 30,000
    fits = check("gpt-4.1", 7_200, 2.0, 2_500, 500)
    over = check("gpt-4.1", 7_200, 2.0, 2_500, 501)
    assert fits is not None and over is not None
    assert fits.requests_per_min == pytest.approx(10)
    assert fits.tier == "Tier 1"
    assert over.tier == "Tier 2" and over.tier_limits == {"rpm": 5000, "tpm": 450_000}


def test_a_daily_request_limit_counts_the_whole_day() -> None:
    # gpt-4.1-mini Tier 1 allows 10,000 requests a day
    assert check("gpt-4.1-mini", 10_000, 2.0, 100, 10).tier == "Tier 1"  # type: ignore[union-attr]
    assert check("gpt-4.1-mini", 10_001, 2.0, 100, 10).tier == "Tier 2"  # type: ignore[union-attr]


def test_past_the_top_tier_a_plan_needs_custom_limits_not_a_refusal() -> None:
    # gpt-4.1 Tier 5: 10k RPM, 30M TPM. 5M queries a day at 2×: 6,944 RPM × 5,000 tokens = 34.7M
    result = check("gpt-4.1", 5_000_000, 2.0, 4_500, 500)
    assert result is not None
    assert result.tier == "needs custom limits"
    assert not result.within_published_tiers
    assert result.tier_limits == {"rpm": 10_000, "tpm": 30_000_000}
    assert result.top_tier == "Tier 5"


def test_tiers_are_tried_lowest_first() -> None:
    tiers = [Tier(name="A", rpm=10, tpm=100), Tier(name="B", rpm=100, tpm=1_000)]
    assert tier_for(tiers, {"rpm": 10, "tpm": 100}) == tiers[0]
    assert tier_for(tiers, {"rpm": 10.001, "tpm": 100}) == tiers[1]
    assert tier_for(tiers, {"rpm": 100, "tpm": 1_000.5}) is None


def test_gemini_limits_are_marked_indicative() -> None:
    result = check("gemini-2.5-flash", 100, 2.0, 100, 100)
    assert result is not None and result.indicative
    assert result.tier == "Free"


def test_every_family_names_catalogue_models_and_cites_a_dated_source() -> None:
    table = rate_limit_table()
    for family in table.families:
        assert set(family.models) <= set(models()), family.id
        assert family.source and family.as_of, family.id
    assert all(p.source and p.qualification for p in table.providers.values())


def test_a_model_without_tiers_on_file_gets_no_check() -> None:
    assert family_of("gpt-4o") is None
    assert check("gpt-4o", 1000, 2.0, 100, 100) is None


def test_the_estimate_checks_the_general_model_at_the_last_months_peak() -> None:
    # 1,000 queries a day growing 10% a month: month 12 has 1,000 × 1.1^11 = 2,853 a day
    latency = estimate(pinned(traffic={"monthly_growth_pct": 10})).approach("prompting").latency
    assert latency is not None and latency.rate_limit is not None
    rate = latency.rate_limit
    assert rate.queries_per_day == pytest.approx(1000 * 1.1**11)
    # prompting sends 300 + 100 tokens and reads 200 at 2,853 / 86,400 × 2 × 60 requests/min
    rpm = 1000 * 1.1**11 / 86_400 * 2 * 60
    assert rate.input_tokens_per_min == pytest.approx(rpm * 400)
    assert rate.output_tokens_per_min == pytest.approx(rpm * 200)
