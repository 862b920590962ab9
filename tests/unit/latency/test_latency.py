"""Latency per query: the formulas, the speed file and each approach's line items by hand.

Every latency assumption is pinned below and the catalogue figures the arithmetic uses are
checked at the top, so the expected milliseconds follow from the numbers written here.
"""

from __future__ import annotations

import pytest

from estimators.catalog import get_model, models
from estimators.estimate import estimate
from estimators.latency.formulas import (
    concurrency,
    decode_ms,
    p95_ms,
    prefill_ms,
    selfhost_ms_per_token,
    selfhost_prefill_ms,
)
from estimators.latency.speeds import api_speed, kv_bytes_per_token, latency_table, size_class
from estimators.scenario import Scenario
from estimators.selfhost.gpus import get_gpu
from tests.scenarios import PINNED_ASSUMPTIONS, scenario_with

LATENCY_PINS = {
    "latency.api_output_speed_factor": 1.0,
    "latency.api_ttft_factor": 1.0,
    "latency.api_prefill_factor": 1.0,
    "latency.p95_over_p50": 1.5,
    "latency.query_embedding_ms": 200,
    "latency.vector_search_ms": 100,
    "latency.selfhost_bandwidth_efficiency": 0.7,
    "latency.selfhost_prefill_mfu": 0.45,
    "latency.selfhost_request_overhead_ms": 20,
    "selfhost.peak_to_average_ratio": 2,
}
PINNED = PINNED_ASSUMPTIONS | LATENCY_PINS


def pinned(**changes: object) -> Scenario:
    """The small hand-checked scenario (tests/scenarios.py) with the latency inputs pinned."""
    extra = changes.pop("assumptions", {})
    return scenario_with(assumptions=PINNED | extra, **changes)  # type: ignore[arg-type]


def test_the_speed_figures_the_arithmetic_uses() -> None:
    gpt41, mini = api_speed(get_model("gpt-4.1")), api_speed(get_model("gpt-4.1-mini"))
    assert (gpt41.output_tokens_per_s, gpt41.ttft_ms, gpt41.prefill_ms_per_1k_tokens) == (
        67.6,
        726,
        12,
    )
    assert (mini.output_tokens_per_s, mini.ttft_ms, mini.prefill_ms_per_1k_tokens) == (
        77.2,
        661,
        12,
    )
    gpu = get_gpu("h100-80gb")
    assert (gpu.memory_bandwidth_gb_per_s, gpu.bf16_tflops) == (3350, 989)
    assert kv_bytes_per_token(get_model("llama-3.1-8b-instruct"))[0] == 128 * 1024


# --- formulas ------------------------------------------------------------------------------------


def test_500_output_tokens_at_100_tok_s_after_a_400_ms_first_token_take_5_4_s() -> None:
    assert 400 + decode_ms(500, 100) == pytest.approx(5_400)


def test_prefill_is_prompt_tokens_in_thousands_times_ms_per_1k() -> None:
    # 2,500 tokens / 1,000 × 12 ms = 30 ms
    assert prefill_ms(2_500, 12) == pytest.approx(30)


def test_p95_is_the_p50_times_the_per_request_ratio() -> None:
    assert p95_ms(4_000, 1.3) == pytest.approx(5_200)


def test_an_8b_model_decodes_from_memory_bandwidth_at_batch_1() -> None:
    # (8.03e9 × 2 bytes + 0 KV) / (3,350e9 B/s × 0.7) = 6.848 ms a token: ~146 tok/s, where vLLM
    # measured 154 on one H100 (research/latency.md §6b).
    ms = selfhost_ms_per_token(
        params_b=8.03,
        bytes_per_param=2,
        kv_bytes_per_sequence=0,
        batch=1,
        bandwidth_gb_per_s=3350,
        bandwidth_efficiency=0.7,
        tflops=989,
        mfu=0.45,
    )
    assert ms == pytest.approx(16.06e9 / (3350e9 * 0.7) * 1000)
    assert 1000 / ms == pytest.approx(146.0, abs=0.1)


