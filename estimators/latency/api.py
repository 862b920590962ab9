"""A query on a hosted model: retrieval (RAG), first token, prefill, reasoning and the answer.

- prompting, DSPy, RAG: the general model's API. DSPy adds its demos' prefill; RAG adds the query
  embedding, the vector search and the retrieved chunks' prefill.
- LoRA / full fine-tune through a provider: the small / large model's speed with the fine-tune's
  short prompt (`finetune.system_prompt_tokens`); no published figure says a fine-tuned model
  decodes at another speed than its base.
Formulas in `formulas.py`; speeds in `presets/latency.json` (`speeds.py`).
"""

from __future__ import annotations

from estimators.context import Context
from estimators.latency.formulas import prefill_ms
from estimators.latency.per_query import (
    FINE_TUNE_ROLES,
    RETRIEVAL,
    PromptPart,
    Timing,
    item,
    prompt_parts,
    stream_items,
)
from estimators.latency.speeds import ApiSpeed, api_speed
from estimators.lineitems import LatencyItem
from estimators.price_factors import Number
from estimators.token_billing import REASONING_ID, reasoning_in_force

SPEED_FACTOR = "latency.api_output_speed_factor"
TTFT_FACTOR = "latency.api_ttft_factor"
PREFILL_FACTOR = "latency.api_prefill_factor"


def retrieval_items(ctx: Context) -> list[LatencyItem]:
    a = ctx.assumptions
    embedding = ctx.model("embedding").id
    return [
        item(
            ctx,
            "embed_query",
            "retrieval",
            f"Embed the query with {embedding}",
            a["latency.query_embedding_ms"],
            "latency.query_embedding_ms",
            {"latency.query_embedding_ms": a["latency.query_embedding_ms"]},
            ("latency.query_embedding_ms",),
        ),
        item(
            ctx,
            "vector_search",
            "retrieval",
            "Search the vector index",
            a["latency.vector_search_ms"],
            "latency.vector_search_ms",
            {"latency.vector_search_ms": a["latency.vector_search_ms"]},
            ("latency.vector_search_ms",),
        ),
    ]


def _api_items(
    ctx: Context, speed: ApiSpeed, parts: list[PromptPart], reasoning: tuple[Number, str]
) -> tuple[list[LatencyItem], Number]:
    a = ctx.assumptions
    model = speed.model
    tps = speed.output_tokens_per_s * a[SPEED_FACTOR]
    items = [
        item(
            ctx,
            "first_token",
            "first_token",
            f"First token on {model} (short prompt, network included)",
            speed.ttft_ms * a[TTFT_FACTOR],
            f"{model} TTFT ms × {TTFT_FACTOR}",
            {f"{model} TTFT ms": speed.ttft_ms, TTFT_FACTOR: a[TTFT_FACTOR]},
            (TTFT_FACTOR,),
            {f"{model} TTFT ms": speed.sources["TTFT ms"]},
        )
    ]
    per_1k = f"{model} prefill ms per 1k tokens"
    for part in parts:
        names = " + ".join(part.tokens)
        items.append(
            item(
                ctx,
                part.id,
                "prefill",
                f"{part.label} on {model}",
                prefill_ms(part.total, speed.prefill_ms_per_1k_tokens * a[PREFILL_FACTOR]),
                f"({names}) / 1,000 × {per_1k} × {PREFILL_FACTOR}",
                dict(part.tokens)
                | {per_1k: speed.prefill_ms_per_1k_tokens, PREFILL_FACTOR: a[PREFILL_FACTOR]},
                (*part.assumption_ids, PREFILL_FACTOR),
                {per_1k: speed.sources["prefill ms per 1k tokens"]},
            )
        )
    items += stream_items(
        ctx,
        model,
        reasoning,
        tps,
        f"{model} output tokens/s × {SPEED_FACTOR}",
        {f"{model} output tokens/s": speed.output_tokens_per_s, SPEED_FACTOR: a[SPEED_FACTOR]},
        (SPEED_FACTOR,),
        {f"{model} output tokens/s": speed.sources["output tokens/s"]},
    )
    return items, tps


def api_timing(ctx: Context, approach_id: str, role: str) -> Timing:
    """A query on a hosted model: retrieval (RAG), first token, prefill, reasoning, answer."""
    model = ctx.model(role)
    speed = api_speed(model)
    parts = prompt_parts(ctx, approach_id)
    # The cost side's rule (token_billing), so a query is timed with the tokens it is billed for.
    reasoning = reasoning_in_force(
        model, ctx.scenario.traffic.reasoning_tokens, ctx.assumptions[REASONING_ID]
    )
    items, tps = _api_items(ctx, speed, parts, reasoning)
    if approach_id in RETRIEVAL:
        items = retrieval_items(ctx) + items
    return Timing(
        model_id=model.id,
        fine_tuned=approach_id in FINE_TUNE_ROLES,
        hosting="api",
        items=items,
        output_tokens_per_s=tps,
        basis=speed.basis,
        prompt_tokens=sum(part.total for part in parts),
        output_tokens=ctx.scenario.traffic.output_tokens + reasoning[0],
    )
