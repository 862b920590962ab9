"""LoRA fine-tune of the small model: weeks of work plus GPU hours, the cheapest queries."""

from __future__ import annotations

from estimators.approaches import finetune, hosting
from estimators.approaches.base import ApproachCost, Profile
from estimators.context import Context
from estimators.ids import APPROACH_NAMES

PROFILE = Profile(
    id="lora",
    name=APPROACH_NAMES["lora"],
    what_changes="The small model's weights, through low-rank adapters",
    reversible=False,
    time_to_ship="weeks",
    model_roles=("small",),
)
SPEC = finetune.Spec(profile=PROFILE, role="small", prefix="lora")


def cost(ctx: Context) -> ApproachCost:
    return hosting.cost(ctx, SPEC)
