"""Self-hosted fine-tuning and serving: FLOPs, GPU hours, memory fit, throughput and cost.

The formulas take plain numbers with units in their names and docstrings, so they also accept
numpy arrays (the uncertainty analysis calls them with one array per assumption): no branching on
values, only arithmetic, `np.maximum` and `np.ceil`. The compound results (`training_compute`,
`memory_fit`, `serving_plan`) are for one scenario at a time and return small frozen dataclasses.
Keyword defaults mirror the likely values in `presets/assumptions/selfhost.json`; the approaches
pass the values in force for the scenario.

Sources:
- Training FLOPs: 6·N·D for a full fine-tune (Kaplan et al. 2020, "Scaling Laws for Neural
  Language Models"); LoRA skips the weight gradients of frozen weights, ≈ 4·N·D, and the LoRA paper
  (Hu et al. 2021) measured 43.1 vs 32.5 tokens/s per V100 on GPT-3 175B, 1.33× full fine-tuning;
  QLoRA adds a dequantisation slowdown (Dettmers et al. 2023 give none; practitioners see ~1.5×).
- Memory: mixed-precision Adam holds 16 bytes per trained parameter (ZeRO, Rajbhandari et al. 2019:
  2 fp16 weights + 2 fp16 gradients + 12 fp32 master weights, momentum and variance); LoRA freezes
  BF16 weights (2 bytes) and trains adapters at 16 bytes each; QLoRA stores NF4 weights with
  double-quantised constants, 4.127 bits per parameter (Dettmers et al. 2023). Activations follow
  Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer Models").
- Serving: $/token = GPU $/hour ÷ (tokens/s × 3600 × utilisation) (DESIGN.md §5), anchored on the
  vLLM v0.6.0 benchmark (blog.vllm.ai, 2024-09-05) and scaled by the rule in `scaled_tokens_per_s`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from estimators.catalog import ModelEntry, get_model, model_ids, models
from estimators.errors import EstimatorError
from estimators.gpus import GpuEntry, get_gpu
from estimators.gpus import gpus as gpu_table

Method = Literal["full", "lora", "qlora"]
METHODS: tuple[Method, ...] = ("full", "lora", "qlora")
# A float, or a numpy array of floats when the uncertainty analysis draws many at once.
Number: TypeAlias = float | NDArray[np.float64]

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86_400.0
TOKENS_PER_MTOK = 1e6
FLOP_PER_TFLOP = 1e12
PARAMS_PER_B = 1e9
BYTES_PER_GB = 1e9
MAX_GPUS = 8  # one node: DESIGN.md §5 treats more than 8 of the chosen GPU as "does not fit"

FULL_FLOPS_PER_PARAM_TOKEN = 6.0  # Kaplan et al. 2020: forward 2 + backward 4
FULL_BYTES_PER_PARAM = 16.0  # ZeRO: 2 + 2 + 12 bytes for mixed-precision Adam
LORA_FROZEN_BYTES_PER_PARAM = 2.0  # frozen BF16 weights
QLORA_FROZEN_BYTES_PER_PARAM = 4.127 / 8  # NF4 + double-quantised constants (QLoRA §3)
ADAPTER_BYTES_PER_PARAM = 16.0  # adapters train like any parameter under mixed-precision Adam
SERVING_BYTES_PER_PARAM = 2.0  # BF16 weights on the model server

# Transformer shape from the parameter count alone: N ≈ 12·L·h² (Kaplan et al. 2020) with the
# width/depth ratio h/L ≈ 128 of Llama 3.1 8B (4096/32) and GPT-3 (12288/96).
ASPECT_RATIO = 128.0
# Korthikanti et al. 2022: a layer's activations take s·b·h·(34 + 5·a·s/h) bytes; FlashAttention
# never stores the s×s scores, leaving 34·s·b·h; with full recomputation only each layer's 2-byte
# input (2·s·b·h per layer) is kept, plus one layer's working set while it is recomputed.
CHECKPOINT_BYTES_PER_HIDDEN = 2.0
LAYER_WORKING_BYTES_PER_HIDDEN = 34.0

# Throughput measurements come from ShareGPT prompts: 202 input and 179 output tokens on average.
BENCHMARK_INPUT_PER_OUTPUT = 202 / 179
REFERENCE_MODEL_ID = "llama-3.1-8b-instruct"
REFERENCE_GPU_ID = "h100-80gb"


# --- training compute -----------------------------------------------------------------------


def training_tokens(examples: Number, tokens_per_example: Number, epochs: Number) -> Number:
    """Tokens the run processes [tokens]: examples × tokens per example × epochs."""
    return examples * tokens_per_example * epochs


def method_flops_per_param_token(
    method: Method, lora_flops_per_param_token: Number = 4.0, qlora_slowdown: Number = 1.5
) -> Number:
    """Training FLOPs per parameter per token [FLOP]: 6 full, ≈4 LoRA, LoRA × slowdown QLoRA.

    QLoRA runs the same BF16 matmuls as LoRA after dequantising each weight, so its extra time is
    counted as extra LoRA-equivalent FLOPs at the same MFU.
    """
    if method == "full":
        return FULL_FLOPS_PER_PARAM_TOKEN
    if method == "lora":
        return lora_flops_per_param_token
    if method == "qlora":
        return lora_flops_per_param_token * qlora_slowdown
    raise EstimatorError(
        f"unknown fine-tuning method '{method}'. Known methods: {', '.join(METHODS)}."
    )


def training_flops(params_b: Number, tokens: Number, flops_per_param_token: Number) -> Number:
    """Training compute [FLOP] = FLOPs per parameter-token × parameters × tokens (6·N·D, Kaplan)."""
    return flops_per_param_token * params_b * PARAMS_PER_B * tokens


def training_wall_clock_hours(
    flops: Number, gpus: Number, peak_tflops: Number, mfu: Number
) -> Number:
    """Hours the run takes [h] = FLOPs / (GPUs × dense BF16 peak [TFLOPS] × MFU) / 3600."""
    return flops / (gpus * peak_tflops * FLOP_PER_TFLOP * mfu) / SECONDS_PER_HOUR


def training_gpu_hours(flops: Number, peak_tflops: Number, mfu: Number) -> Number:
    """GPU time billed [GPU-hours] = wall-clock hours × GPUs; the GPU count cancels out."""
    return training_wall_clock_hours(flops, 1.0, peak_tflops, mfu)


@dataclass(frozen=True)
class TrainingCompute:
    """One fine-tuning run on self-hosted GPUs."""

    tokens: float  # [tokens]
    epochs: float
    flops: float  # [FLOP]
    gpu_hours: float  # [GPU-hours]
    gpus: int
    wall_clock_hours: float  # [h]
    cost_usd: float  # [USD]


def training_compute(
    *,
    examples: float,
    tokens_per_example: float,
    epochs: float,
    params_b: float,
    method: Method,
    gpu: GpuEntry,
    gpus: int,
    mfu: float,
    usd_per_gpu_hour: float | None = None,
    lora_flops_per_param_token: float = 4.0,
    qlora_slowdown: float = 1.5,
) -> TrainingCompute:
    """Tokens, FLOPs, GPU hours, wall clock and cost of one run on `gpus` × `gpu`.

    The price defaults to the catalogue's likely on-demand price for the GPU [USD/GPU-hour].
    """
    tokens = training_tokens(examples, tokens_per_example, epochs)
    per_token = method_flops_per_param_token(method, lora_flops_per_param_token, qlora_slowdown)
    flops = training_flops(params_b, tokens, per_token)
    gpu_hours = training_gpu_hours(flops, gpu.bf16_tflops, mfu)
    price = gpu.usd_per_hour if usd_per_gpu_hour is None else usd_per_gpu_hour
    return TrainingCompute(
        tokens=float(tokens),
        epochs=float(epochs),
        flops=float(flops),
        gpu_hours=float(gpu_hours),
        gpus=int(gpus),
        wall_clock_hours=float(gpu_hours / gpus),
        cost_usd=float(gpu_hours * price),
    )


# --- training memory ------------------------------------------------------------------------


def model_state_bytes_per_param(method: Method, trainable_fraction: Number = 0.005) -> Number:
    """Weights, gradients and optimiser states per base parameter [bytes].

    full 16 (ZeRO); lora 2 frozen BF16 + adapters × 16; qlora 4.127 bits NF4 + adapters × 16.
    """
    adapters = trainable_fraction * ADAPTER_BYTES_PER_PARAM
    if method == "full":
        return FULL_BYTES_PER_PARAM
    if method == "lora":
        return LORA_FROZEN_BYTES_PER_PARAM + adapters
    if method == "qlora":
        return QLORA_FROZEN_BYTES_PER_PARAM + adapters
    raise EstimatorError(
        f"unknown fine-tuning method '{method}'. Known methods: {', '.join(METHODS)}."
    )


def transformer_shape(params_b: Number) -> tuple[Number, Number]:
    """Estimated hidden size and layer count from N ≈ 12·L·h² with h/L = 128 [units, layers]."""
    hidden = (ASPECT_RATIO * params_b * PARAMS_PER_B / 12.0) ** (1.0 / 3.0)
    return hidden, hidden / ASPECT_RATIO


def activation_memory_gb(
    params_b: Number, sequence_tokens: Number, micro_batch_sequences: Number
) -> Number:
    """Activations with gradient checkpointing [GB] (Korthikanti et al. 2022, FlashAttention).

    tokens × h × (2 bytes × L stored layer inputs + 34 bytes for the layer being recomputed).
    """
    hidden, layers = transformer_shape(params_b)
    tokens = sequence_tokens * micro_batch_sequences
    per_token = hidden * (CHECKPOINT_BYTES_PER_HIDDEN * layers + LAYER_WORKING_BYTES_PER_HIDDEN)
    return tokens * per_token / BYTES_PER_GB


def training_memory_gb(
    params_b: Number,
    method: Method,
    sequence_tokens: Number,
    micro_batch_sequences: Number = 4.0,
    trainable_fraction: Number = 0.005,
) -> Number:
    """GPU memory a fine-tune needs [GB]: model states + activations of one micro-batch."""
    states = params_b * model_state_bytes_per_param(method, trainable_fraction)
    return states + activation_memory_gb(params_b, sequence_tokens, micro_batch_sequences)


def gpus_needed(memory_gb: Number, gpu_memory_gb: Number, usable_fraction: Number = 0.9) -> Number:
    """GPUs whose usable memory holds `memory_gb` [GPUs] = ceil(memory / usable per GPU), ≥ 1.

    Model states shard evenly across GPUs with ZeRO-3/FSDP, so memory divides by the GPU count;
    activations are counted once, small beside the states with gradient checkpointing.
    """
    return np.maximum(1.0, np.ceil(memory_gb / (gpu_memory_gb * usable_fraction)))


@dataclass(frozen=True)
class MemoryFit:
    """Whether a fine-tune fits on the chosen GPU, and what would work if it does not."""

    memory_gb: float  # [GB]
    gpus_needed: int
    fits: bool
    message: str


def memory_fit(
    *,
    model_name: str,
    params_b: float,
    method: Method,
    gpu_id: str,
    sequence_tokens: float,
    micro_batch_sequences: float = 4.0,
    trainable_fraction: float = 0.005,
    usable_fraction: float = 0.9,
    max_gpus: int = MAX_GPUS,
    gpu_memory: Mapping[str, float] | None = None,
) -> MemoryFit:
    """Memory, GPUs needed and a verdict naming the model and GPU (and alternatives if it fails).

    `gpu_memory` maps GPU id → memory [GB]; it defaults to the GPU catalogue.
    """
    table = (
        gpu_memory if gpu_memory is not None else {g.id: g.memory_gb for g in gpu_table().values()}
    )
    if gpu_id not in table:
        table = {**table, gpu_id: get_gpu(gpu_id, "fine_tuning.gpu").memory_gb}

    def need(method_: Method, gpu_: str, params_b_: float = params_b) -> tuple[float, int]:
        mem = training_memory_gb(
            params_b_, method_, sequence_tokens, micro_batch_sequences, trainable_fraction
        )
        return float(mem), int(gpus_needed(mem, table[gpu_], usable_fraction))

    memory, count = need(method, gpu_id)
    usable = table[gpu_id] * usable_fraction
    if count <= max_gpus:
        message = (
            f"{model_name} fits a {method} fine-tune on {count} × {gpu_id}: about {memory:,.0f} GB "
            f"of {count * usable:,.0f} GB usable."
        )
        return MemoryFit(memory, count, True, message)

    options = []
    for other in METHODS[METHODS.index(method) + 1 :]:
        other_count = need(other, gpu_id)[1]
        if other_count <= max_gpus:
            options.append(f"use {other} ({other_count} × {gpu_id})")
    for other_gpu in sorted(table, key=lambda g: need(method, g)[1]):
        other_count = need(method, other_gpu)[1]
        if other_gpu != gpu_id and other_count <= max_gpus:
            options.append(f"choose {other_gpu} ({other_count} GPUs)")
    largest_b = _largest_params_b(lambda p: need(method, gpu_id, p)[1] <= max_gpus, params_b)
    if largest_b > 0:
        options.append(f"a model of at most {largest_b:.1f}B parameters on {max_gpus} × {gpu_id}")
    message = (
        f"{model_name} ({params_b:g}B parameters) needs about {memory:,.0f} GB for a {method} "
        f"fine-tune at {sequence_tokens:,.0f} tokens per sequence: {count} × {gpu_id} "
        f"({usable:,.0f} GB usable each), more than the {max_gpus} GPUs of one node. "
        f"What would work: {'; or '.join(options) or 'nothing in the GPU catalogue'}."
    )
    return MemoryFit(memory, count, False, message)


def _largest_params_b(fits: Callable[[float], bool], upper_b: float) -> float:
    """The largest parameter count [billions] below `upper_b` for which `fits` holds (bisection)."""
    low, high = 0.0, upper_b
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return math.floor(low * 10) / 10


# --- serving ---------------------------------------------------------------------------------


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


def self_hostable_params_b(model: ModelEntry, field: str | None = None) -> float:
    """The model's parameter count [billions]; closed or unsized models raise what would work."""
    if model.open_weights and model.params_b is not None:
        return model.params_b
    where = f"{field}: " if field else ""
    why = "has closed weights" if not model.open_weights else "has no parameter count"
    usable = [m for m in model_ids("chat") if models()[m].params_b is not None]
    raise EstimatorError(
        f"{where}'{model.id}' {why}, so it cannot be self-hosted. Choose an open-weights model "
        f"({', '.join(usable)}) or set fine_tuning.hosting to 'api'."
    )


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


