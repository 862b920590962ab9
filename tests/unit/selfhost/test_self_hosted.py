"""Self-hosted `lora` and `full`: hand arithmetic on a pinned scenario, the floor, the crossover.

Every assumption a self-hosted formula reads is pinned below, so the expected figures follow from
these numbers and the catalogue entries they name (checked at the top), not from the defaults.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.catalog import FineTuningPrice, ModelEntry, get_model, models
from estimators.estimate import estimate
from estimators.presets import get_preset
from estimators.scenario import Scenario, parse_scenario
from estimators.selfhost.compute import training_compute
from estimators.selfhost.gpus import get_gpu
from tests.closed_form import break_even_queries_per_day
from tests.scenarios import PINNED_ASSUMPTIONS

# The engine-wide pins (tests/scenarios.py), plus every self-hosting assumption.
PINNED = PINNED_ASSUMPTIONS | {
    "selfhost.mfu": 0.06,
    "selfhost.lora_mfu": 0.3,
    "selfhost.run_overhead_hours": 0.25,
    "selfhost.runs_per_fine_tune": 2,
    "selfhost.inter_node_efficiency": 0.8,
    "selfhost.lora_flops_per_param_token": 4,
    "selfhost.qlora_slowdown": 1.5,
    "selfhost.lora_trainable_fraction": 0.005,
    "selfhost.micro_batch_sequences": 4,
    "selfhost.usable_memory_fraction": 0.9,
    "selfhost.serving_utilisation": 0.5,
    "selfhost.peak_to_average_ratio": 2,
    "selfhost.min_replicas": 1,
    "selfhost.input_token_weight": 0.15,
    "selfhost.ops_hours_per_month": 8,
    "selfhost.decode_tokens_per_s_per_sequence": 40,
    "selfhost.max_sequences_per_replica": 64,
}

# Llama 3.1 8B (8.03B parameters, 3,400 output tokens/s measured on one H100) fine-tuned with
# LoRA as the small model and fully as the large one, trained on H100s at $3.49 per GPU-hour.
SELF_HOSTED = {
    "name": "Self-hosted, hand-checked",
    "task": {"problems": ["style"], "changes_per_year": 2},
    "traffic": {
        "queries_per_day": 1000,
        "monthly_growth_pct": 0,
        "input_tokens": 400,
        "output_tokens": 200,
        "system_prompt_tokens": 300,
    },
    "data": {"labelled_examples": 200, "tokens_per_example": 500},
    "models": {
        "general": "gpt-4.1",
        "small": "llama-3.1-8b-instruct",
        "large": "llama-3.1-8b-instruct",
        "embedding": "text-embedding-3-small",
    },
    "fine_tuning": {"hosting": "self_hosted", "method": "lora", "gpu": "h100-80gb"},
    "base_model_updates_per_year": 1,
    "team": {"hourly_rate_usd": 100},
    "horizon_months": 12,
    "assumptions": PINNED,
}

# One LoRA run: 200 examples × 500 tokens × 3 epochs (200 × 3 = 600 passes: the default 3) =
# 300,000 tokens; 4 × 8.03e9 × 300,000 = 9.636e15 FLOP; / (989e12 × 0.3) / 3,600 = 0.009021
# GPU-hours of computation, + 0.25 h of overhead on its 1 GPU = 0.259021 GPU-hours a run.
LORA_COMPUTE_GPU_HOURS = 4 * 8.03e9 * 300_000 / (989e12 * 0.3) / 3600
LORA_RUN_GPU_HOURS = LORA_COMPUTE_GPU_HOURS + 0.25 * 1
# A successful fine-tune takes 2 runs: 2 × 0.259021 × $3.49 = $1.808.
LORA_RUN_USD = 2 * LORA_RUN_GPU_HOURS * 3.49
# Serving: at 1,000 queries a day the floor decides, and the cheapest floor that holds 16 GB of
# BF16 weights is one L4 ($0.80/h, 121 TFLOPS, 300 GB/s). Its throughput is scaled from the H100
# measurement: 3,400 × √(121 × 300 / (989 × 3,350)) = 355.9 tokens/s.
L4_TOKENS_PER_S = 3400 * (121 * 300 / (989 * 3350)) ** 0.5
# $0.80 / (355.9 tokens/s × 3,600 s × 0.5) × 1e6 = $1.2488 per 1M output tokens at average load.
USD_PER_MTOK = 0.80 / (L4_TOKENS_PER_S * 3600 * 0.5) * 1e6
# Per query: 200 output tokens, plus prompt tokens beyond the benchmark's 202 per 179 output:
# (50 + 400) − 202/179 × 200 = 224.30 prompt tokens × 0.15 = 33.64 output-token equivalents;
# replicas are provisioned for the peak, so × 2 (peak to average).
EXTRA_PROMPT = 450 - 202 / 179 * 200
PER_QUERY_USD = (200 + 0.15 * EXTRA_PROMPT) * USD_PER_MTOK * 2 / 1e6
# Floor: 1 replica × 1 L4 × 30 days × 24 h × $0.80 = $576 a month.
FLOOR_USD = 1 * 1 * 30 * 24 * 0.80
# Monthly: upkeep 8 h × $100 + ops 8 h × $100 + (2 changes + 1 update + 1 drift) / 12 × (one
# fine-tune + 10 h × $100).
LORA_MONTHLY_USD = 800 + 800 + 4 / 12 * (LORA_RUN_USD + 1000)


def scenario(**changes: object) -> Scenario:
    """The self-hosted scenario with sections merged one level deep."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in SELF_HOSTED.items()}
    for key, value in changes.items():
        current = data.get(key)
        data[key] = (
            current | value if isinstance(value, dict) and isinstance(current, dict) else value
        )
    return parse_scenario(data)


