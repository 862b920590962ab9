"""RAG on a LoRA fine-tune of the small model, on the pinned small scenario (conftest.SMALL)."""

from __future__ import annotations

import pytest

from estimators.estimate import estimate
from estimators.scenario import Scenario
from tests.scenarios import scenario_with

# From tests/unit/approaches/test_approaches.py: RAG's index and LoRA's fine-tune by hand.
INDEX_TOKENS = 100 * 1000 * 500 / 400  # 125,000 tokens with the 500/100 chunk overlap
RAG_SETUP = 4000 + INDEX_TOKENS * 0.02 / 1e6
LORA_SETUP = 10_000 + 500 + 400 + 1.5
READS = 0.25 * 16 / 1e6  # one query's store reads [USD]


def test_setup_is_the_index_and_the_fine_tune_both_built(small_scenario: Scenario) -> None:
    result = estimate(small_scenario)
    rag_lora = result.approach("rag_lora")
    assert rag_lora.setup_usd == pytest.approx(RAG_SETUP + LORA_SETUP)
    assert rag_lora.setup_usd == pytest.approx(
        result.approach("rag").setup_usd + result.approach("lora").setup_usd
    )


def test_a_query_is_the_fine_tuned_small_model_reading_the_chunks(small_scenario: Scenario) -> None:
    rag_lora = estimate(small_scenario).approach("rag_lora")
    # fine-tuned gpt-4.1-mini: (50 system + 2 × 500 chunks + 100 input) × 0.80/1M
    #   + 200 × 3.20/1M; then the query's embedding 100 × 0.02/1M and the store's reads
    per_query = 1150 * 0.80 / 1e6 + 200 * 3.20 / 1e6 + 100 * 0.02 / 1e6 + READS
    assert rag_lora.per_query_usd == pytest.approx(per_query)
    labels = [item.label for item in rag_lora.line_items.per_query]
    assert labels == [
        "Input tokens on fine-tuned gpt-4.1-mini",
        "Output tokens on fine-tuned gpt-4.1-mini",
        "Embed the query with text-embedding-3-small",
        "Vector store reads (managed)",
    ]


def test_upkeep_is_both_kept_alive_with_one_evaluation(small_scenario: Scenario) -> None:
    rag_lora = estimate(small_scenario).approach("rag_lora")
    per_query = rag_lora.per_query_usd
    # RAG without its evaluation: store top-up, re-embedding, 5 h, task changes, model update
    store = 50 - 30_000 * READS
    reembed = INDEX_TOKENS * 0.10 * 0.02 / 1e6
    rag_upkeep = store + reembed + 500 + 800 / 12 + 100
    # LoRA: 8 h + 4 retrains a year × (1.50 + 10 h) + evaluation after each, at this query cost
    lora_upkeep = 800 + 4 / 12 * 1001.5 + 4 / 12 * 100 * per_query
    assert rag_lora.maintenance_usd_per_month == pytest.approx(rag_upkeep + lora_upkeep)
    evaluations = [i for i in rag_lora.line_items.monthly if i.label.startswith("Evaluation")]
    assert len(evaluations) == 1


def test_it_cannot_run_without_a_knowledge_base() -> None:
    empty = scenario_with(data={"knowledge_base": {"documents": 0}})
    rag_lora = estimate(empty).approach("rag_lora")
    assert not rag_lora.available
    assert rag_lora.unavailable_reason.startswith("data.knowledge_base is empty")


def test_it_cannot_run_without_a_fine_tuning_offer() -> None:
    models = {"general": "gpt-4.1", "small": "gpt-5-mini", "large": "gpt-4.1"}
    rag_lora = estimate(scenario_with(models=models)).approach("rag_lora")
    assert not rag_lora.available
    assert "has no fine-tuning offer" in rag_lora.unavailable_reason


def test_its_latency_searches_then_prefills_the_chunks(small_scenario: Scenario) -> None:
    result = estimate(small_scenario)
    rag_lora, lora = result.approach("rag_lora").latency, result.approach("lora").latency
    assert rag_lora is not None and lora is not None
    ids = [item.id for item in rag_lora.items]
    assert ids[:2] == ["embed_query", "vector_search"]
    assert "prefill_chunks" in ids
    chunks = next(i for i in rag_lora.items if i.id == "prefill_chunks")
    assert chunks.inputs["rag.top_k × rag.chunk_tokens"] == 2 * 500
    assert rag_lora.p50_ms > lora.p50_ms


def test_self_hosted_it_serves_the_chunks_on_the_small_model() -> None:
    scenario = scenario_with(
        models={"general": "gpt-4.1", "small": "llama-3.1-8b-instruct", "large": "gpt-4.1"},
        fine_tuning={"hosting": "self_hosted"},
    )
    result = estimate(scenario)
    rag_lora, lora = result.approach("rag_lora"), result.approach("lora")
    assert rag_lora.available and lora.available
    prompt = next(i for i in rag_lora.line_items.per_query if i.label.startswith("Prompt tokens"))
    # max(0, 50 + 2 × 500 + 100 − 202/179 × 200): the chunks make the prompt longer than the
    # benchmark's mix, and that share is charged
    assert prompt.inputs["rag.top_k × rag.chunk_tokens"] == 1000
    assert prompt.usd > 0
    retrieval = rag_lora.per_query_usd - sum(
        i.usd for i in rag_lora.line_items.per_query if "self-hosted" in i.label
    )
    assert retrieval == pytest.approx(100 * 0.02 / 1e6 + READS)
    assert rag_lora.per_query_usd > lora.per_query_usd