def peak_output_tokens_per_s(
    queries_per_day: Number, output_tokens: Number, peak_to_average: Number
) -> Number:
    """Output tokens/s the servers must sustain at the busiest hour [tokens/s]."""
    return queries_per_day * output_tokens / SECONDS_PER_DAY * peak_to_average


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


def serving_cost_per_query_usd(
    output_tokens: Number,
    usd_per_mtok_output: Number,
    input_tokens: Number = 0.0,
    input_token_weight: Number = 0.15,
) -> Number:
    """GPU cost of one query above the floor [USD].

    Output tokens at the per-token price, plus prompt tokens beyond the benchmark's own mix (202
    prompt tokens per 179 output, already inside the measured throughput) at `input_token_weight`
    output-token equivalents each.
    """
    extra_prompt = np.maximum(0.0, input_tokens - BENCHMARK_INPUT_PER_OUTPUT * output_tokens)
    tokens = output_tokens + input_token_weight * extra_prompt
    return tokens * usd_per_mtok_output / TOKENS_PER_MTOK


def monthly_serving_cost_usd(
    queries_per_month: Number, cost_per_query_usd: Number, floor_usd: Number
) -> Number:
    """Serving cost of a month [USD]: the volume's GPU time, never less than the always-on floor."""
    return np.maximum(floor_usd, queries_per_month * cost_per_query_usd)


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