def test_a_large_batch_makes_decoding_compute_bound() -> None:
    # Batch 2,000 of no KV: memory 6.848 ms, compute 2 × 8.03e9 × 2,000 / (989e12 × 0.45) = 72.2
    ms = selfhost_ms_per_token(
        params_b=8.03,
        bytes_per_param=2,
        kv_bytes_per_sequence=0,
        batch=2_000,
        bandwidth_gb_per_s=3350,
        bandwidth_efficiency=0.7,
        tflops=989,
        mfu=0.45,
    )
    assert ms == pytest.approx(2 * 8.03e9 * 2000 / (989e12 * 0.45) * 1000)


def test_tensor_parallel_gpus_add_their_bandwidth_and_flops() -> None:
    one = selfhost_prefill_ms(params_b=70, prompt_tokens=1000, tflops=989, mfu=0.45)
    two = selfhost_prefill_ms(params_b=70, prompt_tokens=1000, tflops=989, mfu=0.45, gpus=2)
    # 2 × 70e9 × 1,000 / (989e12 × 0.45) = 314.6 ms on one H100 (research §2c: 315 ms)
    assert one == pytest.approx(314.6, abs=0.1)
    assert two == pytest.approx(one / 2)


def test_concurrency_is_littles_law_and_never_below_one_request() -> None:
    # 6 queries/s over 2 replicas, 1.5 s each: 4.5 requests in flight per replica
    assert concurrency(6, 2, 1.5) == pytest.approx(4.5)
    assert concurrency(0.01, 1, 0.5) == 1.0


# --- the speed file ------------------------------------------------------------------------------


def test_every_catalogue_chat_model_has_speeds_with_sources() -> None:
    for model in models().values():
        if model.kind != "chat":
            continue
        speed = api_speed(model)
        assert speed.output_tokens_per_s > 0 and speed.ttft_ms > 0, model.id
        assert all(speed.sources.values()), model.id


def test_every_model_in_the_speed_file_is_a_catalogue_model() -> None:
    assert set(latency_table().models) <= set(models())


def test_size_classes_follow_the_id_then_the_parameter_count() -> None:
    base = get_model("gpt-4.1")
    assert size_class(base.model_copy(update={"id": "acme-mini-2"})) == "small"
    assert size_class(base.model_copy(update={"id": "acme-opus-9"})) == "large"
    assert size_class(base.model_copy(update={"id": "acme-9"})) == "mid"
    llama = get_model("llama-3.1-8b-instruct")
    assert size_class(llama) == "open_small"
    assert size_class(llama.model_copy(update={"params_b": 70.0})) == "open_large"


def test_a_model_without_figures_takes_its_class_defaults() -> None:
    speed = api_speed(get_model("gpt-4o"))
    mid = latency_table().size_classes["mid"]
    assert (speed.output_tokens_per_s, speed.ttft_ms) == (mid.output_tokens_per_s, mid.ttft_ms)
    assert "size class 'mid'" in speed.basis


# --- API approaches by hand ----------------------------------------------------------------------

# gpt-4.1: first token 726 ms; prompt 300 + 100 = 400 tokens × 12 ms/1k = 4.8 ms; 200 output
# tokens / 67.6 tok/s = 2,958.58 ms.
PROMPTING_TTFT = 726 + 400 / 1000 * 12
PROMPTING_P50 = PROMPTING_TTFT + 200 / 67.6 * 1000


def test_prompting_is_first_token_plus_prefill_plus_the_streamed_answer() -> None:
    latency = estimate(pinned()).approach("prompting").latency
    assert latency is not None
    assert latency.ttft_ms == pytest.approx(PROMPTING_TTFT)
    assert latency.p50_ms == pytest.approx(PROMPTING_P50)
    assert latency.p95_ms == pytest.approx(PROMPTING_P50 * 1.5)
    assert [item.id for item in latency.items] == ["first_token", "prefill_prompt", "decode"]
    decode = latency.items[-1]
    assert decode.inputs["traffic.output_tokens"] == 200
    assert "latency.api_output_speed_factor" in decode.assumption_ids
    assert "tacho" in decode.sources["gpt-4.1 output tokens/s"]


