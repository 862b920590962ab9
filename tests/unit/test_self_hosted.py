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
from estimators.selfhost.gpus import get_gpu
from tests.closed_form import break_even_queries_per_day
from tests.scenarios import PINNED_ASSUMPTIONS

# The engine-wide pins (tests/scenarios.py), plus every self-hosting assumption.
PINNED = PINNED_ASSUMPTIONS | {
    "selfhost.mfu": 0.4,
    "selfhost.lora_flops_per_param_token": 4,
    "selfhost.qlora_slowdown": 1.5,
    "selfhost.lora_trainable_fraction": 0.005,
    "selfhost.micro_batch_sequences": 4,
    "selfhost.usable_memory_fraction": 0.9,
    "selfhost.serving_kv_cache_fraction": 0.2,
    "selfhost.serving_utilisation": 0.5,
    "selfhost.peak_to_average_ratio": 2,
    "selfhost.min_replicas": 1,
    "selfhost.input_token_weight": 0.15,
    "selfhost.ops_hours_per_month": 8,
}

# Llama 3.1 8B (8.03B parameters, 3,400 output tokens/s measured on one H100) fine-tuned with
# LoRA as the small model and fully as the large one, on H100s at $3.49 per GPU-hour.
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
# 300,000 tokens; 4 × 8.03e9 × 300,000 = 9.636e15 FLOP; / (989e12 × 0.4) / 3,600 = 0.006766
# GPU-hours; × $3.49 = $0.02361.
LORA_RUN_USD = 4 * 8.03e9 * 300_000 / (989e12 * 0.4) / 3600 * 3.49
# $3.49 / (3,400 tokens/s × 3,600 s × 0.5) × 1e6 = $0.5703 per 1M output tokens.
USD_PER_MTOK = 3.49 / (3400 * 3600 * 0.5) * 1e6
# Per query: 200 output tokens, plus prompt tokens beyond the benchmark's 202 per 179 output:
# (50 + 400) − 202/179 × 200 = 224.30 prompt tokens × 0.15 = 33.64 output-token equivalents.
EXTRA_PROMPT = 450 - 202 / 179 * 200
PER_QUERY_USD = (200 + 0.15 * EXTRA_PROMPT) * USD_PER_MTOK / 1e6
# Floor: 1 replica × 1 GPU × 30 days × 24 h × $3.49 = $2,512.80 a month.
FLOOR_USD = 1 * 1 * 30 * 24 * 3.49
# Monthly: upkeep 8 h × $100 + ops 8 h × $100 + (2 changes + 1 update + 1 drift) / 12 × (run +
# 10 h × $100).
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
    model, gpu = get_model("llama-3.1-8b-instruct"), get_gpu("h100-80gb")
    assert (model.params_b, model.serving_tokens_per_s["h100-80gb"]) == (8.03, 3400)
    assert (gpu.bf16_tflops, gpu.memory_gb, gpu.usd_per_hour) == (989, 80, 3.49)
    assert (model.input_usd_per_mtok, model.output_usd_per_mtok) == (0.03, 0.05)


# --- hand arithmetic -----------------------------------------------------------------------------


def test_self_hosted_lora_setup_is_labour_curation_and_one_gpu_run() -> None:
    lora = estimate(scenario()).approach("lora")
    assert lora.available
    # 100 h × $100 + labels (review min(200, 100) × 3 min / 60 × $100 + scripted checks
    # 4 h × $100) + the GPU run
    assert lora.setup_usd == pytest.approx(10_000 + 500 + 400 + LORA_RUN_USD)
    run = lora.line_items.setup[2]
    assert run.usd == pytest.approx(0.02361, abs=1e-5)
    assert run.label == "GPU training run: lora of llama-3.1-8b-instruct on 1 × h100-80gb"
    assert run.usd == pytest.approx(LORA_RUN_USD)
    assert "selfhost.mfu" in run.formula and "GPU USD per hour" in run.formula
    assert run.inputs["GPU-hours"] == pytest.approx(9.636e15 / (989e12 * 0.4) / 3600)
    assert "runpod.io" in run.sources["GPU USD per hour"]


