"""Self-hosted serving: throughput per GPU, the serving GPU, replicas, USD per token, the floor.

The formulas are plain arithmetic on numbers or numpy arrays, like `compute.py`. The serving plan
(`serving_option`, `choose_serving`) is a discrete choice made once per scenario at the likely
values: which GPU, how many GPUs per replica, how many replicas at the peak.

Serving is sized apart from training: the serving GPU is the catalogue GPU whose replicas cost
least in the horizon's busiest month, among those that hold the weights (at the serving
precision) plus the KV cache of the sequences a replica runs at the peak, or the user's pick.
Replicas are provisioned for the peak hour (`peak_to_average_ratio`): loading a model takes
minutes, so GPU servers are not started per request. The always-on floor is the minimum replicas.

Sources: $/token = GPU $/hour ÷ (tokens/s × 3600 × utilisation) (DESIGN.md §5), anchored on the
vLLM v0.6.0 benchmark (blog.vllm.ai, 2024-09-05: Llama 3 8B at ~1.5k output tokens/s on one A100
and ~3.4k on one H100) and scaled by the rule in `scaled_tokens_per_s` for other pairs.
Concurrency by Little's law: sequences in flight = requests/s × seconds each request decodes.

Size: Throughput, sizing, floor and the serving GPU choice share their units and inputs; the memory
model already lives apart (serving_memory.py).
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
from estimators.selfhost.serving_memory import (
    BF16_BYTES,
    DecodeStep,
    Precision,
    decode_step,
    serving_gpus_per_replica,
    serving_memory_by_part_gb,
    weight_bytes_per_param,
    weights_gb,
)

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


def precision_speedup(precision: Precision, params_b: Number) -> Number:
    """Throughput at a serving precision over BF16 [×] = √(2 bytes / bytes per parameter).

    The scaling rule's memory half moves with the bytes read per token; its compute half does not
    (quantised weights are multiplied in BF16), so the geometric mean moves by the square root.
    """
    return (BF16_BYTES / weight_bytes_per_param(precision, params_b)) ** 0.5


def serving_throughput(
    model: ModelEntry, gpu: GpuEntry, precision: Precision = "bf16"
) -> Throughput:
    """Measured output tokens/s per GPU where a benchmark gives one, else `scaled_tokens_per_s`,
    × `precision_speedup` for quantised weights.

    The anchor is the model's own measurement (on the reference GPU if it has one there), else the
    reference model (Llama 3.1 8B) on the reference GPU (H100).
    """
    bf16 = _bf16_throughput(model, gpu)
    if precision == "bf16":
        return bf16
    speedup = float(precision_speedup(precision, self_hostable_params_b(model)))
    return Throughput(
        bf16.tokens_per_s_per_gpu * speedup,
        False,
        f"{bf16.basis}; × {speedup:.2f} for {precision} weights (√ of the bytes per parameter "
        "saved: the memory-bound half of decoding speeds up, the compute half does not)",
    )


def _bf16_throughput(model: ModelEntry, gpu: GpuEntry) -> Throughput:
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


def peak_queries_per_s(queries_per_day: Number, peak_to_average: Number) -> Number:
    """Requests per second at the busiest hour [queries/s]."""
    return queries_per_day / SECONDS_PER_DAY * peak_to_average


def sequences_in_flight(
    queries_per_s: Number, output_tokens: Number, decode_tokens_per_s_per_sequence: Number
) -> Number:
    """Sequences decoding at once across the fleet [sequences] (Little's law):
    requests/s × output tokens / per-sequence decode speed."""
    return queries_per_s * output_tokens / decode_tokens_per_s_per_sequence


def busiest_month_usd(
    peak_tokens_per_s: Number,
    tokens_per_s_per_gpu: Number,
    gpus_per_replica: Number,
    utilisation: Number,
    min_replicas: Number,
    usd_per_gpu_hour: Number,
    hours_per_month: Number,
) -> Number:
    """Serving cost of a month at this peak [USD/month]: replicas at the peak (as a continuous
    count, which is what the per-query price charges) but at least the always-on ones × GPUs per
    replica × hours × $/GPU-hour."""
    capacity = tokens_per_s_per_gpu * gpus_per_replica * utilisation
    replicas = np.maximum(min_replicas, peak_tokens_per_s / capacity)
    return replicas * gpus_per_replica * hours_per_month * usd_per_gpu_hour


@dataclass(frozen=True)
class ServingTraffic:
    """The traffic and assumptions a serving plan is sized for, at the likely values."""

    queries_per_day: float  # in the horizon's last (busiest) month
    output_tokens: float  # [tokens] decoded per query
    output_token_equivalents: float  # [tokens] output + weighted extra prompt, sizes throughput
    context_tokens: float  # [tokens] prompt + output held in the KV cache per sequence
    hours_per_month: float  # [h]
    utilisation: float = 0.5
    peak_to_average: float = 2.0
    min_replicas: float = 1.0
    usable_fraction: float = 0.9
    decode_tokens_per_s_per_sequence: float = 40.0
    max_sequences_per_replica: float = 64.0


@dataclass(frozen=True)
class ServingOption:
    """One model served from one GPU type, sized for the traffic's peak."""

    gpu: GpuEntry
    precision: Precision
    throughput: Throughput
    gpus_per_replica: int
    replicas: int  # at the peak of the busiest month, at least the minimum
    sequences_per_replica: float  # decoding at once at the peak
    memory_gb_by_part: dict[str, float]  # one replica: weights, kv_cache, activations,
    # framework_overhead (the unusable share of its GPUs' memory) [GB]
    peak_tokens_per_s: float  # [output-token equivalents/s] across the fleet
    busiest_month_usd: float  # [USD/month]
    fits: bool  # one replica within one node of 8 GPUs
    params_b: float  # [billions]
    context_tokens: float  # [tokens] per sequence

    @property
    def decode(self) -> DecodeStep:
        """Whether this replica's decoding is memory- or compute-bound at its peak batch."""
        return decode_step(
            params_b=self.params_b,
            precision=self.precision,
            sequences=self.sequences_per_replica,
            context_tokens=self.context_tokens,
            gpus=self.gpus_per_replica,
            bandwidth_gb_per_s=self.gpu.memory_bandwidth_gb_per_s,
            peak_tflops=self.gpu.bf16_tflops,
        )

    @property
    def memory_gb(self) -> float:
        """What one replica holds [GB]: weights + KV cache + activations."""
        parts = self.memory_gb_by_part
        return parts["weights"] + parts["kv_cache"] + parts["activations"]


def serving_option(
    model: ModelEntry,
    params_b: float,
    gpu: GpuEntry,
    precision: Precision,
    traffic: ServingTraffic,
    max_gpus: int = MAX_GPUS,
) -> ServingOption:
    """GPUs per replica, replicas and the busiest month's cost of serving on `gpu`.

    A replica's KV cache holds its share of the sequences in flight at the peak (at most
    `max_sequences_per_replica`); more GPUs per replica mean fewer replicas and so more sequences
    each, so the count is raised until weights + KV cache + activations fit.
    """
    t = traffic
    throughput = serving_throughput(model, gpu, precision)
    tps = throughput.tokens_per_s_per_gpu
    peak = float(
        peak_output_tokens_per_s(t.queries_per_day, t.output_token_equivalents, t.peak_to_average)
    )
    queries_per_s = peak_queries_per_s(t.queries_per_day, t.peak_to_average)
    weights = float(weights_gb(params_b, precision))
    per_replica = 1
    while True:
        # No sequence decodes faster than a replica reads its weights (the batch-1 roofline).
        speed = min(
            t.decode_tokens_per_s_per_sequence,
            per_replica * gpu.memory_bandwidth_gb_per_s / weights,
        )
        in_flight = float(sequences_in_flight(queries_per_s, t.output_tokens, speed))
        replicas = int(replicas_for_peak(peak, tps, per_replica, t.utilisation, t.min_replicas))
        sequences = min(t.max_sequences_per_replica, in_flight / replicas)
        parts = serving_memory_by_part_gb(params_b, precision, sequences, t.context_tokens)
        needed = int(
            serving_gpus_per_replica(sum(parts.values()), gpu.memory_gb, t.usable_fraction)
        )
        if needed <= per_replica or needed > max_gpus:
            per_replica = max(per_replica, needed)
            break
        per_replica = needed
    by_part = {key: float(value) for key, value in parts.items()}
    by_part["framework_overhead"] = per_replica * gpu.memory_gb * (1.0 - t.usable_fraction)
    cost = busiest_month_usd(
        peak, tps, per_replica, t.utilisation, t.min_replicas, gpu.usd_per_hour, t.hours_per_month
    )
    return ServingOption(
        gpu=gpu,
        precision=precision,
        throughput=throughput,
        gpus_per_replica=per_replica,
        replicas=replicas,
        sequences_per_replica=float(sequences),
        memory_gb_by_part=by_part,
        peak_tokens_per_s=peak,
        busiest_month_usd=float(cost),
        fits=per_replica <= max_gpus,
        params_b=params_b,
        context_tokens=t.context_tokens,
    )


@dataclass(frozen=True)
class ServingChoice:
    """The serving GPU chosen for a model, and why (or why none can serve it)."""

    option: ServingOption
    chosen_by: str  # "cheapest" or "fine_tuning.serving_gpu"
    fits: bool
    message: str


def choose_serving(
    *,
    model: ModelEntry,
    params_b: float,
    precision: Precision,
    traffic: ServingTraffic,
    gpu_id: str | None = None,
    max_gpus: int = MAX_GPUS,
) -> ServingChoice:
    """The user's serving GPU, or the catalogue GPU whose replicas cost least in the busiest month
    among those whose replica fits one node (ties: the lower hourly price, then catalogue order).
    """
    if gpu_id is not None:
        picked = serving_option(
            model,
            params_b,
            get_gpu(gpu_id, "fine_tuning.serving_gpu"),
            precision,
            traffic,
            max_gpus,
        )
        if picked.fits:  # the other GPUs are sized only to say which would do instead
            return ServingChoice(picked, "fine_tuning.serving_gpu", True, _served(model, picked))
    options = [
        serving_option(model, params_b, gpu, precision, traffic, max_gpus)
        for gpu in gpu_table().values()
    ]
    fitting = [o for o in options if o.fits]
    if gpu_id is not None:
        others = " or ".join(o.gpu.id for o in fitting)
        message = (
            f"{model.id} needs {picked.gpus_per_replica} × {gpu_id} per serving replica for "
            f"{picked.memory_gb:,.0f} GB ({precision} weights, KV cache, activations), more than "
            f"the {max_gpus} GPUs of one node. What would work: "
            f"{'choose ' + others if others else _smaller(precision)}."
        )
        return ServingChoice(picked, "fine_tuning.serving_gpu", False, message)
    if not fitting:
        largest = max(options, key=lambda o: o.gpu.memory_gb)
        message = (
            f"{model.id} needs more than {max_gpus} GPUs per serving replica on every catalogue "
            f"GPU ({largest.memory_gb:,.0f} GB of {precision} weights, KV cache and activations). "
            f"What would work: {_smaller(precision)}."
        )
        return ServingChoice(largest, "cheapest", False, message)
    best = min(fitting, key=lambda o: (o.busiest_month_usd, o.gpu.usd_per_hour))
    return ServingChoice(best, "cheapest", True, _served(model, best))


def _smaller(precision: Precision) -> str:
    quantise = "" if precision == "int4" else "set fine_tuning.serving_precision to int4, or "
    return f"{quantise}a smaller model"


def _served(model: ModelEntry, o: ServingOption) -> str:
    return (
        f"{model.id} serves in {o.precision} from {o.gpus_per_replica} × {o.gpu.id} per replica "
        f"({o.memory_gb:,.1f} GB: {o.memory_gb_by_part['weights']:,.1f} GB weights, "
        f"{o.memory_gb_by_part['kv_cache']:,.2f} GB KV cache for {o.sequences_per_replica:,.1f} "
        f"sequences, {o.memory_gb_by_part['activations']:,.1f} GB activations); {o.replicas} "
        f"replica(s) at the peak of {o.peak_tokens_per_s:,.0f} output tokens/s; "
        f"${o.busiest_month_usd:,.0f} in the busiest month."
    )
