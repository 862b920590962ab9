"""Each approach on the pinned small scenario, with the arithmetic written out (conftest.SMALL)."""

from __future__ import annotations

import pytest

from estimators.estimate import estimate
from estimators.scenario import Scenario
from tests.scenarios import scenario_with


def test_prompting_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("prompting")
    # setup: prompting.setup_hours 10 h × $100/h
    assert result.setup_usd == pytest.approx(1000)
    # per query: (300 system + 100 input) × $2/1M + 200 output × $8/1M = 0.0008 + 0.0016
    assert result.per_query_usd == pytest.approx(0.0024)
    # monthly: upkeep 2 h × 100 + task changes 2/12 × 6 h × 100 + model updates 1/12 × 12 h × 100
    assert result.maintenance_usd_per_month == pytest.approx(200 + 100 + 100)
    # 12 months × (1,000/day × 30 days × 0.0024 + 400) + setup 1,000
    assert result.total_usd == pytest.approx(1000 + 12 * (72 + 400))


def test_dspy_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("dspy")
    # a call sends 300 system + 2 demos × 500 + 100 input = 1,400 tokens and reads 200:
    # 1,400 × 2/1M + 200 × 8/1M = 0.0044 per call; one run = 100 calls = $0.44
    run_usd = 100 * (1400 * 2 + 200 * 8) / 1e6
    assert run_usd == pytest.approx(0.44)
    # setup: 20 h × 100 + 2 runs × 0.44
    assert result.setup_usd == pytest.approx(2000 + 2 * 0.44)
    # per query: the same 1,400 input and 200 output tokens as an optimisation call
    assert result.per_query_usd == pytest.approx(0.0044)
    # monthly: upkeep 1 h × 100 + (2 changes + 1 update) / 12 × (0.44 + 3 h × 100)
    assert result.maintenance_usd_per_month == pytest.approx(100 + 3 / 12 * (0.44 + 300))


def test_rag_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("rag")
    # index: 100 docs × 1,000 tokens × 500 / (500 − 100) overlap factor = 125,000 tokens
    index_tokens = 100 * 1000 * 500 / 400
    # setup: 40 h × 100 + 125,000 × $0.02/1M
    assert result.setup_usd == pytest.approx(4000 + index_tokens * 0.02 / 1e6)
    # per query: (300 + 2 × 500 + 100) × 2/1M + 200 × 8/1M + query embedding 100 × 0.02/1M
    assert result.per_query_usd == pytest.approx(0.0028 + 0.0016 + 0.000002)
    # monthly: store 30 + re-embed 10% of the index + 5 h × 100
    #   + 2 changes/12 × 4 h × 100 + 1 update/12 × 12 h × 100
    reembed = index_tokens * 0.10 * 0.02 / 1e6
    assert result.maintenance_usd_per_month == pytest.approx(30 + reembed + 500 + 800 / 12 + 100)


def test_lora_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("lora")
    # 200 examples × 3 = 600 passes: inside 100..25,000, so the default 3 epochs apply;
    # billed tokens 200 × 500 × 3 = 300,000 at $5/1M training on gpt-4.1-mini = $1.50
    assert result.training is not None
    assert (result.training.epochs, result.training.tokens) == (3, 300_000)
    # setup: 100 h × 100 + curation 200 × 3 min / 60 × 100 + training 1.50
    assert result.setup_usd == pytest.approx(10_000 + 1000 + 1.5)
    # per query on fine-tuned gpt-4.1-mini: (50 + 100) × 0.80/1M + 200 × 3.20/1M
    assert result.per_query_usd == pytest.approx(0.00012 + 0.00064)
    # monthly: 8 h × 100 + (2 changes + 1 update + 1 drift) / 12 × (1.50 + 10 h × 100)
    assert result.maintenance_usd_per_month == pytest.approx(800 + 4 / 12 * 1001.5)


