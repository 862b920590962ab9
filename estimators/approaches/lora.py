"""LoRA fine-tune of the small model: weeks of work plus GPU hours, the cheapest queries."""

from __future__ import annotations

from estimators.approach import ApproachCost, Profile
from estimators.approaches import finetune
from estimators.context import Context

PROFILE = Profile(
    id="lora",
    name="LoRA fine-tune (small model)",
    what_changes="The small model's weights, through low-rank adapters",
    reversible=False,
    time_to_ship="weeks",
)
SPEC = finetune.Spec(profile=PROFILE, role="small", prefix="lora")


def cost(ctx: Context) -> ApproachCost:
    return finetune.cost(ctx, SPEC)
