"""Prompting: instructions (and examples) in the prompt of the general model.

The article's picture: hours to set up, $0.001–0.01 a query, low upkeep ("update prompt").
The system prompt is the stable prefix a provider may serve from its cache (see `query.py`).
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost, LineItems, Profile
from estimators.approaches.query import evaluation_item, general_query_items
from estimators.context import Context
from estimators.ids import APPROACH_NAMES
from estimators.lineitems import LineItem

PROFILE = Profile(
    id="prompting",
    name=APPROACH_NAMES["prompting"],
    what_changes="The instructions sent with every request",
    reversible=True,
    time_to_ship="hours",
    model_roles=("general",),
)


def change_events(ctx: Context) -> dict[str, float]:
    """Evaluations a year of a prompt-based approach [per year]: task changes and model updates."""
    return {
        "task.changes_per_year": ctx.scenario.task.changes_per_year,
        "base_model_updates_per_year": ctx.scenario.base_model_updates_per_year,
    }


def change_items(ctx: Context, task_change_hours_id: str) -> list[LineItem]:
    """Monthly share of reworking the prompt on task changes and re-testing on model updates."""
    return [
        ctx.per_year_labour(
            "Rework on task changes",
            {"task.changes_per_year": ctx.scenario.task.changes_per_year},
            task_change_hours_id,
        ),
        ctx.per_year_labour(
            "Re-evaluation on base-model updates",
            {"base_model_updates_per_year": ctx.scenario.base_model_updates_per_year},
            "eval.hours_per_model_update",
        ),
    ]


def cost(ctx: Context) -> ApproachCost:
    per_query = general_query_items(
        ctx,
        "System prompt (cacheable prefix)",
        {"traffic.system_prompt_tokens": ctx.system_prompt_tokens},
        {"traffic.input_tokens": ctx.scenario.traffic.input_tokens},
    )
    return ApproachCost(
        profile=PROFILE,
        line_items=LineItems(
            setup=[ctx.labour("Prompt design and testing", "prompting.setup_hours")],
            per_query=per_query,
            monthly=[
                ctx.labour("Prompt upkeep", "prompting.upkeep_hours_per_month"),
                *change_items(ctx, "prompting.hours_per_task_change"),
                evaluation_item(ctx, sum(i.usd for i in per_query), change_events(ctx)),
            ],
        ),
    )