def test_dspy_adds_its_demos_prefill() -> None:
    latency = estimate(pinned()).approach("dspy").latency
    assert latency is not None
    # 2 demos × 500 tokens = 1,000 tokens × 12 ms/1k = 12 ms
    assert latency.p50_ms == pytest.approx(PROMPTING_P50 + 12)
    demos = next(item for item in latency.items if item.id == "prefill_demos")
    assert demos.ms == pytest.approx(12)
    assert "dspy.demos_per_prompt" in demos.assumption_ids


def test_rag_adds_the_query_embedding_the_search_and_the_chunks_prefill() -> None:
    latency = estimate(pinned()).approach("rag").latency
    assert latency is not None
    # 200 ms embedding + 100 ms search; top_k 2 × 500-token chunks = 1,000 tokens → 12 ms
    assert latency.ttft_ms == pytest.approx(PROMPTING_TTFT + 300 + 12)
    assert latency.p50_ms == pytest.approx(PROMPTING_P50 + 300 + 12)
    assert [i.part for i in latency.items[:2]] == ["retrieval", "retrieval"]


def test_the_api_fine_tune_uses_the_small_models_speed_and_its_short_prompt() -> None:
    latency = estimate(pinned()).approach("lora").latency
    assert latency is not None
    # gpt-4.1-mini: 661 ms + (50 + 100) / 1,000 × 12 = 1.8 ms; 200 / 77.2 tok/s = 2,590.67 ms
    assert latency.ttft_ms == pytest.approx(661 + 1.8)
    assert latency.p50_ms == pytest.approx(661 + 1.8 + 200 / 77.2 * 1000)
    assert latency.model == "fine-tuned gpt-4.1-mini"
    assert latency.hosting == "api"


def test_a_model_that_reasons_by_default_streams_the_billed_reasoning_tokens_first() -> None:
    # gpt-5 reasons at medium effort by default: the 500 reasoning tokens the cost side bills
    # (reasoning.tokens_per_query, pinned) stream before the 200-token answer at its speed
    scenario = pinned(models={**pinned().models.model_dump(), "general": "gpt-5"})
    latency = estimate(scenario).approach("prompting").latency
    assert latency is not None
    tps = api_speed(get_model("gpt-5")).output_tokens_per_s
    reason = next(item for item in latency.items if item.id == "reasoning")
    assert reason.ms == pytest.approx(500 / tps * 1000)
    assert reason.inputs["reasoning.tokens_per_query"] == 500
    assert "reasoning.tokens_per_query" in reason.assumption_ids
    assert [i.id for i in latency.items][-2:] == ["reasoning", "decode"]
    # gpt-5.4 reasons only when asked: no reasoning step, unless the scenario sets tokens
    off = pinned(models={**pinned().models.model_dump(), "general": "gpt-5.4"})
    items = estimate(off).approach("prompting").latency.items  # type: ignore[union-attr]
    assert "reasoning" not in [i.id for i in items]
    asked = pinned(
        models={**pinned().models.model_dump(), "general": "gpt-5.4"},
        traffic={**pinned().traffic.model_dump(), "reasoning_tokens": 1_000},
    )
    items = estimate(asked).approach("prompting").latency.items  # type: ignore[union-attr]
    reason = next(item for item in items if item.id == "reasoning")
    assert reason.inputs["traffic.reasoning_tokens"] == 1_000
    assert reason.ms == pytest.approx(
        1_000 / api_speed(get_model("gpt-5.4")).output_tokens_per_s * 1000
    )