def test_self_hosted_training_block() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None
    assert (training.hosting, training.method, training.gpu) == ("self_hosted", "lora", "h100-80gb")
    assert (training.tokens, training.epochs) == (300_000, 3)
    assert training.flops == pytest.approx(9.636e15)
    assert training.gpu_hours == pytest.approx(9.636e15 / (989e12 * 0.4) / 3600)
    # LoRA memory: 8.03 × (2 + 0.005 × 16) = 16.70 GB of states + 500 × 4 sequences of
    # activations, on one H100 (72 GB usable)
    assert (training.fits, training.gpus_needed) == (True, 1)
    assert training.memory_gb == pytest.approx(8.03 * 2.08 + 0.91, abs=0.01)
    assert training.serving_usd_per_mtok == pytest.approx(USD_PER_MTOK)
    assert (training.serving_gpus_per_replica, training.serving_replicas_at_peak) == (1, 1)
    assert training.floor_usd_per_month == pytest.approx(FLOOR_USD)
    assert "= $2,512.80 per month" in training.floor_formula


def test_self_hosted_lora_per_query_is_gpu_time_for_output_and_extra_prompt() -> None:
    lora = estimate(scenario()).approach("lora")
    output, prompt = lora.line_items.per_query
    # 200 × $0.5703 / 1M = $0.00011405
    assert output.usd == pytest.approx(200 * USD_PER_MTOK / 1e6)
    # 224.30 × 0.15 × $0.5703 / 1M = $0.00001919
    assert prompt.usd == pytest.approx(EXTRA_PROMPT * 0.15 * USD_PER_MTOK / 1e6)
    assert lora.per_query_usd == pytest.approx(PER_QUERY_USD)
    assert lora.per_query_usd == pytest.approx(0.00013324, abs=1e-8)
    assert output.inputs["output tokens/s per GPU"] == 3400
    assert "vLLM v0.6.0" in output.sources["output tokens/s per GPU"]
    assert "selfhost.serving_utilisation" in output.formula


def test_a_prompt_within_the_benchmarks_own_mix_costs_nothing_extra() -> None:
    # (50 + 100) prompt tokens ≤ 202/179 × 200 = 225.7: already inside the measured throughput
    lora = estimate(scenario(traffic={"input_tokens": 100})).approach("lora")
    _, prompt = lora.line_items.per_query
    assert prompt.usd == 0
    assert lora.per_query_usd == pytest.approx(200 * USD_PER_MTOK / 1e6)


def test_self_hosted_lora_floor_and_monthly() -> None:
    lora = estimate(scenario()).approach("lora")
    assert lora.min_usage_usd_per_month == pytest.approx(FLOOR_USD)
    assert lora.min_usage_usd_per_month == pytest.approx(2512.80)
    labels = [item.label for item in lora.line_items.monthly]
    assert labels[1] == "Run the model servers (on-call, upgrades, capacity)"
    assert lora.maintenance_usd_per_month == pytest.approx(LORA_MONTHLY_USD)


def test_self_hosted_full_fine_tune_trains_every_weight() -> None:
    full = estimate(scenario(fine_tuning={"method": "qlora"})).approach("full")
    assert full.available and full.training is not None
    # always a full fine-tune, whatever fine_tuning.method says: 6 × 8.03e9 × 300,000 FLOP
    assert full.training.method == "full"
    run_usd = 6 * 8.03e9 * 300_000 / (989e12 * 0.4) / 3600 * 3.49
    # 8.03 × 16 = 128.5 GB of states + activations: 2 × H100 (72 GB usable each)
    assert full.training.gpus_needed == 2
    assert full.setup_usd == pytest.approx(20_000 + 500 + 400 + run_usd)
    # the same model and GPU serve it: the same per-query cost and floor as the LoRA
    assert full.per_query_usd == pytest.approx(PER_QUERY_USD)
    assert full.min_usage_usd_per_month == pytest.approx(FLOOR_USD)
    assert full.maintenance_usd_per_month == pytest.approx(1600 + 800 + 4 / 12 * (run_usd + 1000))


