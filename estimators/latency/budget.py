"""The latency budget: how far a p95 is over `traffic.latency_budget_ms`, and what would fix it.

Each step of a query has its own remedy (a smaller model for decoding, a shorter prompt for
prefill, fewer chunks for retrieved context, more replicas for a busy self-hosted server); the
fixes name the steps that take the most time first, each with its share of the p95.
"""

from __future__ import annotations

from estimators.latency.per_query import Timing
from estimators.lineitems import LatencyItem

MAX_FIXES = 3
# Self-hosted per-user speed falls markedly beyond a few requests per replica (vLLM, NIM and OCI
# measurements in research/latency.md §6c): above this, more replicas are worth naming.
BUSY_CONCURRENCY = 4.0


def over_budget_ms(p95_ms: float, budget_ms: float | None) -> float | None:
    """How far the p95 is over the budget [ms]; None without a budget or within it."""
    if budget_ms is None or p95_ms <= budget_ms:
        return None
    return p95_ms - budget_ms


def _fix(item: LatencyItem, timing: Timing) -> str | None:
    """The remedy for one step, or None when there is no lever (e.g. the server round trip)."""
    if item.id == "decode" and timing.hosting == "api":
        return (
            "a smaller, faster model (e.g. a fine-tuned small one, or self-hosted) or shorter "
            "answers (traffic.output_tokens)"
        )
    remedies = {
        "decode": "a GPU with more memory bandwidth, quantised weights or shorter answers "
        "(traffic.output_tokens)",
        "reasoning": "less reasoning effort (traffic.reasoning_tokens)",
        "first_token": "a model or provider with a faster first token",
        "prefill_prompt": "a shorter system prompt or input",
        "prefill_chunks": "fewer or shorter retrieved chunks (rag.top_k, rag.chunk_tokens)",
        "prefill_demos": "fewer DSPy demos (dspy.demos_per_prompt)",
        "embed_query": "an embedding endpoint close to the app, or a local embedding model",
        "vector_search": "a vector index in your own network (pgvector or Qdrant: ~3 ms)",
    }
    return remedies.get(item.id)


def fixes(timing: Timing, p95_over_p50: float) -> list[str]:
    """What would bring the p95 down, the largest step first, each with its p95 share [ms]."""
    ranked = sorted(timing.items, key=lambda item: -float(item.ms))
    out = []
    concurrency = timing.concurrency
    if concurrency is not None and concurrency > BUSY_CONCURRENCY:
        out.append(
            f"{concurrency:,.1f} requests share each replica at the peak, which slows every "
            "user's decoding; more self-hosted replicas."
        )
    for item in ranked:
        remedy = _fix(item, timing)
        if remedy is None:
            continue
        share = float(item.ms) * p95_over_p50
        out.append(f"{item.label}: {share:,.0f} ms of the p95; {remedy}.")
        if len(out) == MAX_FIXES:
            break
    return out
