"""What real bills turn on: cached prefixes, cache writes, batch, reasoning tokens, long-context
tiers, vector-store reads and labels, each on the pinned small scenario with the arithmetic
written out (tests/scenarios.py pins cache.lifetime_seconds 300, reasoning 500 tokens)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.catalog import get_model, models
from estimators.estimate import estimate
from estimators.results import Estimate
from estimators.scenario import Scenario
from estimators.token_billing import cache_hit_rate
from tests.scenarios import BEFORE_RETIREMENTS, SMALL, scenario_with
from tests.strategies import scenarios, with_changes

FAST = settings(max_examples=40, deadline=None)


def _item(result: Estimate, approach: str, label_start: str):  # type: ignore[no-untyped-def]
    items = result.approach(approach).line_items
    return next(
        i
        for i in [*items.setup, *items.per_query, *items.monthly]
        if i.label.startswith(label_start)
    )


def _general(model: str, **traffic: object) -> Scenario:
    return scenario_with(models=SMALL["models"] | {"general": model}, traffic=traffic)  # type: ignore[operator]


# --- cached input -------------------------------------------------------------------------------


def test_the_hit_rate_is_one_minus_e_to_the_minus_rate_times_lifetime() -> None:
    # 100 queries a day for 450 s: λT = 100 / 86,400 × 450 = 0.5208 → 1 − e^−0.5208 = 0.406
    assert cache_hit_rate(100, 450) == pytest.approx(0.406, abs=5e-4)
    # 1,000 a day: λT = 5.208 → 0.9945; none at all: nothing is ever warm
    assert cache_hit_rate(1_000, 450) == pytest.approx(0.9945, abs=5e-5)
    assert cache_hit_rate(0, 450) == 0


def test_a_long_system_prompt_is_billed_at_the_cached_price_for_the_hit_rate() -> None:
    result = estimate(_general("gpt-4.1", system_prompt_tokens=1_500))
    prefix = _item(result, "prompting", "System prompt")
    # 1,500 ≥ 1,024 (OpenAI's minimum): hit = 1 − e^(−1,000 / 86,400 × 300) = 0.96895;
    # a miss pays the input price (no write price): 0.96895 × $0.50 + 0.03105 × $2.00 per 1M
    hit = 1 - math.exp(-1000 / 86_400 * 300)
    assert prefix.inputs["cache hit rate"] == pytest.approx(hit)
    assert prefix.usd == pytest.approx(1500 * (hit * 0.5 + (1 - hit) * 2.0) / 1e6)
    assert prefix.usd == pytest.approx(0.00081987, rel=1e-4)


def test_a_prefix_under_the_models_minimum_is_not_discounted() -> None:
    # claude-haiku-4-5 caches prefixes of 4,096 tokens or more: 2,000 pays $1.00 per 1M in full
    result = estimate(_general("claude-haiku-4-5", system_prompt_tokens=2_000))
    prefix = _item(result, "prompting", "System prompt")
    assert prefix.usd == pytest.approx(2000 * 1.0 / 1e6)
    assert "4,096-token cache minimum" in prefix.formula


def test_anthropic_misses_pay_the_write_price_and_caching_stays_off_where_it_does_not_pay() -> None:
    # claude-sonnet-4-5: $3.00 input, $0.30 cached, $3.75 cache write per 1M; 1,500-token prefix
    # (it shut down on 2026-11-30: priced as of 2026-10-01, when it still ran)
    busy = estimate(_general("claude-sonnet-4-5", system_prompt_tokens=1_500), BEFORE_RETIREMENTS)
    hit = 1 - math.exp(-1000 / 86_400 * 300)  # 0.96895
    rate = hit * 0.30 + (1 - hit) * 3.75  # 0.4071 per 1M
    assert _item(busy, "prompting", "System prompt").usd == pytest.approx(1500 * rate / 1e6)
    # 10 queries a day: hit = 1 − e^(−10 / 86,400 × 300) = 0.0341, so 0.0341 × 0.30 +
    # 0.9659 × 3.75 = $3.63 > $3.00: writing the cache would cost more, so it stays off
    quiet = scenario_with(
        models=SMALL["models"] | {"general": "claude-sonnet-4-5"},  # type: ignore[operator]
        traffic={"system_prompt_tokens": 1_500, "queries_per_day": 10},
    )
    quiet_prefix = _item(estimate(quiet, BEFORE_RETIREMENTS), "prompting", "System prompt")
    assert quiet_prefix.usd == pytest.approx(1500 * 3.0 / 1e6)


def test_dspy_demos_are_part_of_the_cached_prefix_and_retrieved_chunks_never_are() -> None:
    result = estimate(scenario_with())
    dspy = _item(result, "dspy", "System prompt and demos")
    # 300 + 2 demos × 500 = 1,300 tokens: over the minimum, cached
    assert "cache hit rate" in dspy.inputs
    rag = _item(result, "rag", "Input tokens")
    # (2 chunks × 500 + 100 input) at the full $2.00 per 1M
    assert rag.usd == pytest.approx(1100 * 2.0 / 1e6)
    assert "cache hit rate" not in rag.inputs


# --- batch --------------------------------------------------------------------------------------


def test_a_batch_share_pays_the_batch_prices_for_that_share() -> None:
    result = estimate(scenario_with(traffic={"batch_share": 0.5}))
    # gpt-4.1 batch: $1.00 in / $4.00 out: half the queries at half price → × 0.75
    assert result.approach("prompting").per_query_usd == pytest.approx(0.0024 * 0.75)
    output = _item(result, "prompting", "Output tokens")
    assert output.usd == pytest.approx(200 * (0.5 * 8 + 0.5 * 4) / 1e6)


def test_a_missing_batch_price_is_half_where_the_provider_documents_it() -> None:
    # gpt-3.5-turbo lists no batch price; OpenAI's Batch API is 50% off: $0.25 / $0.75 per 1M
    # (it shut down on 2026-10-23: priced as of 2026-10-01, when it still ran)
    result = estimate(
        scenario_with(
            models=SMALL["models"] | {"general": "gpt-3.5-turbo"},  # type: ignore[operator]
            traffic={"batch_share": 1.0},
        ),
        BEFORE_RETIREMENTS,
    )
    expected = (300 + 100) * 0.25 / 1e6 + 200 * 0.75 / 1e6
    assert result.approach("prompting").per_query_usd == pytest.approx(expected)


def test_a_provider_without_a_batch_api_keeps_the_list_price_and_says_so() -> None:
    models_ = SMALL["models"] | {"general": "llama-3.1-8b-instruct"}  # type: ignore[operator]
    result = estimate(scenario_with(models=models_, traffic={"batch_share": 1.0}))
    output = _item(result, "prompting", "Output tokens")
    assert output.usd == pytest.approx(200 * 0.05 / 1e6)
    assert "no batch price" in output.formula


def test_fine_tuned_openai_models_take_the_batch_discount_too() -> None:
    lora = estimate(scenario_with(traffic={"batch_share": 1.0})).approach("lora")
    # (50 + 100) × $0.40 + 200 × $1.60 per 1M: half of fine-tuned gpt-4.1-mini's $0.80 / $3.20
    assert lora.per_query_usd == pytest.approx(150 * 0.4 / 1e6 + 200 * 1.6 / 1e6)


# --- reasoning tokens ---------------------------------------------------------------------------


def test_reasoning_tokens_are_their_own_output_line_on_reasoning_models() -> None:
    result = estimate(_general("gpt-5"))
    reasoning = _item(result, "prompting", "Reasoning tokens on gpt-5")
    # reasoning.tokens_per_query is pinned at 500: 500 × $10.00 per 1M
    assert reasoning.usd == pytest.approx(500 * 10 / 1e6)
    assert reasoning.assumption_ids == ["reasoning.tokens_per_query"]
    # set in the scenario: 2,000 × $10.00 per 1M
    chosen = estimate(_general("gpt-5", reasoning_tokens=2_000))
    assert _item(chosen, "prompting", "Reasoning").usd == pytest.approx(0.02)


def test_models_that_reason_only_when_asked_bill_none_unless_the_scenario_sets_them() -> None:
    # gpt-5.4: reasoning.effort is "none" by default (its model page); no item, and the output
    # line says why and how to price an effort
    result = estimate(_general("gpt-5.4"))
    labels = [i.label for i in result.approach("prompting").line_items.per_query]
    assert not any(label.startswith("Reasoning") for label in labels)
    output = _item(result, "prompting", "Output tokens on gpt-5.4")
    assert "gpt-5.4 reasons only when asked" in output.formula
    assert "set traffic.reasoning_tokens" in output.formula
    # set in the scenario: 2,000 × $15.00 per 1M, under the scenario's own field
    chosen = estimate(_general("gpt-5.4", reasoning_tokens=2_000))
    reasoning = _item(chosen, "prompting", "Reasoning tokens on gpt-5.4")
    assert reasoning.usd == pytest.approx(2_000 * 15 / 1e6)
    assert reasoning.assumption_ids == []
    assert "reasons only when asked" not in _item(chosen, "prompting", "Output tokens").formula


def test_every_reasoning_model_says_whether_it_reasons_by_default_and_where_that_is_written() -> (
    None
):
    reasoning = [m for m in models().values() if m.supports_reasoning]
    assert len(reasoning) >= 20
    for model in reasoning:
        assert model.reasons_by_default is not None, model.id
        assert len(model.reasoning_default_source) > 30, model.id
    off = {m.id for m in reasoning if m.reasons_by_default is False}
    assert {"gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "claude-sonnet-4-5"} <= off
    assert not {"gpt-5", "gpt-5.6-sol", "gpt-6-sol", "gemini-2.5-pro"} & off


def test_models_that_do_not_reason_bill_no_reasoning_tokens() -> None:
    result = estimate(scenario_with(traffic={"reasoning_tokens": 2_000}))
    labels = [i.label for i in result.approach("prompting").line_items.per_query]
    assert not any(label.startswith("Reasoning") for label in labels)


# --- long-context tiers -------------------------------------------------------------------------


def test_a_prompt_past_the_long_context_tier_is_billed_at_the_tier() -> None:
    # gemini-2.5-pro shut down on 2026-10-20: priced as of 2026-10-01, when it still ran
    result = estimate(_general("gemini-2.5-pro", input_tokens=250_000), BEFORE_RETIREMENTS)
    prompting = result.approach("prompting")
    # 300 + 250,000 tokens > 200,000: input $2.50, output $15.00 per 1M instead of $1.25 / $10
    # (the 300-token system prompt is under gemini-2.5-pro's 2,048-token cache minimum)
    expected = 250_300 * 2.5 / 1e6 + 200 * 15 / 1e6 + 500 * 15 / 1e6  # + 500 reasoning tokens
    assert prompting.per_query_usd == pytest.approx(expected)
    assert "200,000-token long-context tier" in _item(result, "prompting", "Input").formula
    # under the tier the base prices hold
    short = estimate(_general("gemini-2.5-pro", input_tokens=1_000), BEFORE_RETIREMENTS)
    short = short.approach("prompting")
    assert short.per_query_usd == pytest.approx(1300 * 1.25 / 1e6 + 700 * 10 / 1e6)


# --- vector store -------------------------------------------------------------------------------


def test_managed_vector_store_reads_grow_with_volume_past_the_minimum() -> None:
    # 1,000,000 documents × 1,000 tokens / (500 − 100) = 2.5M chunks × 7,144 bytes = 17.86 GB:
    # every query reads 17.86 units × $16 per 1M = $0.000286; storage 17.86 × $0.33 = $5.89
    kb = {"documents": 1_000_000, "tokens_per_document": 1_000, "changed_pct_per_month": 0}
    data = SMALL["data"] | {"knowledge_base": kb}  # type: ignore[operator]
    result = estimate(scenario_with(data=data, traffic={"queries_per_day": 100_000}))
    reads = _item(result, "rag", "Vector store reads")
    gb = 2_500_000 * (4 * 1536 + 1000) / 1e9
    assert reads.inputs["index GB"] == pytest.approx(17.86)
    assert reads.usd == pytest.approx(gb * 16 / 1e6)
    assert _item(result, "rag", "Vector store storage").usd == pytest.approx(gb * 0.33)
    # 100,000 × 30 × $0.000286 = $857 of reads a month: far over the $50 minimum, no top-up
    assert _item(result, "rag", "Vector store minimum top-up").usd == 0


def test_a_self_hosted_vector_store_is_the_flat_monthly_figure() -> None:
    kb = SMALL["data"]["knowledge_base"] | {"vector_store": "self_hosted"}  # type: ignore[index]
    result = estimate(scenario_with(data=SMALL["data"] | {"knowledge_base": kb}))  # type: ignore[operator]
    rag = result.approach("rag")
    assert _item(result, "rag", "Vector store hosting").usd == 30
    assert not any(i.label.startswith("Vector store reads") for i in rag.line_items.per_query)


# --- labels -------------------------------------------------------------------------------------


def test_human_labels_are_paid_per_example_on_top_of_the_review() -> None:
    data = SMALL["data"] | {"labels_source": "human"}  # type: ignore[operator]
    labels = _item(estimate(scenario_with(data=data)), "lora", "Training labels")
    # 200 × $2 + review min(200, 100) × 3 min / 60 × $100 + scripted checks 4 h × $100
    assert labels.usd == pytest.approx(400 + 500 + 400)


def test_distilled_labels_pay_the_teacher_at_batch_prices() -> None:
    data = SMALL["data"] | {"labels_source": "distilled"}  # type: ignore[operator]
    labels = _item(estimate(scenario_with(data=data)), "lora", "Training labels")
    # 200 examples × 1.5 attempts × ((300 + 100) × $1.00 + 200 × $4.00) / 1M on gpt-4.1's
    # batch prices = $0.36, plus the same review and checks ($900)
    assert labels.usd == pytest.approx(200 * 1.5 * (400 * 1.0 + 200 * 4.0) / 1e6 + 900)


def test_a_large_labelled_set_no_longer_costs_minutes_for_every_example() -> None:
    data = SMALL["data"] | {"labelled_examples": 50_000}  # type: ignore[operator]
    labels = _item(estimate(scenario_with(data=data)), "lora", "Training labels")
    # the review stays at the 100-example sample: 500 + 400, not 50,000 × 3 min × $100 / 60
    assert labels.usd == pytest.approx(900)


# --- evaluation ---------------------------------------------------------------------------------


def test_every_api_approach_prices_its_evaluation_runs() -> None:
    result = estimate(scenario_with())
    for approach in result.approaches:
        item = _item(result, approach.id, "Evaluation runs")
        assert item.usd > 0 and item.assumption_ids == ["eval.set_examples"]


# --- properties ---------------------------------------------------------------------------------


def _without_caching() -> dict[str, object]:
    return {
        key: entry.model_copy(
            update={"cached_input_usd_per_mtok": None, "cache_write_usd_per_mtok": None}
        )
        for key, entry in models().items()
    }


@FAST
@given(scenarios)
def test_caching_never_raises_a_cost(scenario: Scenario) -> None:
    cached, uncached = estimate(scenario), estimate(scenario, _without_caching())  # type: ignore[arg-type]
    for a, b in zip(cached.approaches, uncached.approaches, strict=True):
        if a.per_query_usd is not None:
            assert a.per_query_usd <= b.per_query_usd * (1 + 1e-12)  # type: ignore[operator]


def _halved(model_id: str) -> bool:
    m = get_model(model_id)
    halves = m.batch_input_usd_per_mtok == pytest.approx(0.5 * (m.input_usd_per_mtok or 0))
    return bool(
        halves and m.batch_output_usd_per_mtok == pytest.approx(0.5 * m.output_usd_per_mtok)
    )  # type: ignore[operator]


@FAST
@given(scenarios)
def test_a_batch_share_of_one_halves_the_token_cost_where_batch_is_half_price(
    scenario: Scenario,
) -> None:
    if not _halved(scenario.models.general):
        return
    batched = with_changes(scenario, "traffic", batch_share=1.0)
    for approach in ("prompting", "dspy"):
        full_price = estimate(scenario).approach(approach)
        half_price = estimate(batched).approach(approach)
        if full_price.available:
            assert half_price.per_query_usd == pytest.approx(full_price.per_query_usd * 0.5)  # type: ignore[operator]


@FAST
@given(scenarios, st.integers(0, 20_000), st.integers(0, 20_000))
def test_more_reasoning_tokens_never_lower_a_cost(scenario: Scenario, a: int, b: int) -> None:
    fewer = estimate(with_changes(scenario, "traffic", reasoning_tokens=min(a, b)))
    more = estimate(with_changes(scenario, "traffic", reasoning_tokens=max(a, b)))
    for x, y in zip(fewer.approaches, more.approaches, strict=True):
        if x.total_usd is not None:
            assert y.total_usd >= x.total_usd * (1 - 1e-12)  # type: ignore[operator]
