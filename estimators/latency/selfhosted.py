"""A query on a self-hosted fine-tune: the replica the cost engine sized, at the peak's load.

The cost engine sizes GPUs per replica and replicas at the peak (`selfhost/serving.py`); here a
query pays the trip to the server, the prefill (compute-bound) and the decoding (memory-bound,
slowed by the other requests in flight on the same replica). Formulas in `formulas.py`.
"""

from __future__ import annotations

from estimators.approaches.base import Training
from estimators.context import Context
from estimators.latency import formulas as f
from estimators.latency.api import retrieval_items
from estimators.latency.per_query import (
    FINE_TUNE_ROLES,
    PEAK,
    RETRIEVAL,
    Timing,
    item,
    peak_daily_queries,
    prompt_parts,
    set_reasoning_tokens,
    stream_items,
)
from estimators.latency.speeds import kv_bytes_per_token
from estimators.selfhost.compute import self_hostable_params_b
from estimators.selfhost.gpus import get_gpu
from estimators.selfhost.serving import peak_per_s

# BF16 weights where the serving plan does not say (every plan the cost engine makes does).
BF16_BYTES_PER_PARAM = 2.0

DECODE_SOURCE = (
    "Memory-bound decoding and model bandwidth utilisation: databricks.com/blog/llm-inference-"
    "performance-engineering-best-practices (Oct 2023); per-user speed falls as concurrency "
    "grows: Llama-3.1-8B on one H100 154 tok/s at 1 request, 91 at 16 (vLLM 0.21.0, yobitelcomm "
    "benchmark, 2026-05-16), Llama-3.3-70B 58.6 tok/s at 1, 44.3 at 32 (docs.oracle.com "
    "generative AI benchmarks)"
)


