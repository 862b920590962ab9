"""Self-hosted serving: throughput per GPU, replica size, USD per token and the always-on floor.

Like `estimators/compute.py`, the formulas are plain arithmetic on numbers or numpy arrays;
`serving_throughput` and `serving_plan` are for one scenario at a time.

Sources: $/token = GPU $/hour ÷ (tokens/s × 3600 × utilisation) (DESIGN.md §5), anchored on the
vLLM v0.6.0 benchmark (blog.vllm.ai, 2024-09-05: Llama 3 8B at ~1.5k output tokens/s on one A100
and ~3.4k on one H100) and scaled by the rule in `scaled_tokens_per_s` for other pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from estimators.catalog import ModelEntry, get_model
from estimators.selfhost.compute import (
    MAX_GPUS,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    TOKENS_PER_MTOK,
    Number,
    self_hostable_params_b,
)
from estimators.selfhost.gpus import GpuEntry, get_gpu
from estimators.selfhost.gpus import gpus as gpu_table

SERVING_BYTES_PER_PARAM = 2.0  # BF16 weights on the model server
# Throughput measurements come from ShareGPT prompts: 202 input and 179 output tokens on average.
BENCHMARK_INPUT_PER_OUTPUT = 202 / 179
REFERENCE_MODEL_ID = "llama-3.1-8b-instruct"
REFERENCE_GPU_ID = "h100-80gb"


# --- throughput -------------------------------------------------------------------------------


def scaled_tokens_per_s(
    anchor_tokens_per_s: Number,
    anchor_params_b: Number,
    anchor_tflops: Number,
    anchor_bandwidth_gb_per_s: Number,
    params_b: Number,
    tflops: Number,
    bandwidth_gb_per_s: Number,
) -> Number:
    """Output tokens/s per GPU for a model on a GPU without a measurement of its own [tokens/s].

    Scaling rule: throughput ∝ √(dense BF16 peak × memory bandwidth) / parameters. Batched decoding
    sits between the memory-bound roofline (bandwidth / bytes of weights) and the compute-bound one
    (FLOPS / 2N per token); the geometric mean of the two, anchored on Llama 3 8B at 3.4k tokens/s
    on one H100, predicts 1.49k on one A100 80 GB, where vLLM measured ~1.5k (bandwidth alone would
    predict 2.07k, compute alone 1.07k).
    """
    gpu_ratio = (tflops * bandwidth_gb_per_s) / (anchor_tflops * anchor_bandwidth_gb_per_s)
    return anchor_tokens_per_s * (anchor_params_b / params_b) * gpu_ratio**0.5


@dataclass(frozen=True)
class Throughput:
    """Serving throughput of one model on one GPU, and where the figure comes from."""

    tokens_per_s_per_gpu: float  # [tokens/s]
    measured: bool
    basis: str


def serving_throughput(model: ModelEntry, gpu: GpuEntry) -> Throughput:
    """Measured output tokens/s per GPU where a benchmark gives one, else `scaled_tokens_per_s`.

    The anchor is the model's own measurement (on the reference GPU if it has one there), else the
    reference model (Llama 3.1 8B) on the reference GPU (H100).
    """
    params_b = self_hostable_params_b(model)
    if gpu.id in model.serving_tokens_per_s:
        measured = model.serving_tokens_per_s[gpu.id]
        return Throughput(measured, True, f"measured: {model.serving_source}")
    anchor = model if model.serving_tokens_per_s else get_model(REFERENCE_MODEL_ID)
    anchor_gpu_id = (
        REFERENCE_GPU_ID
        if REFERENCE_GPU_ID in anchor.serving_tokens_per_s
        else min(anchor.serving_tokens_per_s)
    )
    anchor_gpu = get_gpu(anchor_gpu_id)
    anchor_params_b = self_hostable_params_b(anchor)
    anchor_tokens_per_s = anchor.serving_tokens_per_s[anchor_gpu_id]
    value = scaled_tokens_per_s(
        anchor_tokens_per_s,
        anchor_params_b,
        anchor_gpu.bf16_tflops,
        anchor_gpu.memory_bandwidth_gb_per_s,
        params_b,
        gpu.bf16_tflops,
        gpu.memory_bandwidth_gb_per_s,
    )
    basis = (
        f"scaled from {anchor.id} at {anchor_tokens_per_s:,.0f} tokens/s on one {anchor_gpu_id} "
        f"× {anchor_params_b:g}B/{params_b:g}B parameters × √(TFLOPS × bandwidth) of {gpu.id} "
        f"over {anchor_gpu_id}"
    )
    return Throughput(float(value), False, basis)


# --- replicas, cost per token and the always-on floor ----------------------------------------


def serving_gpus_per_replica(
    params_b: Number,
    gpu_memory_gb: Number,
    usable_fraction: Number = 0.9,
    kv_cache_fraction: Number = 0.2,
) -> Number:
    """GPUs one model server needs [GPUs]: BF16 weights within the memory left beside the KV cache.

    Rounded up to a power of two, since tensor parallelism splits attention heads evenly.
    """
    weights_gb = params_b * SERVING_BYTES_PER_PARAM
    budget_gb = gpu_memory_gb * usable_fraction * (1.0 - kv_cache_fraction)
    count = np.maximum(1.0, np.ceil(weights_gb / budget_gb))
    return np.exp2(np.ceil(np.log2(count)))


def usd_per_mtok(
    usd_per_gpu_hour: Number, tokens_per_s_per_gpu: Number, utilisation: Number
) -> Number:
    """Serving cost per 1M output tokens [USD] = $/h ÷ (tokens/s × 3600 × utilisation) × 1e6."""
    tokens_per_hour = tokens_per_s_per_gpu * SECONDS_PER_HOUR * utilisation
    return usd_per_gpu_hour / tokens_per_hour * TOKENS_PER_MTOK


def peak_per_s(per_day: Number, peak_to_average: Number) -> Number:
    """A daily amount (queries, tokens) at the busiest hour, per second [1/s]:
    per day ÷ 86,400 × peak/average.

    The one peak rule: serving replicas, self-hosted concurrency and rate-limit checks use it.
    """
    return per_day / SECONDS_PER_DAY * peak_to_average


def peak_output_tokens_per_s(
    queries_per_day: Number, output_tokens: Number, peak_to_average: Number
) -> Number:
    """Output tokens/s the servers must sustain at the busiest hour [tokens/s]."""
    return peak_per_s(queries_per_day * output_tokens, peak_to_average)


def replicas_for_peak(
    peak_tokens_per_s: Number,
    tokens_per_s_per_gpu: Number,
    gpus_per_replica: Number,
    utilisation: Number,
    min_replicas: Number = 1.0,
) -> Number:
    """Model servers at the peak [replicas] = ceil(peak / replica capacity), ≥ the minimum."""
    capacity = tokens_per_s_per_gpu * gpus_per_replica * utilisation
    return np.maximum(np.ceil(min_replicas), np.ceil(peak_tokens_per_s / capacity))


def floor_usd_per_month(
    min_replicas: Number,
    gpus_per_replica: Number,
    usd_per_gpu_hour: Number,
    hours_per_month: Number,
) -> Number:
    """The always-on cost [USD/month] = replicas × GPUs per replica × hours × $/GPU-hour."""
    return min_replicas * gpus_per_replica * hours_per_month * usd_per_gpu_hour


@dataclass(frozen=True)
class Serving:
    """A self-hosted serving plan for one model on one GPU type."""

    tokens_per_s_per_gpu: float  # [tokens/s]
    gpus_per_replica: int
    usd_per_mtok: float  # [USD per 1M output tokens]
    replicas: int  # at the peak
    floor_usd_per_month: float  # [USD/month]
    fits: bool
    message: str


def serving_plan(
    *,
    model_name: str,
    params_b: float,
    gpu: GpuEntry,
    tokens_per_s_per_gpu: float,
    queries_per_day: float,
    output_tokens: float,
    hours_per_month: float,
    utilisation: float = 0.5,
    peak_to_average: float = 2.0,
    min_replicas: float = 1.0,
    usable_fraction: float = 0.9,
    kv_cache_fraction: float = 0.2,
    usd_per_gpu_hour: float | None = None,
    max_gpus: int = MAX_GPUS,
) -> Serving:
    """Replica size, USD per 1M output tokens, replicas at the peak and the monthly floor."""
    price = gpu.usd_per_hour if usd_per_gpu_hour is None else usd_per_gpu_hour
    per_replica = int(
        serving_gpus_per_replica(params_b, gpu.memory_gb, usable_fraction, kv_cache_fraction)
    )
    peak = peak_output_tokens_per_s(queries_per_day, output_tokens, peak_to_average)
    replicas = int(
        replicas_for_peak(peak, tokens_per_s_per_gpu, per_replica, utilisation, min_replicas)
    )
    floor = float(floor_usd_per_month(min_replicas, per_replica, price, hours_per_month))
    fits = per_replica <= max_gpus
    weights_gb = params_b * SERVING_BYTES_PER_PARAM
    if fits:
        message = (
            f"{model_name} serves from {per_replica} × {gpu.id} per replica; {replicas} "
            f"replica(s) at the peak of {peak:,.0f} output tokens/s."
        )
    else:
        options = [
            g.id
            for g in gpu_table().values()
            if serving_gpus_per_replica(params_b, g.memory_gb, usable_fraction, kv_cache_fraction)
            <= max_gpus
        ]
        message = (
            f"{model_name} needs {per_replica} × {gpu.id} per serving replica for "
            f"{weights_gb:,.0f} GB of BF16 weights, more than the {max_gpus} GPUs of one node. "
            "What would work: "
            f"{'choose ' + ' or '.join(options) if options else 'a smaller model'}."
        )
    return Serving(
        tokens_per_s_per_gpu=float(tokens_per_s_per_gpu),
        gpus_per_replica=per_replica,
        usd_per_mtok=float(usd_per_mtok(price, tokens_per_s_per_gpu, utilisation)),
        replicas=replicas,
        floor_usd_per_month=floor,
        fits=fits,
        message=message,
    )