def with_model(model_id: str, **fields: object) -> dict[str, ModelEntry]:
    """The catalogue with one model's entry changed (prices or size)."""
    return models() | {model_id: get_model(model_id).model_copy(update=fields)}


def test_the_catalogue_figures_the_arithmetic_uses() -> None:
    model, h100, l4 = get_model("llama-3.1-8b-instruct"), get_gpu("h100-80gb"), get_gpu("l4-24gb")
    assert (model.params_b, model.serving_tokens_per_s["h100-80gb"]) == (8.03, 3400)
    assert (h100.bf16_tflops, h100.memory_gb, h100.usd_per_hour) == (989, 80, 3.49)
    assert h100.memory_bandwidth_gb_per_s == 3350
    assert (l4.bf16_tflops, l4.memory_gb, l4.memory_bandwidth_gb_per_s) == (121, 24, 300)
    assert l4.usd_per_hour == 0.80
    assert (model.input_usd_per_mtok, model.output_usd_per_mtok) == (0.03, 0.05)


# --- hand arithmetic -----------------------------------------------------------------------------


def test_self_hosted_lora_setup_is_labour_curation_and_one_successful_fine_tune() -> None:
    lora = estimate(scenario()).approach("lora")
    assert lora.available
    # 100 h × $100 + labels (review min(200, 100) × 3 min / 60 × $100 + scripted checks
    # 4 h × $100) + the GPU run
    assert lora.setup_usd == pytest.approx(10_000 + 500 + 400 + LORA_RUN_USD)
    run = lora.line_items.setup[2]
    assert run.usd == pytest.approx(1.808, abs=1e-3)
    assert run.label == "GPU training: lora of llama-3.1-8b-instruct on 1 × h100-80gb"
    assert run.usd == pytest.approx(LORA_RUN_USD)
    assert "selfhost.lora_mfu" in run.formula and "selfhost.run_overhead_hours" in run.formula
    assert run.formula.startswith("selfhost.runs_per_fine_tune × (")
    assert run.inputs["compute GPU-hours (one run)"] == pytest.approx(LORA_COMPUTE_GPU_HOURS)
    assert run.inputs["GPU-hours (one run, with overhead)"] == pytest.approx(LORA_RUN_GPU_HOURS)
    assert "runpod.io" in run.sources["GPU USD per hour"]
    assert "docs/calibration.md" in run.sources["calibration"]


def test_self_hosted_training_block() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None
    assert (training.hosting, training.method, training.gpu) == ("self_hosted", "lora", "h100-80gb")
    assert (training.tokens, training.epochs) == (300_000, 3)
    assert training.flops == pytest.approx(9.636e15)
    assert training.mfu == 0.3
    assert training.compute_gpu_hours == pytest.approx(LORA_COMPUTE_GPU_HOURS)
    assert training.gpu_hours == pytest.approx(LORA_RUN_GPU_HOURS)
    assert training.run_overhead_gpu_hours == pytest.approx(0.25)
    assert training.fine_tune_gpu_hours == pytest.approx(2 * LORA_RUN_GPU_HOURS)
    assert (training.nodes, training.inter_node_efficiency) == (1, 1.0)
    # LoRA memory: 8.03 × (2 + 0.005 × 16) = 16.70 GB of states + 500 × 4 sequences of
    # activations, on one H100 (72 GB usable)
    assert (training.fits, training.gpus_needed) == (True, 1)
    assert training.memory_gb == pytest.approx(8.03 * 2.08 + 0.91, abs=0.01)


