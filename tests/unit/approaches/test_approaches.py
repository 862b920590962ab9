"""Each approach on the pinned small scenario, with the arithmetic written out (conftest.SMALL)."""

from __future__ import annotations

import math

import pytest

from estimators.estimate import estimate
from estimators.scenario import Scenario
from tests.scenarios import BEFORE_RETIREMENTS, scenario_with


def test_prompting_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("prompting")
    # setup: prompting.setup_hours 10 h × $100/h
    assert result.setup_usd == pytest.approx(1000)
    # per query: the 300-token system prompt is under the 1,024-token cache minimum, so
    # (300 system + 100 input) × $2/1M + 200 output × $8/1M = 0.0008 + 0.0016
    assert result.per_query_usd == pytest.approx(0.0024)
    # monthly: upkeep 2 h × 100 + task changes 2/12 × 6 h × 100 + model updates 1/12 × 12 h × 100
    #   + evaluation runs (2 + 1) / 12 × 100 eval examples × 0.0024 = 0.06
    assert result.maintenance_usd_per_month == pytest.approx(200 + 100 + 100 + 0.06)
    # 12 months × (1,000/day × 30 days × 0.0024 + 400.06) + setup 1,000
    assert result.total_usd == pytest.approx(1000 + 12 * (72 + 400.06))


def test_dspy_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("dspy")
    # MIPROv2 light on 200 labelled examples: |val| = min(100, 0.8 × 200) = 100; one module with
    # demos has 2 variables: trials = max(2 × 2 × log2 6, 1.5 × 6) = max(10.34, 9) → 10;
    # program calls = 35 × 10 + 100 × (10 // 5 + 1) = 650; proposer calls = 10 + 3 × 1 + 2 = 15
    # a task call sends 300 system + 2 demos × 500 + 100 input = 1,400 tokens and reads 200:
    task_usd = 650 * (1400 * 2 + 200 * 8) / 1e6  # 650 × 0.0044 = 2.86
    proposer_usd = 15 * (2000 * 2 + 200 * 8) / 1e6  # 15 × 0.0056 = 0.084
    run_usd = task_usd + proposer_usd
    assert run_usd == pytest.approx(2.944)
    # setup: 20 h × 100 + 2 runs
    assert result.setup_usd == pytest.approx(2000 + 2 * run_usd)
    # per query: the 1,300-token prefix (system + demos) passes the 1,024-token minimum; at
    # 1,000 queries a day and a 300 s lifetime, hit = 1 − e^(−1,000 / 86,400 × 300) = 0.96895;
    # prefix price = min(2, 0.96895 × 0.50 + 0.03105 × 2) = 0.54658 per 1M
    hit = 1 - math.exp(-1000 / 86_400 * 300)
    prefix_usd = 1300 * (hit * 0.5 + (1 - hit) * 2) / 1e6
    assert prefix_usd == pytest.approx(0.00071055, rel=1e-4)
    per_query = prefix_usd + 100 * 2 / 1e6 + 200 * 8 / 1e6
    assert result.per_query_usd == pytest.approx(per_query)
    # monthly: upkeep 1 h × 100 + (2 changes + 1 update) / 12 × (run + 3 h × 100)
    #   + evaluation runs 3 / 12 × 100 examples × one query
    expected = 100 + 3 / 12 * (run_usd + 300) + 3 / 12 * 100 * per_query
    assert result.maintenance_usd_per_month == pytest.approx(expected)