def test_qlora_costs_its_slowdown_in_gpu_time() -> None:
    lora = estimate(scenario(fine_tuning={"method": "qlora"})).approach("lora")
    assert lora.training is not None and lora.training.method == "qlora"
    # 4 × 1.5 FLOPs per parameter-token
    assert lora.line_items.setup[2].usd == pytest.approx(LORA_RUN_USD * 1.5)


def test_training_sequences_are_capped_like_billing() -> None:
    data = {"labelled_examples": 10, "tokens_per_example": 20_000}
    lora = estimate(scenario(data=data)).approach("lora")
    assert lora.training is not None
    # 10 examples → min(25, 100 // 10) = 10 epochs; each sequence capped at 16,385 tokens
    assert lora.training.tokens == 10 * 16_385 * 10
    run = lora.line_items.setup[2]
    assert run.inputs["training sequence tokens (capped at 16,385)"] == 16_385
    assert run.usd == pytest.approx(4 * 8.03e9 * 10 * 16_385 * 10 / (989e12 * 0.4) / 3600 * 3.49)


# --- the timeline applies the floor --------------------------------------------------------------


def test_total_pays_the_floor_at_low_volume() -> None:
    lora = estimate(scenario()).approach("lora")
    # 1,000 queries × 30 days × $0.000133 = $4 a month, below the $2,512.80 floor
    assert 1000 * 30 * PER_QUERY_USD < FLOOR_USD
    assert lora.usage_usd == pytest.approx(12 * FLOOR_USD)
    assert lora.total_usd == pytest.approx(lora.setup_usd + 12 * (FLOOR_USD + LORA_MONTHLY_USD))


def test_total_pays_per_query_at_high_volume() -> None:
    lora = estimate(scenario(traffic={"queries_per_day": 1_000_000})).approach("lora")
    # 1M queries × 30 days × $0.000133 = $3,997 a month, above the floor
    monthly_usage = 1_000_000 * 30 * PER_QUERY_USD
    assert monthly_usage > FLOOR_USD
    assert lora.usage_usd == pytest.approx(12 * monthly_usage)
    assert lora.total_usd == pytest.approx(lora.setup_usd + 12 * (monthly_usage + LORA_MONTHLY_USD))


# --- API versus self-hosting ---------------------------------------------------------------------


def test_no_crossover_when_the_provider_is_cheaper_per_query() -> None:
    training = estimate(scenario()).approach("lora").training
    assert training is not None
    # provider: 450 × $0.03 / 1M + 200 × $0.05 / 1M = $0.0000235 per query, no floor
    assert training.self_hosting_break_even_daily_queries is None
    note = training.self_hosting_break_even_note
    assert note.startswith("No crossover:") and "costs more per query" in note
    assert "$0.000133 per query" in note and "$0.000024 per query" in note
    assert "base model's hosted per-token price" in note


def test_crossover_against_a_provider_at_the_base_model_price() -> None:
    prices = with_model("llama-3.1-8b-instruct", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0)
    training = estimate(scenario(), prices).approach("lora").training
    assert training is not None
    # provider: 450 × $1 / 1M + 200 × $2 / 1M = $0.00085 per query. Training, labour and retrains
    # are the same either way; self-hosting adds the floor F = $2,512.80 and ops M = $800 a month.
    # q* = max((M + F) / (30 × 0.00085), M / (30 × (0.00085 − 0.000133))) = 129,913.7 per day
    provider = 450 * 1.0 / 1e6 + 200 * 2.0 / 1e6
    expected = max((800 + FLOOR_USD) / (30 * provider), 800 / (30 * (provider - PER_QUERY_USD)))
    assert expected == pytest.approx(129_913.7, abs=0.1)
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
    assert "above 129,914 queries/day" in training.self_hosting_break_even_note


def test_crossover_with_growth_is_in_month_one_volume() -> None:
    prices = with_model("llama-3.1-8b-instruct", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0)
    grown = scenario(traffic={"monthly_growth_pct": 5})
    training = estimate(grown, prices).approach("lora").training
    assert training is not None and training.self_hosting_break_even_daily_queries is not None
    # growth brings the volume at which self-hosting pays off earlier in month-1 terms
    assert training.self_hosting_break_even_daily_queries < 129_913
    assert "(month 1, at the scenario's growth)" in training.self_hosting_break_even_note