def test_training_memory_breakdown_adds_up() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None and training.training_memory_gb_by_part is not None
    parts = training.training_memory_gb_by_part
    # weights 8.03 × (2 + 0.005 × 2) = 16.14 GB; gradients and Adam 8.03 × 0.005 × 14 = 0.562 GB;
    # the unusable 10% of one 80 GB H100 = 8 GB
    assert parts["weights"] == pytest.approx(8.03 * 2.01)
    assert parts["gradients_and_optimiser"] == pytest.approx(8.03 * 0.005 * 14)
    assert parts["framework_overhead"] == pytest.approx(8.0)
    used = parts["weights"] + parts["gradients_and_optimiser"] + parts["activations"]
    assert used == pytest.approx(training.memory_gb)


def test_serving_is_sized_apart_from_training_on_the_cheapest_gpu_that_holds_it() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None
    # trained on an H100, served from one L4: a $576 floor instead of an H100's $2,512.80
    assert (training.gpu, training.serving_gpu) == ("h100-80gb", "l4-24gb")
    assert training.serving_gpu_chosen_by == "cheapest"
    assert training.serving_gpu_usd_per_hour == 0.80
    assert training.serving_tokens_per_s_per_gpu == pytest.approx(L4_TOKENS_PER_S)
    assert training.serving_usd_per_mtok == pytest.approx(USD_PER_MTOK)
    assert (training.serving_gpus_per_replica, training.serving_replicas_at_peak) == (1, 1)
    assert training.floor_usd_per_month == pytest.approx(FLOOR_USD)
    assert "= $576.00 per month" in training.floor_formula


def test_serving_memory_per_replica_is_weights_kv_cache_and_activations() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None and training.serving_memory_gb_by_part is not None
    parts = training.serving_memory_gb_by_part
    # Sequences in flight at the peak: 1,000 / 86,400 × 2 = 0.02315 queries/s × 200 output tokens
    # at min(40, 300 GB/s / 16.06 GB = 18.68) tokens/s = 0.2479 sequences.
    in_flight = 1000 / 86_400 * 2 * 200 / (300 / 16.06)
    assert training.serving_sequences_per_replica == pytest.approx(in_flight)
    # KV per token: 2 × 34.44 layers × 8 × 128 × 2 bytes = 141,058 bytes; context 50 + 400 + 200
    layers = (128 * 8.03e9 / 12) ** (1 / 3) / 128
    assert training.kv_cache_bytes_per_token == pytest.approx(2 * layers * 1024 * 2)
    assert parts["kv_cache"] == pytest.approx(in_flight * 650 * 2 * layers * 1024 * 2 / 1e9)
    assert parts["weights"] == pytest.approx(16.06)
    assert parts["framework_overhead"] == pytest.approx(24 * 0.1)
    held = parts["weights"] + parts["kv_cache"] + parts["activations"]
    assert training.serving_memory_gb_per_replica == pytest.approx(held)
    assert held <= 24 * 0.9
    assert training.serving_decode_bound == "memory"
    assert training.serving_decode_note.startswith("memory-bound: at 1.0 sequences per replica")


def test_self_hosted_lora_per_query_is_peak_gpu_time_for_output_and_extra_prompt() -> None:
    lora = estimate(scenario()).approach("lora")
    output, prompt = lora.line_items.per_query
    # 200 × $1.2488 / 1M × 2 (peak) = $0.00049954
    assert output.usd == pytest.approx(200 * USD_PER_MTOK * 2 / 1e6)
    # 224.30 × 0.15 × $1.2488 / 1M × 2 = $0.00008403
    assert prompt.usd == pytest.approx(EXTRA_PROMPT * 0.15 * USD_PER_MTOK * 2 / 1e6)
    assert lora.per_query_usd == pytest.approx(PER_QUERY_USD)
    assert lora.per_query_usd == pytest.approx(0.00058357, abs=1e-8)
    assert output.inputs["output tokens/s per GPU"] == pytest.approx(L4_TOKENS_PER_S)
    assert "scaled from llama-3.1-8b-instruct" in output.sources["output tokens/s per GPU"]
    assert "selfhost.peak_to_average_ratio" in output.formula