def test_rag_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("rag")
    # index: 100 docs × 1,000 tokens × 500 / (500 − 100) overlap factor = 125,000 tokens
    index_tokens = 100 * 1000 * 500 / 400
    # setup: 40 h × 100 + 125,000 × $0.02/1M
    assert result.setup_usd == pytest.approx(4000 + index_tokens * 0.02 / 1e6)
    # vector index: 125,000 / 500 = 250 chunks × (4 × 1,536 + 1,000 metadata bytes) = 1.786 MB;
    # a read costs max(0.25, 0.001786 GB) = 0.25 read units × $16/1M = $0.000004
    index_gb = 250 * (4 * 1536 + 1000) / 1e9
    assert index_gb == pytest.approx(0.001786)
    reads = 0.25 * 16 / 1e6
    # per query: (300 + 2 × 500 + 100) × 2/1e6 + 200 × 8/1M + query embedding 100 × 0.02/1M
    # + reads (the 300-token system prompt is under the cache minimum)
    per_query = 0.0028 + 0.0016 + 0.000002 + reads
    assert result.per_query_usd == pytest.approx(per_query)
    # monthly: storage 0.001786 GB × $0.33 + top-up to the $50 minimum (50 − storage − 30,000
    # queries × 0.000004 reads) = 50 − $0.12 of reads; re-embed 10% of the index; 5 h × 100;
    # 2 changes/12 × 4 h × 100; 1 update/12 × 12 h × 100; evaluation 3/12 × 100 × one query
    reembed = index_tokens * 0.10 * 0.02 / 1e6
    store = 50 - 30_000 * reads
    evaluation = 3 / 12 * 100 * per_query
    expected = store + reembed + 500 + 800 / 12 + 100 + evaluation
    assert result.maintenance_usd_per_month == pytest.approx(expected)


def test_lora_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("lora")
    # 200 examples × 3 = 600 passes: inside 100..25,000, so the default 3 epochs apply;
    # billed tokens 200 × 500 × 3 = 300,000 at $5/1M training on gpt-4.1-mini = $1.50
    assert result.training is not None
    assert (result.training.epochs, result.training.tokens) == (3, 300_000)
    # setup: 100 h × 100 + review min(200, 100 sample) × 3 min / 60 × 100 + scripted checks
    # 4 h × 100 + training 1.50
    assert result.setup_usd == pytest.approx(10_000 + 500 + 400 + 1.5)
    # per query on fine-tuned gpt-4.1-mini: (50 + 100) × 0.80/1M + 200 × 3.20/1M
    per_query = 0.00012 + 0.00064
    assert result.per_query_usd == pytest.approx(per_query)
    # monthly: 8 h × 100 + (2 changes + 1 update + 1 drift) / 12 × (1.50 + 10 h × 100)
    #   + evaluation after each of those 4 retrains: 4 / 12 × 100 examples × one query
    expected = 800 + 4 / 12 * 1001.5 + 4 / 12 * 100 * per_query
    assert result.maintenance_usd_per_month == pytest.approx(expected)


def test_full_fine_tune_costs_match_hand_arithmetic(small_scenario: Scenario) -> None:
    result = estimate(small_scenario).approach("full")
    # training on gpt-4.1: 300,000 tokens × $25/1M = $7.50; labels as for LoRA: 500 + 400
    assert result.setup_usd == pytest.approx(20_000 + 500 + 400 + 7.5)
    # per query: 150 × 3.00/1M + 200 × 12.00/1M
    per_query = 0.00045 + 0.0024
    assert result.per_query_usd == pytest.approx(per_query)
    expected = 1600 + 4 / 12 * 1007.5 + 4 / 12 * 100 * per_query
    assert result.maintenance_usd_per_month == pytest.approx(expected)


def test_explicit_epochs_and_the_models_cap_set_training_tokens() -> None:
    data = {"labelled_examples": 10, "tokens_per_example": 70_000}
    scenario = scenario_with(data=data, fine_tuning={"epochs": 2})
    lora = estimate(scenario).approach("lora")
    # gpt-4.1-mini bills at most 65,536 tokens an example: 10 × 65,536 × 2 epochs
    assert lora.training is not None
    assert lora.training.tokens == 10 * 65_536 * 2
    run = next(i for i in lora.line_items.setup if i.label.startswith("Training run"))
    assert "truncates each example to 65,536 tokens" in run.formula


def test_gpt_4_1_nano_caps_examples_at_its_own_32768_tokens() -> None:
    # gpt-4.1-nano shut down on 2026-10-23: priced as of 2026-10-01, when it still ran
    models = {"general": "gpt-4.1", "small": "gpt-4.1-nano", "large": "gpt-4.1"}
    data = {"labelled_examples": 10, "tokens_per_example": 40_000}
    scenario = scenario_with(data=data, models=models, fine_tuning={"epochs": 1})
    training = estimate(scenario, BEFORE_RETIREMENTS).approach("lora").training
    # 10 × min(40,000, 32,768) × 1 epoch
    assert training is not None
    assert training.tokens == 10 * 32_768


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
