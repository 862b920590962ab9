"""RAG: retrieve knowledge-base chunks into the general model's prompt at query time.

The article's picture: days to set up, $0.005–0.02 a query, medium upkeep ("update index").
Overlapping chunks make the index hold more tokens than the documents: chunk / (chunk − overlap).
The system prompt is a cacheable prefix; the retrieved chunks change per query and never are.

The vector store is managed by default, priced like Pinecone Standard (serverless): storage per
GB-month of the index, reads per query (1 read unit per GB of index, at least 0.25) and a monthly
minimum the bill is topped up to. The index holds one record per chunk: 4 bytes per dimension
plus its metadata (Pinecone's cost guide). Writes (1 unit per KB upserted, $4 per 1M) are left
out: re-embedding 10% of a 1 GB index a month writes about $0.40. A self-hosted store
(`data.knowledge_base.vector_store`) is a flat monthly figure instead.
"""

from __future__ import annotations

import numpy as np

from estimators.approaches.base import ApproachCost, LineItems, Profile, unavailable
from estimators.approaches.prompting import change_events, change_items
from estimators.approaches.query import evaluation_item, general_query_items
from estimators.assumptions import Assumptions
from estimators.context import Context
from estimators.ids import APPROACH_NAMES
from estimators.lineitems import LineItem, token_cost_usd
from estimators.token_billing import Number

PROFILE = Profile(
    id="rag",
    name=APPROACH_NAMES["rag"],
    what_changes="What the model sees at query time: retrieved knowledge-base chunks",
    reversible=True,
    time_to_ship="days",
    model_roles=("general", "embedding"),
)

_INDEX_IDS = ("rag.chunk_tokens", "rag.chunk_overlap_tokens")
_RECORD_IDS = ("rag.embedding_dimensions", "rag.metadata_bytes_per_chunk")
# Pinecone serverless: a query reads 1 unit per GB of the namespace, at least 0.25 units.
READ_UNITS_PER_GB = 1.0
MIN_READ_UNITS_PER_QUERY = 0.25
BYTES_PER_GB = 1e9
BYTES_PER_DIMENSION = 4  # float32


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


def index_gb(ctx: Context) -> Number:
    """Size of the vector index [GB]: chunks × (4 × dimensions + metadata bytes) / 1e9, with
    chunks = indexed tokens / chunk tokens."""
    a = ctx.assumptions
    chunks = index_tokens(ctx) / a["rag.chunk_tokens"]
    record_bytes = BYTES_PER_DIMENSION * a["rag.embedding_dimensions"]
    return chunks * (record_bytes + a["rag.metadata_bytes_per_chunk"]) / BYTES_PER_GB


def read_usd_per_query(ctx: Context) -> Number:
    """One query's vector-store reads [USD]: max(0.25, GB × 1) read units × price per 1M."""
    units = np.maximum(MIN_READ_UNITS_PER_QUERY, index_gb(ctx) * READ_UNITS_PER_GB)
    return units * ctx.assumptions["rag.store_usd_per_million_read_units"] / 1e6


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


_STORE_SOURCE = "Pinecone Standard; see the assumptions' sources"
_INDEX_GB_TEXT = (
    "index GB = data.knowledge_base.documents × data.knowledge_base.tokens_per_document × "
    "rag.chunk_tokens / (rag.chunk_tokens − rag.chunk_overlap_tokens) / rag.chunk_tokens × "
    "(4 × rag.embedding_dimensions + rag.metadata_bytes_per_chunk) / 1e9"
)


def _reads_item(ctx: Context) -> LineItem:
    gb = index_gb(ctx)
    price = ctx.assumptions["rag.store_usd_per_million_read_units"]
    return ctx.item(
        "Vector store reads (managed)",
        read_usd_per_query(ctx),
        "max(minimum read units per query, index GB × read units per GB)"
        " × rag.store_usd_per_million_read_units / 1,000,000; " + _INDEX_GB_TEXT,
        {
            "minimum read units per query": MIN_READ_UNITS_PER_QUERY,
            "index GB": gb,
            "read units per GB": READ_UNITS_PER_GB,
            "rag.store_usd_per_million_read_units": price,
        },
        ("rag.store_usd_per_million_read_units", *_RECORD_IDS, *_INDEX_IDS),
        {"read units": _STORE_SOURCE},
    )


