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
    api = timing.hosting == "api"
    if item.id == "decode":
        if api:
            return (
                "a smaller, faster model (e.g. a fine-tuned small or self-hosted one) or shorter "
                f"answers (traffic.output_tokens): streaming the answer at "
                f"{timing.output_tokens_per_s:,.0f} tok/s takes"
            )
        return (
            "a GPU with more memory bandwidth, fewer bytes per weight (quantisation) or shorter "
            f"answers (traffic.output_tokens): streaming at {timing.output_tokens_per_s:,.0f} "
            "tok/s per user takes"
        )
    if item.id == "reasoning":
        return "less reasoning effort (traffic.reasoning_tokens): reasoning takes"
    if item.id == "first_token":
        return "a model or provider with a faster first token: the first token takes"
    if item.id == "prefill_prompt":
        return "a shorter system prompt or input: their prefill takes"
    if item.id == "prefill_chunks":
        return "fewer or shorter retrieved chunks (rag.top_k, rag.chunk_tokens): they take"
    if item.id == "prefill_demos":
        return "fewer DSPy demos (dspy.demos_per_prompt): they take"
    if item.id in ("embed_query", "vector_search"):
        where = "an embedding endpoint" if item.id == "embed_query" else "a vector index"
        return f"{where} in your own network (pgvector or Qdrant search in ~3 ms): it takes"
    return None


def fixes(timing: Timing, p95_over_p50: float) -> list[str]:
    """What would bring the p95 down, the largest step first, each with its p95 share [ms]."""
    ranked = sorted(timing.items, key=lambda item: -float(item.ms))
    out = []
    concurrency = timing.concurrency
    if concurrency is not None and concurrency > BUSY_CONCURRENCY:
        out.append(
            f"More self-hosted replicas: {concurrency:,.1f} requests share each replica at the "
            "peak, which slows every user's decoding."
        )
    for item in ranked:
        remedy = _fix(item, timing)
        if remedy is None:
            continue
        share = float(item.ms) * p95_over_p50
        out.append(f"{remedy[:1].upper()}{remedy[1:]} {share:,.0f} ms of the p95 ({item.label}).")
        if len(out) == MAX_FIXES:
            break
    return out
