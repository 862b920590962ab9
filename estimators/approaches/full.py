"""Full fine-tune of the large model: the most expensive to build and to keep alive."""

from __future__ import annotations

from estimators.approach import ApproachCost, Profile
from estimators.approaches import finetune
from estimators.context import Context

PROFILE = Profile(
    id="full",
    name="Full fine-tune (large model)",
    what_changes="All of the large model's weights",
    reversible=False,
    time_to_ship="weeks",
)
SPEC = finetune.Spec(profile=PROFILE, role="large", prefix="full")


def cost(ctx: Context) -> ApproachCost:
    return finetune.cost(ctx, SPEC)