def test_a_prompt_within_the_benchmarks_own_mix_costs_nothing_extra() -> None:
    # (50 + 100) prompt tokens ≤ 202/179 × 200 = 225.7: already inside the measured throughput
    lora = estimate(scenario(traffic={"input_tokens": 100})).approach("lora")
    _, prompt = lora.line_items.per_query
    assert prompt.usd == 0
    assert lora.per_query_usd == pytest.approx(200 * USD_PER_MTOK * 2 / 1e6)


def test_self_hosted_lora_floor_and_monthly() -> None:
    lora = estimate(scenario()).approach("lora")
    assert lora.min_usage_usd_per_month == pytest.approx(FLOOR_USD)
    assert lora.min_usage_usd_per_month == pytest.approx(576.0)
    labels = [item.label for item in lora.line_items.monthly]
    assert labels[1] == "Run the model servers (on-call, upgrades, capacity)"
    assert lora.maintenance_usd_per_month == pytest.approx(LORA_MONTHLY_USD)


def test_high_traffic_moves_serving_to_the_gpu_cheapest_per_token() -> None:
    lora = estimate(scenario(traffic={"queries_per_day": 1_000_000})).approach("lora")
    training = lora.training
    assert training is not None and training.serving_gpu == "h100-80gb"
    # $/1M at average load: H100 3.49 / (3,400 × 1,800) × 1e6 = 0.5703; A100 80 GB 1.59 / (1,500
    # × 1,800) × 1e6 = 0.5889; L4 1.2488: the H100 is cheapest once the floor no longer decides.
    h100 = 3.49 / (3400 * 3600 * 0.5) * 1e6
    assert lora.per_query_usd == pytest.approx((200 + 0.15 * EXTRA_PROMPT) * h100 * 2 / 1e6)
    # peak: 1e6 / 86,400 × 233.6 tokens × 2 = 5,408 tokens/s over 1,700 per H100 → 4 replicas
    assert training.serving_replicas_at_peak == 4


def test_a_serving_gpu_picked_by_the_user_is_used() -> None:
    picked = scenario(fine_tuning={"serving_gpu": "h100-80gb"})
    lora = estimate(picked).approach("lora")
    assert lora.training is not None
    assert (lora.training.serving_gpu, lora.training.serving_gpu_chosen_by) == (
        "h100-80gb",
        "fine_tuning.serving_gpu",
    )
    # 1 × 1 × 720 h × $3.49
    assert lora.min_usage_usd_per_month == pytest.approx(2512.80)


def test_an_unknown_serving_gpu_names_the_field() -> None:
    lora = estimate(scenario(fine_tuning={"serving_gpu": "tpu-v5"})).approach("lora")
    assert not lora.available
    assert lora.unavailable_reason.startswith("fine_tuning.serving_gpu: unknown GPU 'tpu-v5'.")


def test_self_hosted_full_fine_tune_trains_every_weight() -> None:
    full = estimate(scenario(fine_tuning={"method": "qlora"})).approach("full")
    assert full.available and full.training is not None
    # always a full fine-tune, whatever fine_tuning.method says: 6 × 8.03e9 × 300,000 FLOP at
    # MFU 0.06; 8.03 × 16 = 128.5 GB of states + activations: 2 × H100 (72 GB usable each), so
    # each run holds 2 GPUs for the 0.25 h overhead
    assert full.training.method == "full"
    assert full.training.gpus_needed == 2
    compute = 6 * 8.03e9 * 300_000 / (989e12 * 0.06) / 3600
    run_usd = 2 * (compute + 0.25 * 2) * 3.49
    assert full.setup_usd == pytest.approx(20_000 + 500 + 400 + run_usd)
    # the same model serves it from the same GPU: the same per-query cost and floor as the LoRA
    assert full.per_query_usd == pytest.approx(PER_QUERY_USD)
    assert full.min_usage_usd_per_month == pytest.approx(FLOOR_USD)
    assert full.maintenance_usd_per_month == pytest.approx(1600 + 800 + 4 / 12 * (run_usd + 1000))


def test_qlora_costs_its_slowdown_in_compute_time() -> None:
    lora = estimate(scenario(fine_tuning={"method": "qlora"})).approach("lora")
    assert lora.training is not None and lora.training.method == "qlora"
    # 4 × 1.5 FLOPs per parameter-token; the overhead does not slow down
    expected = 2 * (LORA_COMPUTE_GPU_HOURS * 1.5 + 0.25) * 3.49
    assert lora.line_items.setup[2].usd == pytest.approx(expected)