def test_full_fine_tune_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("full")
    # training on gpt-4.1: 300,000 tokens × $25/1M = $7.50
    assert result.setup_usd == pytest.approx(20_000 + 1000 + 7.5)
    # per query: 150 × 3.00/1M + 200 × 12.00/1M
    assert result.per_query_usd == pytest.approx(0.00045 + 0.0024)
    assert result.maintenance_usd_per_month == pytest.approx(1600 + 4 / 12 * 1007.5)


def test_explicit_epochs_and_billing_cap_set_training_tokens() -> None:
    data = {"labelled_examples": 10, "tokens_per_example": 20_000}
    scenario = scenario_with(data=data, fine_tuning={"epochs": 2})
    training = estimate(scenario).approach("lora").training
    # each example is billed at most 16,385 tokens: 10 × 16,385 × 2 epochs
    assert training is not None
    assert training.tokens == 10 * 16_385 * 2


def test_model_without_fine_tuning_offer_is_unavailable_with_a_reason() -> None:
    models = {"general": "gpt-4.1", "small": "gpt-5-mini", "large": "gpt-4.1"}
    result = estimate(scenario_with(models=models))
    lora = result.approach("lora")
    assert not lora.available
    assert "gpt-5-mini" in lora.unavailable_reason
    assert "gpt-4.1-mini" in lora.unavailable_reason  # says what would work
    assert lora.total_usd is None and lora.setup_usd is None
    assert result.approach("full").available  # the rest is compared as usual


def test_empty_knowledge_base_makes_rag_unavailable() -> None:
    kb = {"documents": 0, "tokens_per_document": 0, "changed_pct_per_month": 0}
    data = {"labelled_examples": 200, "tokens_per_example": 500, "knowledge_base": kb}
    rag = estimate(scenario_with(data=data)).approach("rag")
    assert not rag.available
    assert "knowledge_base" in rag.unavailable_reason


def test_no_labelled_examples_makes_fine_tunes_unavailable() -> None:
    data = {"labelled_examples": 0, "tokens_per_example": 500}
    result = estimate(scenario_with(data=data))
    assert not result.approach("lora").available
    assert not result.approach("full").available
    assert result.approach("prompting").available


def test_open_weights_model_without_hosted_price_cannot_serve_prompting() -> None:
    models = {"general": "qwen2.5-14b-instruct", "small": "gpt-4.1-mini", "large": "gpt-4.1"}
    result = estimate(scenario_with(models=models))
    assert not result.approach("prompting").available
    assert "qwen2.5-14b-instruct" in result.approach("prompting").unavailable_reason


def test_overlap_not_smaller_than_chunk_is_a_clear_error() -> None:
    from estimators.scenario import ScenarioError

    pinned = dict(scenario_with().assumptions) | {"rag.chunk_overlap_tokens": 500}
    with pytest.raises(ScenarioError, match=r"rag\.chunk_overlap_tokens"):
        scenario_with(assumptions=pinned)


def test_every_line_item_names_its_formula_inputs_and_sources(small_scenario: Scenario) -> None:
    for approach in estimate(small_scenario).approaches:
        items = approach.line_items
        for item in [*items.setup, *items.per_query, *items.monthly]:
            assert item.formula and item.inputs, item.label
            for assumption_id in item.assumption_ids:
                assert item.sources[assumption_id], (item.label, assumption_id)


def test_system_prompt_text_is_counted_with_the_general_models_tokenizer() -> None:
    from estimators.tokens import get_encoding  # tiktoken's own Encoding, files prepared offline

    text = (
        "You are Acme's support agent. Cite KB IDs like [KB-1042]; never invent one. 日本語も可。"
    )
    scenario = scenario_with(traffic={"system_prompt": text, "system_prompt_tokens": 9999})
    # gpt-4.1 uses o200k_base; the text's count replaces system_prompt_tokens
    tokens = len(get_encoding("o200k_base").encode(text))
    # prompting per query: (tokens + 100 input) × $2/1M + 200 × $8/1M
    expected = (tokens + 100) * 2 / 1e6 + 200 * 8 / 1e6
    assert estimate(scenario).approach("prompting").per_query_usd == pytest.approx(expected)
