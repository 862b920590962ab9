"""Serving memory and precision: weights by precision, KV cache, the decode roofline, and their
effect on the serving GPU, replicas and throughput (issue 18, engine side)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.catalog import get_model
from estimators.estimate import estimate
from estimators.selfhost import serving as s
from estimators.selfhost import serving_memory as sm
from tests.unit.selfhost.test_self_hosted import scenario, with_model

HIDDEN_8B = (128 * 8.03e9 / 12) ** (1 / 3)  # 4,408 from N ≈ 12·L·h² with h/L = 128
EMBEDDINGS_8B = 2 * 128_256 * HIDDEN_8B / 1e9  # 1.131B: input embeddings + output head


def test_bf16_weights_are_two_bytes_a_parameter() -> None:
    assert sm.weights_gb(8.03, "bf16") == pytest.approx(16.06)


def test_int4_weights_of_an_8b_model_are_five_to_six_gb() -> None:
    # DESIGN.md §12: real AWQ checkpoints of an 8B model take ~5–6 GB, not 8.03 / 2 = 4 GB,
    # because the embeddings and output head stay in 16 bits:
    # (8.03 − 1.131) × (4 + 20/128) / 8 + 1.131 × 2 = 3.584 + 2.262 = 5.85 GB
    expected = (8.03 - EMBEDDINGS_8B) * (4 + 20 / 128) / 8 + EMBEDDINGS_8B * 2
    assert sm.weights_gb(8.03, "int4") == pytest.approx(expected)
    assert 5.0 <= sm.weights_gb(8.03, "int4") <= 6.0


def test_fp8_and_int8_weights_are_about_one_byte_a_parameter_plus_the_embeddings() -> None:
    # (8.03 − 1.131) × 1 + 1.131 × 2 = 9.16 GB
    expected = (8.03 - EMBEDDINGS_8B) + EMBEDDINGS_8B * 2
    assert sm.weights_gb(8.03, "fp8") == pytest.approx(expected)
    assert sm.weights_gb(8.03, "int8") == pytest.approx(expected)
    # a 70B model has proportionally smaller embeddings: about 1.03 bytes a parameter
    assert sm.weight_bytes_per_param("fp8", 70.6) == pytest.approx(1.03, abs=0.01)


def test_kv_cache_per_token_of_llama_8b_and_70b() -> None:
    # real: 2 × 32 × 8 × 128 × 2 = 131,072 bytes (8B); 2 × 80 × 8 × 128 × 2 = 327,680 (70B);
    # the depth estimated from the size alone lands within 15%
    assert sm.kv_cache_bytes_per_token(8.03) == pytest.approx(131_072, rel=0.15)
    assert sm.kv_cache_bytes_per_token(70.6) == pytest.approx(327_680, rel=0.15)
    # 64 sequences of 4,096 tokens at 141,058 bytes each = 36.98 GB
    per_token = 2 * (HIDDEN_8B / 128) * 1024 * 2
    assert sm.kv_cache_gb(8.03, 64, 4096) == pytest.approx(64 * 4096 * per_token / 1e9)


def test_decode_is_memory_bound_at_small_batches_and_compute_bound_past_the_ridge() -> None:
    small = sm.decode_step(
        params_b=8.03,
        precision="bf16",
        sequences=1,
        context_tokens=650,
        gpus=1,
        bandwidth_gb_per_s=3350,
        peak_tflops=989,
    )
    # reads ~16.06 GB in 4.8 ms; computes 2 × 8.03e9 FLOP in 0.016 ms
    assert small.bound == "memory"
    assert small.memory_ms == pytest.approx(16.15 / 3350 * 1e3, rel=0.01)
    assert small.compute_ms == pytest.approx(2 * 8.03e9 / 989e12 * 1e3)
    big = sm.decode_step(
        params_b=8.03,
        precision="int4",
        sequences=64,
        context_tokens=100,
        gpus=1,
        bandwidth_gb_per_s=600,
        peak_tflops=70,
    )
    # A10G, INT4: 5.85 + 0.90 GB in 11.3 ms against 64 × 2 × 8.03e9 FLOP in 14.7 ms
    assert big.bound == "compute"
    assert big.note.startswith("compute-bound: at 64.0 sequences per replica")


def test_quantised_weights_raise_throughput_by_the_root_of_the_bytes_saved() -> None:
    model, h100 = get_model("llama-3.1-8b-instruct"), s.get_gpu("h100-80gb")
    bf16 = s.serving_throughput(model, h100).tokens_per_s_per_gpu
    int4 = s.serving_throughput(model, h100, "int4").tokens_per_s_per_gpu
    # 3,400 × √(2 / (5.85 / 8.03)) = 3,400 × 1.657
    assert bf16 == 3400
    assert int4 == pytest.approx(3400 * (2 / (sm.weights_gb(8.03, "int4") / 8.03)) ** 0.5)


def test_every_precision_carries_a_cited_quality_note() -> None:
    assert set(sm.QUALITY_NOTES) == set(sm.PRECISIONS)
    for precision in ("fp8", "int8", "int4"):
        assert "arXiv 2411.02355" in sm.QUALITY_NOTES[precision]


def test_int4_serves_a_70b_model_from_one_gpu_instead_of_two() -> None:
    big = {"models": {"small": "llama-3.1-70b-instruct"}}
    bf16 = estimate(scenario(**big)).approach("lora").training
    int4 = (
        estimate(scenario(**big, fine_tuning={"serving_precision": "int4"}))
        .approach("lora")
        .training
    )
    assert bf16 is not None and int4 is not None
    # BF16: 141 GB of weights need 2 × A100 80 GB; INT4: ~40 GB fits one
    assert (bf16.serving_gpu, bf16.serving_gpus_per_replica) == ("a100-80gb", 2)
    assert (int4.serving_gpu, int4.serving_gpus_per_replica) == ("a100-80gb", 1)
    assert int4.serving_precision == "int4" and "arXiv 2411.02355" in int4.serving_precision_note
    assert int4.serving_weight_bytes_per_param == pytest.approx(0.57, abs=0.01)
    assert int4.floor_usd_per_month == pytest.approx(bf16.floor_usd_per_month / 2)
    assert int4.serving_memory_gb_by_part is not None
    assert 38 <= int4.serving_memory_gb_by_part["weights"] <= 42


def test_int4_of_an_8b_model_holds_its_weights_plus_the_kv_cache() -> None:
    training = (
        estimate(scenario(fine_tuning={"serving_precision": "int4"})).approach("lora").training
    )
    assert training is not None and training.serving_memory_gb_by_part is not None
    parts = training.serving_memory_gb_by_part
    assert 5.0 <= parts["weights"] <= 6.0
    assert training.serving_memory_gb_per_replica == pytest.approx(
        parts["weights"] + parts["kv_cache"] + parts["activations"]
    )


@settings(max_examples=25, deadline=None)
@given(
    queries=st.floats(1, 1e8),
    precision=st.sampled_from(sm.PRECISIONS),
    model=st.sampled_from(["llama-3.1-8b-instruct", "qwen2.5-32b-instruct"]),
)
def test_quantising_never_raises_the_busiest_month(
    queries: float, precision: str, model: str
) -> None:
    traffic = s.ServingTraffic(
        queries_per_day=queries,
        output_tokens=250,
        output_token_equivalents=300,
        context_tokens=1_000,
        hours_per_month=730.5,
    )
    entry = get_model(model)
    assert entry.params_b is not None

    def cost(p: str) -> float:
        choice = s.choose_serving(
            model=entry,
            params_b=entry.params_b,
            precision=p,  # type: ignore[arg-type]
            traffic=traffic,
        )
        return choice.option.busiest_month_usd if choice.fits else float("inf")

    assert cost(precision) <= cost("bf16") * (1 + 1e-12)


def test_a_larger_model_than_any_gpu_holds_says_quantise_or_shrink() -> None:
    prices = with_model("qwen2.5-72b-instruct", params_b=900.0)
    lora = estimate(
        scenario(models={"small": "qwen2.5-72b-instruct"}, fine_tuning={"method": "qlora"}),
        prices,
    ).approach("lora")
    assert not lora.available
    assert "What would work: set fine_tuning.serving_precision to int4, or a smaller model" in (
        lora.unavailable_reason
    )
