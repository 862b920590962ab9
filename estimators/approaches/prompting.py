"""Prompting: instructions (and examples) in the prompt of the general model.

The article's picture: hours to set up, $0.001–0.01 a query, low upkeep ("update prompt").
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost, LineItems, Profile
from estimators.context import Context
from estimators.ids import APPROACH_NAMES
from estimators.lineitems import LineItem

PROFILE = Profile(
    id="prompting",
    name=APPROACH_NAMES["prompting"],
    what_changes="The instructions sent with every request",
    reversible=True,
    time_to_ship="hours",
)


def query_items(
    ctx: Context, extra_input: dict[str, float], ids: tuple[str, ...] = ()
) -> list[LineItem]:
    """Per-query token cost on the general model: system prompt + extra context + user input."""
    general = ctx.model("general")
    traffic = ctx.scenario.traffic
    prompt = {"traffic.system_prompt_tokens": ctx.system_prompt_tokens}
    prompt |= extra_input | {"traffic.input_tokens": traffic.input_tokens}
    source = ctx.price_source("general")
    return [
        ctx.tokens(
            f"Input tokens on {general.id}",
            prompt,
            f"{general.id} input USD per 1M tokens",
            ctx.usd_per_mtok("general", "input"),
            ids,
            source,
        ),
        ctx.tokens(
            f"Output tokens on {general.id}",
            {"traffic.output_tokens": traffic.output_tokens},
            f"{general.id} output USD per 1M tokens",
            ctx.usd_per_mtok("general", "output"),
            (),
            source,
        ),
    ]


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
    return ApproachCost(
        profile=PROFILE,
        line_items=LineItems(
            setup=[ctx.labour("Prompt design and testing", "prompting.setup_hours")],
            per_query=query_items(ctx, {}),
            monthly=[
                ctx.labour("Prompt upkeep", "prompting.upkeep_hours_per_month"),
                *change_items(ctx, "prompting.hours_per_task_change"),
            ],
        ),
    )