def test_self_hosted_training_sequences_are_not_capped() -> None:
    data = {"labelled_examples": 10, "tokens_per_example": 20_000}
    lora = estimate(scenario(data=data)).approach("lora")
    assert lora.training is not None and lora.training.fits
    # 10 examples → min(25, 100 // 10) = 10 epochs; 20,000 tokens each: no 16,385 cap on own GPUs
    assert lora.training.tokens == 10 * 20_000 * 10
    compute = 4 * 8.03e9 * 10 * 20_000 * 10 / (989e12 * 0.3) / 3600
    assert lora.line_items.setup[2].usd == pytest.approx(2 * (compute + 0.25) * 3.49)


# --- multi-node full fine-tunes ------------------------------------------------------------------


def test_a_full_fine_tune_past_one_node_is_priced_across_nodes() -> None:
    big = scenario(models={"large": "llama-3.1-70b-instruct"})
    full = estimate(big).approach("full")
    assert full.available and full.training is not None
    # 70.6 × 16 = 1,130 GB of states + activations: 16 × H100 = 2 nodes of 8
    assert (full.training.gpus_needed, full.training.nodes) == (16, 2)
    assert full.training.inter_node_efficiency == 0.8
    # 6 × 70.6e9 × 300,000 / (989e12 × 0.06 × 0.8) / 3,600 + 0.25 h × 16 GPUs, twice, × $3.49
    compute = 6 * 70.6e9 * 300_000 / (989e12 * 0.06 * 0.8) / 3600
    run = full.line_items.setup[2]
    assert run.label == "GPU training: full of llama-3.1-70b-instruct on 2 nodes × 8 h100-80gb"
    assert run.usd == pytest.approx(2 * (compute + 0.25 * 16) * 3.49)
    assert "selfhost.inter_node_efficiency" in run.formula
    assert "2 nodes × 8 h100-80gb (16 GPUs)" in full.training.memory_message


def test_a_fine_tune_past_eight_nodes_says_what_would_work() -> None:
    prices = with_model("llama-3.1-70b-instruct", params_b=300.0)
    big = scenario(models={"large": "llama-3.1-70b-instruct"})
    full = estimate(big, prices).approach("full")
    assert not full.available and full.total_usd is None
    # 300 × 16 = 4,800 GB of states: 67 × H100 (72 GB usable), more than 8 nodes of 8
    assert full.unavailable_reason.startswith("llama-3.1-70b-instruct (300B parameters)")
    assert "67 × h100-80gb" in full.unavailable_reason
    assert "more than the 64 GPUs (8 nodes of 8)" in full.unavailable_reason
    assert "use lora (9 × h100-80gb)" in full.unavailable_reason
    assert full.training is not None and full.training.fits is False


# --- API versus self-hosting ---------------------------------------------------------------------


def test_no_crossover_when_the_provider_is_cheaper_per_query() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None
    # provider: 450 × $0.03 / 1M + 200 × $0.05 / 1M = $0.0000235 per query, no floor
    assert training.self_hosting_break_even_daily_queries is None
    note = training.self_hosting_break_even_note
    assert note.startswith("No crossover:") and "costs more per query" in note
    assert "$0.000584 per query" in note and "$0.000024 per query" in note
    assert "base model's hosted per-token price" in note


def test_crossover_against_a_provider_at_the_base_model_price() -> None:
    prices = with_model("llama-3.1-8b-instruct", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0)
    training = estimate(scenario(), prices).approach("lora").training
    assert training is not None
    # provider: 450 × $1 / 1M + 200 × $2 / 1M = $0.00085 per query. Training, labour and retrains
    # are the same either way; self-hosting adds the floor F = $576 and ops M = $800 a month.
    # q* = max((M + F) / (30 × 0.00085), M / (30 × (0.00085 − 0.00058357))) = 100,089 per day
    provider = 450 * 1.0 / 1e6 + 200 * 2.0 / 1e6
    expected = max((800 + FLOOR_USD) / (30 * provider), 800 / (30 * (provider - PER_QUERY_USD)))
    assert expected == pytest.approx(100_089, rel=1e-4)
    assert training.self_hosting_break_even_daily_queries == pytest.approx(expected)
    assert expected == pytest.approx(
        break_even_queries_per_day(
            api_per_query_usd=provider,
            selfhost_per_query_usd=PER_QUERY_USD,
            selfhost_floor_usd_per_month=FLOOR_USD,
            horizon_months=12,
            days_per_month=30,
            extra_usd_per_month=800,
        )
    )
    assert "above 100,0" in training.self_hosting_break_even_note