def _store_items(ctx: Context) -> list[LineItem]:
    """Monthly store costs: managed storage and the minimum top-up, or a self-hosted flat fee."""
    a = ctx.assumptions
    if ctx.scenario.data.knowledge_base.vector_store == "self_hosted":
        store = a["rag.vector_store_usd_per_month"]
        return [
            ctx.item(
                "Vector store hosting (self-hosted)",
                store,
                "rag.vector_store_usd_per_month",
                {"rag.vector_store_usd_per_month": store},
                ("rag.vector_store_usd_per_month",),
            )
        ]
    gb = index_gb(ctx)
    storage_usd = gb * a["rag.store_usd_per_gb_month"]
    kb = ctx.scenario.data.knowledge_base
    storage = ctx.item(
        "Vector store storage (managed)",
        storage_usd,
        "data.knowledge_base.documents × data.knowledge_base.tokens_per_document"
        " × rag.chunk_tokens / (rag.chunk_tokens − rag.chunk_overlap_tokens) / rag.chunk_tokens"
        " × (4 × rag.embedding_dimensions + rag.metadata_bytes_per_chunk) / 1,000,000,000"
        " × rag.store_usd_per_gb_month; one record per chunk: 4 bytes per dimension + metadata",
        {
            "data.knowledge_base.documents": kb.documents,
            "data.knowledge_base.tokens_per_document": kb.tokens_per_document,
            "rag.chunk_tokens": a["rag.chunk_tokens"],
            "rag.chunk_overlap_tokens": a["rag.chunk_overlap_tokens"],
            "rag.embedding_dimensions": a["rag.embedding_dimensions"],
            "rag.metadata_bytes_per_chunk": a["rag.metadata_bytes_per_chunk"],
            "rag.store_usd_per_gb_month": a["rag.store_usd_per_gb_month"],
            "index GB": gb,
        },
        ("rag.store_usd_per_gb_month", *_RECORD_IDS, *_INDEX_IDS),
    )
    queries = ctx.scenario.traffic.queries_per_day
    days = a["calendar.days_per_month"]
    reads = read_usd_per_query(ctx)
    minimum = a["rag.store_min_usd_per_month"]
    top_up = ctx.item(
        "Vector store minimum top-up (managed)",
        np.maximum(0.0, minimum - storage_usd - queries * days * reads),
        "max(0, rag.store_min_usd_per_month − storage USD − traffic.queries_per_day"
        " × calendar.days_per_month × reads USD per query); usage below the plan's monthly"
        " minimum is topped up to it (month-1 volume)",
        {
            "rag.store_min_usd_per_month": minimum,
            "storage USD": storage_usd,
            "traffic.queries_per_day": queries,
            "calendar.days_per_month": days,
            "reads USD per query": reads,
        },
        ("rag.store_min_usd_per_month",),
    )
    return [storage, top_up]


CONTEXT_NAME = "rag.top_k × rag.chunk_tokens"
CONTEXT_IDS = ("rag.top_k", "rag.chunk_tokens")


def retrieved_context(ctx: Context, a: Assumptions | None = None) -> dict[str, Number]:
    """The retrieved chunks one query adds to the prompt [tokens]: rag.top_k × rag.chunk_tokens.

    `a` gives the assumption values to use (the self-hosted plan sizes servers at the likely
    ones); the context's own by default."""
    a = ctx.assumptions if a is None else a
    return {CONTEXT_NAME: a["rag.top_k"] * a["rag.chunk_tokens"]}


def missing_knowledge_base(ctx: Context) -> str:
    """Why retrieval cannot be priced (an empty knowledge base), or "" when it can."""
    kb = ctx.scenario.data.knowledge_base
    if kb.documents == 0 or kb.tokens_per_document == 0:
        return (
            "data.knowledge_base is empty: RAG needs documents to retrieve. Enter the number of "
            "documents and their size to price it."
        )
    return ""


def retrieval_query_items(ctx: Context) -> list[LineItem]:
    """What retrieval adds to one query besides the chunks' tokens: the query's embedding and,
    for a managed store, its reads [USD]."""
    items = [_query_embedding_item(ctx)]
    if ctx.scenario.data.knowledge_base.vector_store == "managed":
        items.append(_reads_item(ctx))
    return items


def index_setup_items(ctx: Context) -> list[LineItem]:
    """Building retrieval once: the ingestion and prompt work, and embedding the knowledge base."""
    return [
        ctx.labour("Ingestion, retrieval and prompt work", "rag.setup_hours"),
        _embed_kb_item(ctx),
    ]


def index_upkeep_items(ctx: Context) -> list[LineItem]:
    """Keeping retrieval alive each month, evaluation runs aside: the store, re-embedding the
    changed documents, index upkeep and rework on task changes and model updates."""
    return [
        *_store_items(ctx),
        _reembed_item(ctx),
        ctx.labour("Index and retrieval upkeep", "rag.upkeep_hours_per_month"),
        *change_items(ctx, "rag.hours_per_task_change"),
    ]


def cost(ctx: Context) -> ApproachCost:
    empty = missing_knowledge_base(ctx)
    if empty:
        return unavailable(PROFILE, empty)
    query = general_query_items(
        ctx,
        "System prompt (cacheable prefix)",
        {"traffic.system_prompt_tokens": ctx.system_prompt_tokens},
        retrieved_context(ctx) | {"traffic.input_tokens": ctx.scenario.traffic.input_tokens},
        CONTEXT_IDS,
    )
    per_query = [*query, *retrieval_query_items(ctx)]
    return ApproachCost(
        profile=PROFILE,
        line_items=LineItems(
            setup=index_setup_items(ctx),
            per_query=per_query,
            monthly=[
                *index_upkeep_items(ctx),
                evaluation_item(ctx, sum(i.usd for i in per_query), change_events(ctx)),
            ],
        ),
    )