# --- API versus self-hosting -----------------------------------------------------------------


def break_even_queries_per_day(
    *,
    api_per_query_usd: Number,
    selfhost_per_query_usd: Number,
    selfhost_floor_usd_per_month: Number,
    horizon_months: Number,
    days_per_month: Number = 30.4375,
    extra_setup_usd: Number = 0.0,
    extra_usd_per_month: Number = 0.0,
) -> Number:
    """Daily queries above which self-hosting beats the API over the horizon [queries/day].

    At a constant q queries a day, over H months of d days, with one-off and monthly extras S and M
    for self-hosting (GPU training minus API training, ops hours), floor F and per-query costs c_s
    and c_a: self-hosting = S + H·M + H·max(F, q·d·c_s) and the API = H·q·d·c_a. Both pieces of
    the difference fall with q, so self-hosting wins once q passes both crossings:
    q* = max((S/H + M + F) / (d·c_a), (S/H + M) / (d·(c_a − c_s)), 0).
    Infinite when self-hosting's per-query cost is not below the API's (the API stays cheaper).
    """
    fixed_per_month = extra_setup_usd / horizon_months + extra_usd_per_month
    margin = api_per_query_usd - selfhost_per_query_usd
    with np.errstate(divide="ignore", invalid="ignore"):
        above_floor = (fixed_per_month + selfhost_floor_usd_per_month) / (
            days_per_month * api_per_query_usd
        )
        above_extras = fixed_per_month / (days_per_month * margin)
        crossing = np.maximum(np.maximum(above_floor, above_extras), 0.0)
    return np.asarray(np.where(margin > 0, crossing, np.inf))[()]