def test_crossover_with_growth_is_in_month_one_volume() -> None:
    prices = with_model("llama-3.1-8b-instruct", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0)
    grown = scenario(traffic={"monthly_growth_pct": 5})
    training = estimate(grown, prices).approach("lora").training
    assert training is not None and training.self_hosting_break_even_daily_queries is not None
    # growth brings the volume at which self-hosting pays off earlier in month-1 terms
    assert training.self_hosting_break_even_daily_queries < 100_089
    assert "(month 1, at the scenario's growth)" in training.self_hosting_break_even_note


def test_crossover_against_a_fine_tuning_service_when_hosting_is_api() -> None:
    offer = FineTuningPrice(
        training_usd_per_mtok=3.0,
        input_usd_per_mtok=1.0,
        output_usd_per_mtok=3.0,
        source="test offer",
        as_of="2026-01-01",
    )
    prices = with_model("llama-3.1-8b-instruct", fine_tuning=offer)
    result = estimate(scenario(fine_tuning={"hosting": "api"}), prices).approach("lora")
    assert result.training is not None and result.training.hosting == "api"
    # API: training 300,000 × $3 / 1M = $0.90; per query 450 × 1 / 1M + 200 × 3 / 1M = $0.00105,
    # above the $0.000584 of serving from one L4
    api_query = 450 * 1.0 / 1e6 + 200 * 3.0 / 1e6
    assert result.per_query_usd == pytest.approx(api_query)
    # self-hosting: GPU run instead of API run, once and on every retrain (4 a year), plus ops;
    # the API's evaluation runs after those retrains (4 / 12 × 100 examples × one query) are
    # billed per token there, on the always-on GPUs when self-hosted
    extra_setup = LORA_RUN_USD - 0.90
    extra_monthly = 800 + 4 / 12 * (LORA_RUN_USD - 0.90) - 4 / 12 * 100 * api_query
    expected = break_even_queries_per_day(
        api_per_query_usd=api_query,
        selfhost_per_query_usd=PER_QUERY_USD,
        selfhost_floor_usd_per_month=FLOOR_USD,
        horizon_months=12,
        days_per_month=30,
        extra_setup_usd=extra_setup,
        extra_usd_per_month=extra_monthly,
    )
    assert result.training.self_hosting_break_even_daily_queries == pytest.approx(expected)
    assert "fine-tuning service" in result.training.self_hosting_break_even_note


def test_api_hosting_of_a_closed_model_has_no_crossover() -> None:
    api = scenario(
        fine_tuning={"hosting": "api"},
        models={"small": "gpt-4.1-mini", "large": "gpt-4.1"},
    )
    training = estimate(api).approach("lora").training
    assert training is not None and training.self_hosting_break_even_daily_queries is None
    assert training.self_hosting_break_even_note == (
        "No crossover: self-hosting needs an open-weights model with a known size, and "
        "gpt-4.1-mini has closed weights."
    )


def test_self_hosting_without_a_hosted_price_has_no_crossover() -> None:
    result = estimate(scenario(models={"small": "qwen2.5-14b-instruct"})).approach("lora")
    assert result.available and result.training is not None
    assert result.training.self_hosting_break_even_daily_queries is None
    assert (
        "no hosted price for qwen2.5-14b-instruct" in result.training.self_hosting_break_even_note
    )


# --- what cannot be self-hosted ------------------------------------------------------------------


def test_a_closed_model_cannot_be_self_hosted_and_the_rest_is_compared() -> None:
    result = estimate(scenario(models={"small": "gpt-4.1-mini"}))
    lora = result.approach("lora")
    assert not lora.available and lora.total_usd is None
    assert lora.unavailable_reason.startswith(
        "models.small: 'gpt-4.1-mini' has closed weights, so it cannot be self-hosted."
    )
    assert "llama-3.1-8b-instruct" in lora.unavailable_reason
    assert "fine_tuning.hosting to 'api'" in lora.unavailable_reason
    assert result.approach("full").available and result.approach("prompting").available


