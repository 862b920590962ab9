"""RAG: retrieve knowledge-base chunks into the general model's prompt at query time.

The article's picture: days to set up, $0.005–0.02 a query, medium upkeep ("update index").
Overlapping chunks make the index hold more tokens than the documents: chunk / (chunk − overlap).
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost, LineItems, Profile, unavailable
from estimators.approaches.prompting import change_items, query_items
from estimators.context import Context
from estimators.ids import APPROACH_NAMES
from estimators.lineitems import LineItem, token_cost_usd

PROFILE = Profile(
    id="rag",
    name=APPROACH_NAMES["rag"],
    what_changes="What the model sees at query time: retrieved knowledge-base chunks",
    reversible=True,
    time_to_ship="days",
)

_INDEX_IDS = ("rag.chunk_tokens", "rag.chunk_overlap_tokens")


def overlap_factor(chunk_tokens: float, overlap_tokens: float) -> float:
    """Indexed tokens per document token [ratio]: chunk / (chunk − overlap).

    Overlap < chunk is checked where assumptions are validated (`check_overrides`)."""
    return chunk_tokens / (chunk_tokens - overlap_tokens)


def index_tokens(ctx: Context) -> float:
    """Tokens embedded to index the whole knowledge base [tokens]."""
    kb = ctx.scenario.data.knowledge_base
    factor = overlap_factor(
        ctx.assumptions["rag.chunk_tokens"], ctx.assumptions["rag.chunk_overlap_tokens"]
    )
    return kb.documents * kb.tokens_per_document * factor


def _index_inputs(ctx: Context) -> dict[str, float | str]:
    kb = ctx.scenario.data.knowledge_base
    embedding = ctx.model("embedding")
    return {
        "data.knowledge_base.documents": kb.documents,
        "data.knowledge_base.tokens_per_document": kb.tokens_per_document,
        "rag.chunk_tokens": ctx.assumptions["rag.chunk_tokens"],
        "rag.chunk_overlap_tokens": ctx.assumptions["rag.chunk_overlap_tokens"],
        f"{embedding.id} USD per 1M tokens": ctx.usd_per_mtok("embedding", "input"),
    }


_INDEX_FORMULA = (
    "data.knowledge_base.documents × data.knowledge_base.tokens_per_document"
    " × rag.chunk_tokens / (rag.chunk_tokens − rag.chunk_overlap_tokens)"
)


def _embed_kb_item(ctx: Context) -> LineItem:
    price = ctx.usd_per_mtok("embedding", "input")
    return ctx.item(
        "Embed the knowledge base",
        token_cost_usd(index_tokens(ctx), price),
        f"{_INDEX_FORMULA} × embedding price / 1,000,000",
        _index_inputs(ctx),
        _INDEX_IDS,
        {"embedding price": ctx.price_source("embedding")},
    )


def _reembed_item(ctx: Context) -> LineItem:
    price = ctx.usd_per_mtok("embedding", "input")
    changed_pct = ctx.scenario.data.knowledge_base.changed_pct_per_month
    return ctx.item(
        "Re-embed changed documents",
        token_cost_usd(index_tokens(ctx) * changed_pct / 100, price),
        f"{_INDEX_FORMULA} × data.knowledge_base.changed_pct_per_month / 100"
        " × embedding price / 1,000,000",
        _index_inputs(ctx) | {"data.knowledge_base.changed_pct_per_month": changed_pct},
        _INDEX_IDS,
        {"embedding price": ctx.price_source("embedding")},
    )


def _query_embedding_item(ctx: Context) -> LineItem:
    embedding = ctx.model("embedding")
    return ctx.tokens(
        f"Embed the query with {embedding.id}",
        {"traffic.input_tokens": ctx.scenario.traffic.input_tokens},
        f"{embedding.id} USD per 1M tokens",
        ctx.usd_per_mtok("embedding", "input"),
        (),
        ctx.price_source("embedding"),
    )


def cost(ctx: Context) -> ApproachCost:
    kb = ctx.scenario.data.knowledge_base
    if kb.documents == 0 or kb.tokens_per_document == 0:
        return unavailable(
            PROFILE,
            "data.knowledge_base is empty: RAG needs documents to retrieve. Enter the number of "
            "documents and their size to price it.",
        )
    a = ctx.assumptions
    context = {"rag.top_k × rag.chunk_tokens": a["rag.top_k"] * a["rag.chunk_tokens"]}
    store = a["rag.vector_store_usd_per_month"]
    return ApproachCost(
        profile=PROFILE,
        line_items=LineItems(
            setup=[
                ctx.labour("Ingestion, retrieval and prompt work", "rag.setup_hours"),
                _embed_kb_item(ctx),
            ],
            per_query=[
                *query_items(ctx, context, ("rag.top_k", "rag.chunk_tokens")),
                _query_embedding_item(ctx),
            ],
            monthly=[
                ctx.item(
                    "Vector store hosting",
                    store,
                    "rag.vector_store_usd_per_month",
                    {"rag.vector_store_usd_per_month": store},
                    ("rag.vector_store_usd_per_month",),
                ),
                _reembed_item(ctx),
                ctx.labour("Index and retrieval upkeep", "rag.upkeep_hours_per_month"),
                *change_items(ctx, "rag.hours_per_task_change"),
            ],
        ),
    )