def selfhost_timing(ctx: Context, approach_id: str, training: Training) -> Timing:
    """A query on the self-hosted replica the cost engine sized, at the peak's concurrency.

    Concurrency is Little's law on the batch-1 latency (one step, not iterated): arrivals per
    replica at the peak × the time one request takes alone.
    """
    a, traffic = ctx.assumptions, ctx.scenario.traffic
    model = ctx.model(FINE_TUNE_ROLES[approach_id])
    params_b = self_hostable_params_b(model)
    # The serving GPU the cost engine chose (sized apart from training), at its precision.
    gpu = get_gpu(training.serving_gpu or training.gpu or "")
    weight_bytes = training.serving_weight_bytes_per_param or BF16_BYTES_PER_PARAM
    gpus = float(training.serving_gpus_per_replica or 1)
    replicas = float(training.serving_replicas_at_peak or 1)
    parts = prompt_parts(ctx, approach_id)
    prompt = sum(part.total for part in parts)
    reasoning = set_reasoning_tokens(ctx)
    streamed = traffic.output_tokens + reasoning
    kv_per_token, kv_source = kv_bytes_per_token(model)
    # Each sequence's cache holds its prompt and, on average over the answer, half the answer.
    kv_per_sequence = kv_per_token * (prompt + streamed / 2)
    hardware = {
        "tflops": gpu.bf16_tflops,
        "mfu": a["latency.selfhost_prefill_mfu"],
        "gpus": gpus,
    }
    decode = {
        "params_b": params_b,
        "bytes_per_param": weight_bytes,
        "kv_bytes_per_sequence": kv_per_sequence,
        "bandwidth_gb_per_s": gpu.memory_bandwidth_gb_per_s,
        "bandwidth_efficiency": a["latency.selfhost_bandwidth_efficiency"],
    } | hardware
    overhead = a["latency.selfhost_request_overhead_ms"]
    prefill = f.selfhost_prefill_ms(params_b=params_b, prompt_tokens=prompt, **hardware)
    alone = f.selfhost_ms_per_token(batch=1.0, **decode)
    peak_qps = peak_per_s(peak_daily_queries(ctx), a[PEAK])
    batch = f.concurrency(peak_qps, replicas, (overhead + prefill + streamed * alone) / f.MS_PER_S)
    per_token = f.selfhost_ms_per_token(batch=batch, **decode)
    where = f"{gpus:g} × {gpu.id}"
    gpu_source = gpu.spec_source
    items = [
        item(
            ctx,
            "overhead",
            "first_token",
            "Reach the model server (network, HTTP, scheduling)",
            overhead,
            "latency.selfhost_request_overhead_ms",
            {"latency.selfhost_request_overhead_ms": overhead},
            ("latency.selfhost_request_overhead_ms",),
        ),
        item(
            ctx,
            "prefill_prompt",
            "prefill",
            f"Prefill of the prompt on {where}",
            prefill,
            "2 × params_b × 1e9 × prompt tokens / (GPUs × GPU BF16 TFLOPS × 1e12 × "
            "latency.selfhost_prefill_mfu) × 1,000",
            {"params_b": params_b, "prompt tokens": prompt}
            | {name: tokens for p in parts for name, tokens in p.tokens.items()}
            | {
                "GPUs": gpus,
                "GPU BF16 TFLOPS": gpu.bf16_tflops,
                "latency.selfhost_prefill_mfu": a["latency.selfhost_prefill_mfu"],
            },
            ("latency.selfhost_prefill_mfu", *(i for p in parts for i in p.assumption_ids)),
            {"GPU BF16 TFLOPS": gpu_source},
        ),
    ]
    if approach_id in RETRIEVAL:
        items = retrieval_items(ctx) + items
    items += stream_items(
        ctx,
        f"{model.id} on {where}",
        (reasoning, "traffic.reasoning_tokens"),
        f.MS_PER_S / per_token,
        "1,000 / ms per token; ms per token = max((params_b × 1e9 × weight bytes per param + "
        "concurrency × "
        "KV bytes per sequence) / (GPUs × GB/s × 1e9 × latency.selfhost_bandwidth_efficiency), "
        "2 × params_b × 1e9 × concurrency / (GPUs × TFLOPS × 1e12 × "
        "latency.selfhost_prefill_mfu)) × 1,000; concurrency = max(1, peak queries/s / "
        "replicas × seconds a request takes alone); KV bytes per sequence = KV bytes per token "
        "× (prompt + streamed tokens / 2)",
        {
            "params_b": params_b,
            "weight bytes per param": weight_bytes,
            "KV bytes per token": kv_per_token,
            "KV bytes per sequence": kv_per_sequence,
            "GPUs": gpus,
            "GPU memory GB/s": gpu.memory_bandwidth_gb_per_s,
            "GPU BF16 TFLOPS": gpu.bf16_tflops,
            "latency.selfhost_bandwidth_efficiency": a["latency.selfhost_bandwidth_efficiency"],
            "latency.selfhost_prefill_mfu": a["latency.selfhost_prefill_mfu"],
            "queries/day (last month)": peak_daily_queries(ctx),
            PEAK: a[PEAK],
            "replicas at the peak": replicas,
            "concurrency": batch,
            "ms per token": per_token,
        },
        ("latency.selfhost_bandwidth_efficiency", "latency.selfhost_prefill_mfu", PEAK),
        {
            "ms per token": DECODE_SOURCE,
            "GPU memory GB/s": gpu_source,
            "KV bytes per token": kv_source,
            "params_b": f"catalogue entry {model.id}: {model.note or model.source}",
        },
    )
    return Timing(
        model_id=model.id,
        fine_tuned=True,
        hosting="self_hosted",
        items=items,
        output_tokens_per_s=f.MS_PER_S / per_token,
        basis=(
            f"{model.id} ({params_b:g}B, BF16) on {where} per replica, {replicas:g} replica(s) "
            "at the peak: decode from memory bandwidth, prefill from dense BF16 FLOPs"
        ),
        prompt_tokens=prompt,
        output_tokens=streamed,
        concurrency=batch,
    )