def test_a_model_without_a_parameter_count_cannot_be_self_hosted() -> None:
    prices = with_model("llama-3.1-8b-instruct", params_b=None)
    lora = estimate(scenario(), prices).approach("lora")
    assert not lora.available
    assert "'llama-3.1-8b-instruct' has no parameter count" in lora.unavailable_reason


def test_an_unknown_gpu_names_the_field_and_the_known_gpus() -> None:
    result = estimate(scenario(fine_tuning={"gpu": "tpu-v5"}))
    for approach in ("lora", "full"):
        reason = result.approach(approach).unavailable_reason
        assert reason.startswith("fine_tuning.gpu: unknown GPU 'tpu-v5'. Known GPUs:")
        assert "h100-80gb" in reason
    assert result.approach("prompting").available


def test_a_model_that_trains_but_cannot_be_served_on_the_picked_gpu_is_unavailable() -> None:
    prices = with_model("qwen2.5-72b-instruct", params_b=100.0)
    small = scenario(
        models={"small": "qwen2.5-72b-instruct"},
        fine_tuning={"method": "qlora", "gpu": "l4-24gb", "serving_gpu": "l4-24gb"},
    )
    lora = estimate(small, prices).approach("lora")
    assert not lora.available and lora.training is not None
    # QLoRA fits 3 L4s for training, but 200 GB of BF16 weights need 16 L4s (21.6 GB usable
    # each: 200 / 21.6 = 9.3 → 10 → 16, a power of two) per serving replica
    assert lora.training.gpus_needed == 3 and lora.training.fits is False
    assert lora.unavailable_reason.startswith(
        "qwen2.5-72b-instruct needs 16 × l4-24gb per serving replica"
    )
    assert "choose a100-40gb or a100-80gb or h100-80gb or h200-141gb" in lora.unavailable_reason


def test_without_a_pick_the_same_model_is_served_from_a_gpu_that_holds_it() -> None:
    prices = with_model("qwen2.5-72b-instruct", params_b=100.0)
    small = scenario(
        models={"small": "qwen2.5-72b-instruct"}, fine_tuning={"method": "qlora", "gpu": "l4-24gb"}
    )
    lora = estimate(small, prices).approach("lora")
    assert lora.available and lora.training is not None
    assert lora.training.serving_gpu != "l4-24gb"
    assert lora.training.serving_gpus_per_replica is not None
    assert lora.training.serving_gpus_per_replica <= 8


def test_every_self_hosted_line_item_names_its_formula_inputs_and_sources() -> None:
    for approach in ("lora", "full"):
        items = estimate(scenario()).approach(approach).line_items
        for item in [*items.setup, *items.per_query, *items.monthly]:
            assert item.formula and item.inputs, item.label
            for assumption_id in item.assumption_ids:
                assert item.sources[assumption_id], (item.label, assumption_id)


def test_self_hosted_triage_preset_matches_its_note() -> None:
    preset = get_preset("self-hosted-triage")
    result = estimate(preset.scenario)
    lora = result.approach("lora")
    assert lora.available and lora.training is not None
    # labour: 120 h × $120 pipeline + labels (385-example review × 3 min / 60 × $120 = $2,310,
    # plus 8 h × $120 = $960 of scripted checks) + the GPU runs
    assert lora.line_items.setup[0].usd == pytest.approx(120 * 120)
    assert lora.line_items.setup[1].usd == pytest.approx(385 * 3 / 60 * 120 + 8 * 120)
    assert lora.setup_usd == pytest.approx(17_700, rel=0.01)
    assert lora.line_items.setup[2].usd == pytest.approx(2.30, abs=0.01)
    assert lora.training.serving_gpu == "l4-24gb"
    assert lora.training.serving_replicas_at_peak == 2
    assert lora.per_query_usd == pytest.approx(0.00014, rel=0.02)
    # one always-on L4: 1 × 730.5 h × $0.80
    assert lora.min_usage_usd_per_month == pytest.approx(584.40)
    # month 1: 200,000 × 30.4375 days × $0.0001415 ≈ $861, above the floor
    assert 200_000 * 30.4375 * lora.per_query_usd == pytest.approx(860, rel=0.01)
    assert lora.usage_usd is not None and lora.usage_usd > 12 * 584.40
    assert lora.total_usd == pytest.approx(72_400, rel=0.01)
    assert lora.training.self_hosting_break_even_daily_queries is None
    assert "$0.000011 per query" in lora.training.self_hosting_break_even_note
    full = result.approach("full")
    assert full.available and full.training is not None
    assert (full.training.gpus_needed, full.training.nodes) == (16, 2)
    assert full.line_items.setup[2].usd == pytest.approx(120, rel=0.01)
    assert (full.training.serving_gpu, full.training.serving_gpus_per_replica) == ("a100-80gb", 2)
    assert full.total_usd == pytest.approx(141_500, rel=0.01)
    for figure in ("$17,700", "$3,270", "$2.30", "$0.00014", "$860", "$584", "$72,400"):
        assert figure in preset.note
    for figure in ("$0.000011", "16 H100s", "$120", "two A100 80 GB", "$141,500"):
        assert figure in preset.note