def test_the_speed_factors_scale_their_step_only() -> None:
    faster = pinned(assumptions={"latency.api_output_speed_factor": 2.0})
    latency = estimate(faster).approach("prompting").latency
    assert latency is not None
    assert latency.p50_ms == pytest.approx(PROMPTING_TTFT + 200 / (67.6 * 2) * 1000)


def test_an_unavailable_approach_has_no_latency() -> None:
    empty_kb = {"documents": 0, "tokens_per_document": 0, "changed_pct_per_month": 0}
    result = estimate(pinned(data={"labelled_examples": 200, "knowledge_base": empty_kb}))
    assert not result.approach("rag").available
    assert result.approach("rag").latency is None


# --- self-hosted by hand -------------------------------------------------------------------------

SELF_HOSTED_MODELS = {
    "general": "gpt-4.1",
    "small": "llama-3.1-8b-instruct",
    "large": "llama-3.1-8b-instruct",
    "embedding": "text-embedding-3-small",
}


def self_hosted(**traffic: object) -> Scenario:
    return pinned(
        models=SELF_HOSTED_MODELS,
        # Serving pinned to the training GPU so the hand arithmetic below uses its figures.
        fine_tuning={"hosting": "self_hosted", "gpu": "h100-80gb", "serving_gpu": "h100-80gb"},
        traffic={
            "queries_per_day": 1000,
            "monthly_growth_pct": 0,
            "input_tokens": 400,
            "output_tokens": 200,
            "system_prompt_tokens": 300,
        }
        | traffic,
    )


# Llama 3.1 8B on one H100. Prompt 50 + 400 = 450 tokens; the cache holds 450 + 200 / 2 = 550
# tokens × 128 KiB = 72,089,600 bytes. Decode: (16.06e9 + 72.09e6) / (3,350e9 × 0.7) = 6.879 ms
# a token at batch 1; prefill 2 × 8.03e9 × 450 / (989e12 × 0.45) = 16.24 ms; 20 ms overhead.
KV_SEQUENCE = 550 * 128 * 1024
MS_PER_TOKEN = (8.03e9 * 2 + KV_SEQUENCE) / (3350e9 * 0.7) * 1000
PREFILL = 2 * 8.03e9 * 450 / (989e12 * 0.45) * 1000


def test_a_self_hosted_fine_tune_decodes_from_gpu_bandwidth() -> None:
    latency = estimate(self_hosted()).approach("lora").latency
    assert latency is not None and latency.hosting == "self_hosted"
    assert round(MS_PER_TOKEN, 3) == 6.879
    assert latency.ttft_ms == pytest.approx(20 + PREFILL)
    assert latency.p50_ms == pytest.approx(20 + PREFILL + 200 * MS_PER_TOKEN)
    assert latency.output_tokens_per_s == pytest.approx(1000 / MS_PER_TOKEN)
    # 1,000 queries a day: 0.023 per second at the peak, far below one request in flight
    assert latency.concurrency == 1.0
    assert latency.rate_limit is None and "Self-hosted" in latency.rate_limit_note


def test_a_busy_replica_slows_every_users_decoding() -> None:
    busy = estimate(self_hosted(queries_per_day=3_000_000)).approach("lora")
    latency, training = busy.latency, busy.training
    assert latency is not None and training is not None
    replicas = training.serving_replicas_at_peak or 1
    # Little's law on the batch-1 latency: 3e6 / 86,400 × 2 per second over the replicas
    alone_s = (20 + PREFILL + 200 * MS_PER_TOKEN) / 1000
    batch = 3_000_000 / 86_400 * 2 / replicas * alone_s
    assert latency.concurrency == pytest.approx(batch)
    assert replicas > 1 and batch > 5  # the case is not the trivial one request in flight
    per_token = (8.03e9 * 2 + batch * KV_SEQUENCE) / (3350e9 * 0.7) * 1000
    assert latency.p50_ms == pytest.approx(20 + PREFILL + 200 * per_token)
