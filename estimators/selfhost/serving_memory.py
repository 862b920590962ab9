"""Memory of a self-hosted model server: weights at a serving precision, KV cache, activations.

Plain arithmetic on numbers or numpy arrays, like `compute.py`; the model's shape (hidden size,
layers) comes from its parameter count (`compute.transformer_shape`), since the catalogue holds
parameter counts only.

Sources:
- Weights: BF16 is 2 bytes per parameter. Quantised checkpoints keep the input embeddings and the
  output head in 16 bits (AutoAWQ, llm-compressor defaults), so an 8B model's INT4 weights are
  ~5–6 GB rather than 4 (DESIGN.md §12; an AWQ group-128 Llama 3 8B takes 5.1 GB of VRAM idle,
  gigagpu.com, via /work/research/fidelity.md §10). INT4 group-128 stores a 16-bit scale and a
  4-bit zero point per 128 weights: 4 + 20/128 bits.
- KV cache per token = 2 (K and V) × layers × KV heads × head dim × 2 bytes: Llama 3.1 8B
  (32 × 8 × 128) 128 KiB, 70B (80 × 8 × 128) 320 KiB (model configs, fidelity.md §10). Current
  open models share 8 KV heads of 128 (grouped-query attention), so only the depth varies.
- Decode is memory-bound while a step's bytes / bandwidth exceed its FLOPs / peak: each step
  reads the weights once and every sequence's KV cache, and computes 2·N FLOPs per sequence
  (/work/research/latency.md §0, §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from estimators.selfhost.compute import (
    BYTES_PER_GB,
    FLOP_PER_TFLOP,
    LAYER_WORKING_BYTES_PER_HIDDEN,
    PARAMS_PER_B,
    Number,
    transformer_shape,
)

Precision = Literal["bf16", "fp8", "int8", "int4"]
PRECISIONS: tuple[Precision, ...] = ("bf16", "fp8", "int8", "int4")
BF16_BYTES = 2.0
# Bits per quantised weight: FP8/INT8 with per-channel scales (negligible), INT4 with a 16-bit
# scale and a 4-bit zero point per group of 128 weights (AWQ/GPTQ g128).
WEIGHT_BITS: dict[Precision, float] = {"bf16": 16.0, "fp8": 8.0, "int8": 8.0, "int4": 4 + 20 / 128}
# Input embeddings and an untied output head, kept in 16 bits by quantisers: 2 × vocabulary ×
# hidden. Llama 3 has 128,256 tokens (Qwen 2.5/3: 151,936; Mistral Small 3: 131,072).
VOCABULARY_TOKENS = 128_256
KV_DIMS_PER_LAYER = 8 * 128  # 8 KV heads × 128 head dim (Llama 3.1, Qwen3, Mistral Small 3)
KV_BYTES_PER_VALUE = 2.0  # BF16 KV cache (vLLM's default `kv_cache_dtype=auto`)
# vLLM schedules prefill in chunks of up to this many tokens (`max_num_batched_tokens` of the V1
# engine's online serving default); one layer's working set for that chunk is held at a time.
PREFILL_CHUNK_TOKENS = 8_192

QUALITY_NOTES: dict[Precision, str] = {
    "bf16": "BF16 weights: the fine-tune as trained, no quantisation loss.",
    "fp8": (
        "FP8 weights and activations (W8A8-FP) were lossless across the Llama 3.1 family "
        "(Kurtic et al., 'Give Me BF16 or Give Me Death', ACL 2025, arXiv 2411.02355). Native on "
        "Hopper and Ada GPUs (H100, H200, L4); A100 and A10G run FP8 weights only."
    ),
    "int8": (
        "Well-tuned INT8 (W8A8-INT) lost 1–3% accuracy on the Llama 3.1 family (Kurtic et al., "
        "ACL 2025, arXiv 2411.02355); re-check the fine-tune's own evaluation set after quantising."
    ),
    "int4": (
        "INT4 weight-only (W4A16, AWQ/GPTQ) was competitive with INT8 on the Llama 3.1 family, "
        "with larger losses on small models and long reasoning (Kurtic et al., ACL 2025, arXiv "
        "2411.02355); quantise after fine-tuning and re-run the evaluation set."
    ),
}


def embedding_params_b(params_b: Number) -> Number:
    """Parameters of the input embeddings and output head [billions]: 2 × vocabulary × hidden."""
    hidden, _ = transformer_shape(params_b)
    return np.minimum(params_b, 2.0 * VOCABULARY_TOKENS * hidden / PARAMS_PER_B)


def weight_bytes_per_param(precision: Precision, params_b: Number) -> Number:
    """Average bytes per parameter of the served weights [bytes].

    Quantised: (N − E) × bits / 8 + E × 2, over N, with E the 16-bit embeddings and head.
    """
    bits = WEIGHT_BITS[precision]
    if precision == "bf16":
        return BF16_BYTES
    embeddings = embedding_params_b(params_b)
    return ((params_b - embeddings) * bits / 8.0 + embeddings * BF16_BYTES) / params_b


def weights_gb(params_b: Number, precision: Precision = "bf16") -> Number:
    """Served weights [GB] = parameters × bytes per parameter at the precision."""
    return params_b * weight_bytes_per_param(precision, params_b)


def kv_cache_bytes_per_token(params_b: Number) -> Number:
    """KV cache of one token [bytes] = 2 × layers × 8 KV heads × 128 × 2 bytes (BF16)."""
    _, layers = transformer_shape(params_b)
    return 2.0 * layers * KV_DIMS_PER_LAYER * KV_BYTES_PER_VALUE


def kv_cache_gb(params_b: Number, sequences: Number, context_tokens: Number) -> Number:
    """KV cache of the sequences a replica holds at once [GB] = sequences × context × per token."""
    return sequences * context_tokens * kv_cache_bytes_per_token(params_b) / BYTES_PER_GB


def serving_activation_gb(params_b: Number) -> Number:
    """Working memory of one prefill chunk [GB] = chunk tokens × hidden × 34 bytes (one layer)."""
    hidden, _ = transformer_shape(params_b)
    return PREFILL_CHUNK_TOKENS * hidden * LAYER_WORKING_BYTES_PER_HIDDEN / BYTES_PER_GB


def serving_memory_by_part_gb(
    params_b: Number, precision: Precision, sequences: Number, context_tokens: Number
) -> dict[str, Number]:
    """What one replica holds [GB]: weights, KV cache of its sequences, activations."""
    return {
        "weights": weights_gb(params_b, precision),
        "kv_cache": kv_cache_gb(params_b, sequences, context_tokens),
        "activations": serving_activation_gb(params_b),
    }


def serving_gpus_per_replica(
    memory_gb: Number, gpu_memory_gb: Number, usable_fraction: Number = 0.9
) -> Number:
    """GPUs one model server needs [GPUs]: ceil(memory / usable per GPU), rounded up to a power
    of two, since tensor parallelism splits attention heads evenly."""
    count = np.maximum(1.0, np.ceil(memory_gb / (gpu_memory_gb * usable_fraction)))
    return np.exp2(np.ceil(np.log2(count)))


@dataclass(frozen=True)
class DecodeStep:
    """One decode step of a replica: the time to read its bytes and to do its FLOPs."""

    sequences: float  # sequences decoded together (at least 1)
    memory_ms: float  # [ms] (weights + KV cache) / (GPUs × bandwidth)
    compute_ms: float  # [ms] 2·N FLOPs per sequence / (GPUs × dense BF16 peak)
    bound: Literal["memory", "compute"]
    note: str


def decode_step(
    *,
    params_b: float,
    precision: Precision,
    sequences: float,
    context_tokens: float,
    gpus: int,
    bandwidth_gb_per_s: float,
    peak_tflops: float,
) -> DecodeStep:
    """Whether decoding is memory- or compute-bound at this batch (roofline, no efficiency).

    Quantised weights are read in fewer bytes but multiplied in BF16 (W4A16, W8A16), so only the
    memory side moves; FP8 on Hopper would also double the compute peak (left out: conservative).
    """
    batch = max(1.0, sequences)
    read_gb = float(weights_gb(params_b, precision) + kv_cache_gb(params_b, batch, context_tokens))
    memory_ms = read_gb / (gpus * bandwidth_gb_per_s) * 1e3
    flops = 2.0 * params_b * PARAMS_PER_B * batch
    compute_ms = flops / (gpus * peak_tflops * FLOP_PER_TFLOP) * 1e3
    bound: Literal["memory", "compute"] = "memory" if memory_ms >= compute_ms else "compute"
    note = (
        f"{bound}-bound: at {batch:,.1f} sequences per replica a decode step reads "
        f"{read_gb:,.1f} GB ({memory_ms:,.2f} ms at {gpus} × {bandwidth_gb_per_s:,.0f} GB/s) and "
        f"computes {flops / 1e12:,.2f} TFLOP ({compute_ms:,.2f} ms at {gpus} × "
        f"{peak_tflops:,.0f} TFLOPS)"
    )
    return DecodeStep(batch, memory_ms, compute_ms, bound, note)