def test_crossover_against_a_fine_tuning_service_when_hosting_is_api() -> None:
    offer = FineTuningPrice(
        training_usd_per_mtok=3.0,
        input_usd_per_mtok=0.5,
        output_usd_per_mtok=1.5,
        source="test offer",
        as_of="2026-01-01",
    )
    prices = with_model("llama-3.1-8b-instruct", fine_tuning=offer)
    result = estimate(scenario(fine_tuning={"hosting": "api"}), prices).approach("lora")
    assert result.training is not None and result.training.hosting == "api"
    # API: training 300,000 × $3 / 1M = $0.90; per query 450 × 0.5 / 1M + 200 × 1.5 / 1M
    api_query = 450 * 0.5 / 1e6 + 200 * 1.5 / 1e6
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


def test_a_full_fine_tune_too_big_for_a_node_says_what_would_work() -> None:
    full = estimate(scenario(models={"large": "llama-3.1-70b-instruct"})).approach("full")
    assert not full.available and full.total_usd is None
    # 70.6 × 16 bytes = 1,130 GB of states: 16 × H100, more than the 8 of one node
    assert full.unavailable_reason.startswith("llama-3.1-70b-instruct (70.6B parameters)")
    assert "16 × h100-80gb" in full.unavailable_reason
    assert "use lora (3 × h100-80gb)" in full.unavailable_reason
    assert full.training is not None
    assert (full.training.fits, full.training.gpus_needed) == (False, 16)


def test_a_model_that_trains_but_cannot_be_served_on_a_node_is_unavailable() -> None:
    small = scenario(
        models={"small": "qwen2.5-72b-instruct"}, fine_tuning={"method": "qlora", "gpu": "l4-24gb"}
    )
    lora = estimate(small).approach("lora")
    assert not lora.available and lora.training is not None
    # QLoRA fits 3 L4s for training, but 145 GB of BF16 weights need 16 L4s per replica
    assert (lora.training.fits, lora.training.gpus_needed) == (False, 3)
    assert lora.unavailable_reason.startswith(
        "qwen2.5-72b-instruct needs 16 × l4-24gb per serving replica"
    )
    assert "choose a100-40gb or a100-80gb or h100-80gb or h200-141gb" in lora.unavailable_reason


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
    # 120 h × $120 + labels (review min(5,000, 385) × 3 min / 60 × $120 = $2,310 + scripted
    # checks 8 h × $120 = $960) + a run under $1
    assert lora.setup_usd == pytest.approx(14_400 + 2_310 + 960, abs=1)
    assert lora.per_query_usd == pytest.approx(0.000032, rel=0.02)
    assert lora.min_usage_usd_per_month == pytest.approx(2549.445)
    # the floor is the whole serving bill: every month's volume costs less than it
    assert lora.usage_usd == pytest.approx(12 * 2549.445)
    assert lora.total_usd == pytest.approx(91_500, rel=0.01)
    assert lora.training.self_hosting_break_even_daily_queries is None
    assert "$0.000011 per query" in lora.training.self_hosting_break_even_note
    full = result.approach("full")
    assert not full.available and "16 × h100-80gb" in full.unavailable_reason
    for figure in ("$17,700", "$2,549", "$91,500", "$0.000032", "$0.000011", "16 H100s"):
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
def test_gpu_hours_are_linear_in_examples(
    examples: int, factor: int, method: str, tokens: int
) -> None:
    def gpu_hours(count: int) -> float:
        data = {"labelled_examples": count, "tokens_per_example": tokens}
        training = (
            estimate(scenario(data=data, fine_tuning={"method": method, "epochs": 2}))
            .approach("lora")
            .training
        )
        assert training is not None and training.gpu_hours is not None
        return training.gpu_hours

    assert gpu_hours(examples * factor) == pytest.approx(gpu_hours(examples) * factor, rel=1e-9)
    assert math.isfinite(gpu_hours(examples))