# --- properties ----------------------------------------------------------------------------------

FAST = settings(max_examples=40, deadline=None)


@FAST
@given(
    queries=st.floats(0, 5e6),
    factor=st.floats(1.0, 20.0),
    growth=st.floats(0, 10),
    output_tokens=st.integers(0, 2000),
    input_tokens=st.integers(0, 8000),
    gpu=st.sampled_from(["a100-80gb", "h100-80gb", "h200-141gb", "l4-24gb"]),
)
def test_more_volume_never_lowers_the_self_hosted_total(
    queries: float, factor: float, growth: float, output_tokens: int, input_tokens: int, gpu: str
) -> None:
    def total(volume: float) -> float:
        traffic = {
            "queries_per_day": volume,
            "monthly_growth_pct": growth,
            "output_tokens": output_tokens,
            "input_tokens": input_tokens,
        }
        lora = estimate(scenario(traffic=traffic, fine_tuning={"gpu": gpu})).approach("lora")
        assert lora.total_usd is not None
        return lora.total_usd

    assert total(queries * factor) >= total(queries) * (1 - 1e-12)


@FAST
@given(
    examples=st.integers(1, 50_000),
    factor=st.integers(1, 20),
    method=st.sampled_from(["lora", "qlora"]),
    tokens=st.integers(1, 20_000),
)
def test_compute_gpu_hours_are_linear_in_examples(
    examples: int, factor: int, method: str, tokens: int
) -> None:
    def compute_gpu_hours(count: int) -> float:
        data = {"labelled_examples": count, "tokens_per_example": tokens}
        training = (
            estimate(scenario(data=data, fine_tuning={"method": method, "epochs": 2}))
            .approach("lora")
            .training
        )
        assert training is not None and training.compute_gpu_hours is not None
        return training.compute_gpu_hours

    one, many = compute_gpu_hours(examples), compute_gpu_hours(examples * factor)
    assert many == pytest.approx(one * factor, rel=1e-9)
    assert math.isfinite(one)


@FAST
@given(
    queries=st.floats(1, 2e7),
    factor=st.floats(1.0, 50.0),
    gpu=st.sampled_from(["a100-80gb", "h100-80gb", "l4-24gb", "a10g-24gb"]),
    precision=st.sampled_from(["bf16", "fp8", "int8", "int4"]),
)
def test_more_traffic_never_lowers_replicas_on_a_given_gpu(
    queries: float, factor: float, gpu: str, precision: str
) -> None:
    def replicas(volume: float) -> int:
        picked = scenario(
            traffic={"queries_per_day": volume},
            fine_tuning={"serving_gpu": gpu, "serving_precision": precision},
        )
        training = estimate(picked).approach("lora").training
        assert training is not None and training.serving_replicas_at_peak is not None
        return training.serving_replicas_at_peak

    assert replicas(queries * factor) >= replicas(queries)


@FAST
@given(
    faster=st.floats(1.0, 10.0),
    params_b=st.floats(0.5, 400),
    tokens=st.floats(1e3, 1e10),
    method=st.sampled_from(["full", "lora", "qlora"]),
    gpus=st.integers(1, 64),
)
def test_a_faster_gpu_at_the_same_price_never_raises_training_cost(
    faster: float, params_b: float, tokens: float, method: str, gpus: int
) -> None:
    def cost(peak_tflops: float) -> float:
        return float(
            training_compute(
                examples=tokens,
                tokens_per_example=1,
                epochs=1,
                params_b=params_b,
                method=method,  # type: ignore[arg-type]
                peak_tflops=peak_tflops,
                usd_per_gpu_hour=3.49,
                gpus=gpus,
                nodes=max(1, gpus // 8),
                mfu=0.3,
                overhead_hours=0.25,
                runs=2,
            ).cost_usd
        )

    assert cost(312 * faster) <= cost(312) * (1 + 1e-12)
