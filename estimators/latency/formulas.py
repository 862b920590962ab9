"""Latency formulas: plain arithmetic on numbers or numpy arrays (the Monte Carlo passes draws).

Hosted models (Artificial Analysis defines end-to-end time the same way, artificialanalysis.ai/
methodology/performance-benchmarking):
    time to first token = TTFT of a short prompt + prompt tokens / 1,000 × prefill ms per 1k
    end to end          = time to first token + (reasoning + output tokens) / output speed
Self-hosted decoding is memory-bound until the batch is large (Databricks, "LLM inference
performance engineering", Oct 2023): every step reads the weights once and each sequence's KV
cache, and yields one token per sequence in the batch, so

    ms per token (batch B) = max((weights + B × KV per sequence) / (bandwidth × efficiency),
                                 2 × parameters × B / (dense peak × MFU)) × 1,000

and prefill is compute-bound: 2 × parameters × prompt tokens / (dense peak × MFU).
Requests in flight on one replica at the peak follow Little's law: arrivals/s × seconds each.
"""

from __future__ import annotations

import numpy as np

from estimators.price_factors import Number

MS_PER_S = 1_000.0
TOKENS_PER_K = 1_000.0
BYTES_PER_GB = 1e9
FLOPS_PER_TFLOPS = 1e12
FLOPS_PER_PARAM_TOKEN = 2.0  # a forward pass: one multiply and one add per weight per token
PARAMS_PER_B = 1e9


def prefill_ms(prompt_tokens: Number, ms_per_1k_tokens: Number) -> Number:
    """Extra time to first token for the prompt [ms] = prompt tokens / 1,000 × ms per 1k."""
    return prompt_tokens / TOKENS_PER_K * ms_per_1k_tokens


def decode_ms(tokens: Number, tokens_per_s: Number) -> Number:
    """Time to stream tokens at a speed [ms] = tokens / tokens per second × 1,000.

    >>> decode_ms(500, 100)  # 500 tokens at 100 tok/s
    5000.0
    """
    return tokens / tokens_per_s * MS_PER_S


def p95_ms(p50: Number, p95_over_p50: Number) -> Number:
    """A request's p95 latency [ms] = p50 × the per-request p95/p50 ratio."""
    return p50 * p95_over_p50


def selfhost_ms_per_token(
    *,
    params_b: Number,
    bytes_per_param: Number,
    kv_bytes_per_sequence: Number,
    batch: Number,
    bandwidth_gb_per_s: Number,
    bandwidth_efficiency: Number,
    tflops: Number,
    mfu: Number,
    gpus: Number = 1.0,
) -> Number:
    """One decode step of a self-hosted replica [ms per token, per user].

    params_b [billions], bytes_per_param [bytes], kv_bytes_per_sequence [bytes], batch
    [sequences], bandwidth_gb_per_s [GB/s per GPU], tflops [dense BF16 TFLOPS per GPU], gpus
    [GPUs per replica, tensor-parallel]. The slower of the memory and compute rooflines.
    """
    weights_bytes = params_b * PARAMS_PER_B * bytes_per_param
    memory_s = (weights_bytes + batch * kv_bytes_per_sequence) / (
        gpus * bandwidth_gb_per_s * BYTES_PER_GB * bandwidth_efficiency
    )
    compute_s = (
        FLOPS_PER_PARAM_TOKEN
        * params_b
        * PARAMS_PER_B
        * batch
        / (gpus * tflops * FLOPS_PER_TFLOPS * mfu)
    )
    return np.maximum(memory_s, compute_s) * MS_PER_S


def selfhost_prefill_ms(
    *, params_b: Number, prompt_tokens: Number, tflops: Number, mfu: Number, gpus: Number = 1.0
) -> Number:
    """Prefill on a self-hosted replica [ms] = 2 × parameters × prompt tokens / (peak × MFU)."""
    flops = FLOPS_PER_PARAM_TOKEN * params_b * PARAMS_PER_B * prompt_tokens
    return flops / (gpus * tflops * FLOPS_PER_TFLOPS * mfu) * MS_PER_S


def concurrency(peak_queries_per_s: Number, replicas: Number, seconds_per_query: Number) -> Number:
    """Requests in flight on one replica at the peak [requests], at least 1 (the user's own):
    Little's law, arrivals per second per replica × seconds each request stays."""
    return np.maximum(1.0, peak_queries_per_s / replicas * seconds_per_query)
