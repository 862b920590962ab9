"""RAG on a LoRA fine-tune of the small model: retrieval in front of the adapted small model.

What high-volume teams deploy when facts and cost (or latency) both matter: the index supplies
the facts at query time (fine-tuning does not reliably inject them), the fine-tuned small model
supplies the behaviour at the small model's price per token. Both are built and both are kept
alive, so setup and upkeep are RAG's (`rag.index_setup_items`, `rag.index_upkeep_items`) plus the
LoRA fine-tune's at the scenario's hosting (`hosting.cost`, with the LoRA assumptions); a query
is the fine-tuned small model reading its short prompt, the retrieved chunks and the input, plus
the query's embedding and the store's reads. One evaluation item: the fine-tune's, on every
retrain, at this approach's cost per query.
"""

from __future__ import annotations

from estimators.approaches import finetune, hosting, rag
from estimators.approaches.base import ApproachCost, LineItems, Profile, unavailable
from estimators.context import Context
from estimators.ids import APPROACH_NAMES

PROFILE = Profile(
    id="rag_lora",
    name=APPROACH_NAMES["rag_lora"],
    what_changes="The small model's weights (adapters) and the chunks it reads at query time",
    reversible=False,
    time_to_ship="weeks",
    model_roles=("small", "embedding"),
)
SPEC = finetune.Spec(profile=PROFILE, role="small", prefix="lora", retrieval=True)


def cost(ctx: Context) -> ApproachCost:
    """The LoRA fine-tune fed by retrieval, or why either half cannot run."""
    empty = rag.missing_knowledge_base(ctx)
    if empty:
        return unavailable(PROFILE, empty)
    tuned = hosting.cost(ctx, SPEC)
    if not tuned.available:
        return tuned
    items = tuned.line_items
    return tuned.model_copy(
        update={
            "line_items": LineItems(
                setup=[*rag.index_setup_items(ctx), *items.setup],
                per_query=items.per_query,
                monthly=[*rag.index_upkeep_items(ctx), *items.monthly],
            )
        }
    )
