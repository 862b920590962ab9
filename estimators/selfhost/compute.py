"""Self-hosted fine-tuning: training FLOPs, GPU hours, cost, and the memory fit on GPUs.

The formulas take plain numbers with units in their names and docstrings, so they also accept
numpy arrays (the uncertainty analysis calls them with one array per assumption): no branching on
values, only arithmetic, `np.maximum` and `np.ceil`. `training_compute` takes arrays too once the
GPU count and node count are fixed; `memory_fit` (how many GPUs, how many nodes) is a discrete
choice made once per scenario at the likely values. Keyword defaults mirror the likely values in
`presets/assumptions/selfhost.json`; the approaches pass the values in force for the scenario.
Serving (throughput, replicas, the always-on floor) is in `serving.py`, its memory in
`serving_memory.py`.

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
- Effective MFU of fine-tuning, per-run overhead and runs per fine-tune: calibrated against
  published runs (Stanford Alpaca, Dolly, Vicuna, LitGPT, QLoRA, Predibase LoRA Land) in
  `docs/calibration.md`; the MFU is counted on real (unpadded) tokens, so padding, short
  sequences and evaluation inside the run are part of it.
- Multi-node: ZeRO-3/FSDP shards model states across nodes of 8 GPUs; past one node the run
  loses `inter_node_efficiency` of its throughput to the slower network (LLM Foundry and
  KempnerForge benchmarks, /work/research/fidelity.md §7).

Size: Training FLOPs, memory and GPU-hours with their paper references; the references are much of
its length.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from estimators.catalog import ModelEntry, model_ids, models
from estimators.errors import EstimatorError
from estimators.selfhost.gpus import get_gpu
from estimators.selfhost.gpus import gpus as gpu_table

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
GPUS_PER_NODE = 8  # HGX/DGX servers: a serving replica stays inside one node
MAX_GPUS = GPUS_PER_NODE  # the most GPUs one serving replica (tensor parallel) may span
# Training may span nodes (ZeRO-3/FSDP); past 8 nodes of 8 GPUs the tool stops pricing: larger
# clusters need reserved capacity and a scheduler, not on-demand GPU-hours.
MAX_NODES = 8
MAX_TRAINING_GPUS = MAX_NODES * GPUS_PER_NODE

FULL_FLOPS_PER_PARAM_TOKEN = 6.0  # Kaplan et al. 2020: forward 2 + backward 4
FULL_BYTES_PER_PARAM = 16.0  # ZeRO: 2 + 2 + 12 bytes for mixed-precision Adam
FULL_WEIGHT_BYTES_PER_PARAM = 2.0  # of which the BF16 weights themselves
LORA_FROZEN_BYTES_PER_PARAM = 2.0  # frozen BF16 weights
QLORA_FROZEN_BYTES_PER_PARAM = 4.127 / 8  # NF4 + double-quantised constants (QLoRA §3)
ADAPTER_BYTES_PER_PARAM = 16.0  # adapters train like any parameter under mixed-precision Adam

# Transformer shape from the parameter count alone: N ≈ 12·L·h² (Kaplan et al. 2020) with the
# width/depth ratio h/L ≈ 128 of Llama 3.1 8B (4096/32) and GPT-3 (12288/96).
ASPECT_RATIO = 128.0
# Korthikanti et al. 2022: a layer's activations take s·b·h·(34 + 5·a·s/h) bytes; FlashAttention
# never stores the s×s scores, leaving 34·s·b·h; with full recomputation only each layer's 2-byte
# input (2·s·b·h per layer) is kept, plus one layer's working set while it is recomputed.
CHECKPOINT_BYTES_PER_HIDDEN = 2.0
LAYER_WORKING_BYTES_PER_HIDDEN = 34.0


# --- which models can be self-hosted ---------------------------------------------------------


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


def method_mfu(method: Method, full_mfu: Number = 0.06, lora_mfu: Number = 0.3) -> Number:
    """Effective MFU of a fine-tune [fraction of dense BF16 peak, on real tokens].

    Full fine-tunes shard every weight, gradient and optimiser state (ZeRO-3/FSDP) and spend
    their time gathering them; LoRA runs keep the frozen weights in place and reach more.
    """
    if method == "full":
        return full_mfu
    if method in ("lora", "qlora"):
        return lora_mfu
    raise EstimatorError(
        f"unknown fine-tuning method '{method}'. Known methods: {', '.join(METHODS)}."
    )


def training_flops(params_b: Number, tokens: Number, flops_per_param_token: Number) -> Number:
    """Training compute [FLOP] = FLOPs per parameter-token × parameters × tokens (6·N·D, Kaplan)."""
    return flops_per_param_token * params_b * PARAMS_PER_B * tokens


def scaling_efficiency(nodes: int, inter_node_efficiency: Number = 0.8) -> Number:
    """Share of single-node throughput a run keeps [fraction]: 1 on one node, else the factor."""
    return inter_node_efficiency if nodes > 1 else 1.0


def training_wall_clock_hours(
    flops: Number, gpus: Number, peak_tflops: Number, mfu: Number, efficiency: Number = 1.0
) -> Number:
    """Hours the run computes [h] = FLOPs / (GPUs × dense BF16 peak × MFU × efficiency) / 3600."""
    return flops / (gpus * peak_tflops * FLOP_PER_TFLOP * mfu * efficiency) / SECONDS_PER_HOUR


def training_gpu_hours(
    flops: Number, peak_tflops: Number, mfu: Number, efficiency: Number = 1.0
) -> Number:
    """GPU time the computation takes [GPU-hours] = wall-clock hours × GPUs (the count cancels)."""
    return training_wall_clock_hours(flops, 1.0, peak_tflops, mfu, efficiency)


def run_gpu_hours(compute_gpu_hours: Number, overhead_hours: Number, gpus: Number) -> Number:
    """One run's billed GPU time [GPU-hours] = compute + fixed overhead hours × GPUs.

    The overhead (start-up, weight download, evaluation, checkpoints) holds every GPU of the run.
    """
    return compute_gpu_hours + overhead_hours * gpus


def training_layout(gpus_needed: int) -> tuple[int, int]:
    """GPUs rented and nodes they span: the count itself within a node, else whole nodes of 8."""
    if gpus_needed <= GPUS_PER_NODE:
        return gpus_needed, 1
    nodes = math.ceil(gpus_needed / GPUS_PER_NODE)
    return nodes * GPUS_PER_NODE, nodes


@dataclass(frozen=True)
class TrainingCompute:
    """One successful fine-tune on self-hosted GPUs: its runs, each with compute and overhead.

    Numbers are floats for one scenario, arrays when the assumptions are arrays of draws.
    """

    tokens: Number  # [tokens] one run
    epochs: float
    flops: Number  # [FLOP] one run
    mfu: Number  # effective MFU used [fraction]
    efficiency: Number  # inter-node efficiency applied (1 on one node) [fraction]
    compute_gpu_hours: Number  # [GPU-hours] one run's computation
    overhead_gpu_hours: Number  # [GPU-hours] one run's fixed overhead on all its GPUs
    gpu_hours: Number  # [GPU-hours] one run = compute + overhead
    runs: Number  # runs per successful fine-tune
    fine_tune_gpu_hours: Number  # [GPU-hours] = runs × one run
    gpus: int
    nodes: int
    wall_clock_hours: Number  # [h] one run
    run_cost_usd: Number  # [USD] one run
    cost_usd: Number  # [USD] one successful fine-tune (every run)


def training_compute(
    *,
    examples: Number,
    tokens_per_example: Number,
    epochs: float,
    params_b: float,
    method: Method,
    peak_tflops: float,
    usd_per_gpu_hour: Number,
    gpus: int,
    nodes: int = 1,
    mfu: Number,
    inter_node_efficiency: Number = 0.8,
    overhead_hours: Number = 0.15,
    runs: Number = 1.0,
    lora_flops_per_param_token: Number = 4.0,
    qlora_slowdown: Number = 1.5,
) -> TrainingCompute:
    """Tokens, FLOPs, GPU hours, wall clock and cost of a fine-tune on `gpus` GPUs in `nodes`.

    `peak_tflops` is the GPU's dense BF16 peak [TFLOPS]; `mfu` the effective MFU for the method
    (`method_mfu`); the cost is runs × (compute + overhead × GPUs) × price [USD].
    """
    tokens = training_tokens(examples, tokens_per_example, epochs)
    per_token = method_flops_per_param_token(method, lora_flops_per_param_token, qlora_slowdown)
    flops = training_flops(params_b, tokens, per_token)
    efficiency = scaling_efficiency(nodes, inter_node_efficiency)
    compute = training_gpu_hours(flops, peak_tflops, mfu, efficiency)
    one_run = run_gpu_hours(compute, overhead_hours, gpus)
    return TrainingCompute(
        tokens=tokens,
        epochs=float(epochs),
        flops=flops,
        mfu=mfu,
        efficiency=efficiency,
        compute_gpu_hours=compute,
        overhead_gpu_hours=overhead_hours * gpus,
        gpu_hours=one_run,
        runs=runs,
        fine_tune_gpu_hours=one_run * runs,
        gpus=int(gpus),
        nodes=int(nodes),
        wall_clock_hours=one_run / gpus,
        run_cost_usd=one_run * usd_per_gpu_hour,
        cost_usd=one_run * runs * usd_per_gpu_hour,
    )


# --- training memory ------------------------------------------------------------------------


def model_state_bytes_per_param(method: Method, trainable_fraction: Number = 0.005) -> Number:
    """Weights, gradients and optimiser states per base parameter [bytes].

    full 16 (ZeRO); lora 2 frozen BF16 + adapters × 16; qlora 4.127 bits NF4 + adapters × 16.
    """
    parts = model_state_bytes_by_part(method, trainable_fraction)
    return parts["weights"] + parts["gradients_and_optimiser"]


def model_state_bytes_by_part(
    method: Method, trainable_fraction: Number = 0.005
) -> dict[str, Number]:
    """Model states per base parameter split into weights and gradients + optimiser [bytes].

    Mixed-precision Adam (ZeRO): 2 bytes of BF16 weights, then 2 of gradients and 12 of FP32
    master weights, momentum and variance for every trained parameter.
    """
    trained_weight = FULL_WEIGHT_BYTES_PER_PARAM
    trained_rest = FULL_BYTES_PER_PARAM - FULL_WEIGHT_BYTES_PER_PARAM
    if method == "full":
        return {"weights": trained_weight, "gradients_and_optimiser": trained_rest}
    if method in ("lora", "qlora"):
        frozen = LORA_FROZEN_BYTES_PER_PARAM if method == "lora" else QLORA_FROZEN_BYTES_PER_PARAM
        return {
            "weights": frozen + trainable_fraction * trained_weight,
            "gradients_and_optimiser": trainable_fraction * trained_rest,
        }
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


def training_memory_by_part_gb(
    params_b: Number,
    method: Method,
    sequence_tokens: Number,
    micro_batch_sequences: Number = 4.0,
    trainable_fraction: Number = 0.005,
) -> dict[str, Number]:
    """GPU memory a fine-tune needs by part [GB]: weights, gradients + optimiser, activations."""
    states = model_state_bytes_by_part(method, trainable_fraction)
    return {
        "weights": params_b * states["weights"],
        "gradients_and_optimiser": params_b * states["gradients_and_optimiser"],
        "activations": activation_memory_gb(params_b, sequence_tokens, micro_batch_sequences),
    }


def training_memory_gb(
    params_b: Number,
    method: Method,
    sequence_tokens: Number,
    micro_batch_sequences: Number = 4.0,
    trainable_fraction: Number = 0.005,
) -> Number:
    """GPU memory a fine-tune needs [GB]: model states + activations of one micro-batch."""
    parts = training_memory_by_part_gb(
        params_b, method, sequence_tokens, micro_batch_sequences, trainable_fraction
    )
    return parts["weights"] + parts["gradients_and_optimiser"] + parts["activations"]


def gpus_needed(memory_gb: Number, gpu_memory_gb: Number, usable_fraction: Number = 0.9) -> Number:
    """GPUs whose usable memory holds `memory_gb` [GPUs] = ceil(memory / usable per GPU), ≥ 1.

    Model states shard evenly across GPUs with ZeRO-3/FSDP, so memory divides by the GPU count;
    activations are counted once, small beside the states with gradient checkpointing.
    """
    return np.maximum(1.0, np.ceil(memory_gb / (gpu_memory_gb * usable_fraction)))


@dataclass(frozen=True)
class MemoryFit:
    """Whether a fine-tune fits on the chosen GPUs (one node or several), and what would work."""

    memory_gb: float  # [GB]
    gpus_needed: int  # GPUs whose memory holds it
    gpus: int  # GPUs rented: gpus_needed within a node, whole nodes beyond
    nodes: int
    fits: bool
    message: str
    memory_gb_by_part: dict[str, float]  # weights, gradients_and_optimiser, activations,
    # framework_overhead (the unusable share of the rented GPUs' memory) [GB]


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
    max_gpus: int = MAX_TRAINING_GPUS,
    gpu_memory: Mapping[str, float] | None = None,
) -> MemoryFit:
    """Memory, GPUs and nodes needed, and a verdict naming the model and GPU.

    Up to `max_gpus` (8 nodes of 8 by default) the fine-tune is priced across nodes; past it the
    message says what would work. `gpu_memory` maps GPU id → memory [GB]; it defaults to the GPU
    catalogue.
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

    parts = training_memory_by_part_gb(
        params_b, method, sequence_tokens, micro_batch_sequences, trainable_fraction
    )
    memory, count = need(method, gpu_id)
    usable = table[gpu_id] * usable_fraction
    gpus, nodes = training_layout(count)
    by_part = {key: float(value) for key, value in parts.items()}
    by_part["framework_overhead"] = gpus * table[gpu_id] * (1.0 - usable_fraction)
    if count <= max_gpus:
        where = f"{gpus} × {gpu_id}" if nodes == 1 else f"{nodes} nodes × 8 {gpu_id} ({gpus} GPUs)"
        message = (
            f"{model_name} fits a {method} fine-tune on {where}: about {memory:,.0f} GB "
            f"of {gpus * usable:,.0f} GB usable."
        )
        return MemoryFit(memory, count, gpus, nodes, True, message, by_part)

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
        f"({usable:,.0f} GB usable each), more than the {max_gpus} GPUs "
        f"({max_gpus // GPUS_PER_NODE} nodes of {GPUS_PER_NODE}) this tool prices on demand. "
        f"What would work: {'; or '.join(options) or 'nothing in the GPU catalogue'}."
    )
    return MemoryFit(memory, count, gpus, nodes, False, message, by_part)


def _largest_params_b(fits: Callable[[float], bool], upper_b: float) -> float:
    """The largest parameter count [billions] below `upper_b` for which `fits` holds (bisection)."""
    low, high = 0.0, upper_b
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return math.floor(low * 10) / 10
