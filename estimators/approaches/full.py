"""Full fine-tune of the large model: the most expensive to build and to keep alive."""

from __future__ import annotations

from estimators.approaches import finetune, hosting
from estimators.approaches.base import ApproachCost, Profile
from estimators.context import Context
from estimators.ids import APPROACH_NAMES

PROFILE = Profile(
    id="full",
    name=APPROACH_NAMES["full"],
    what_changes="All of the large model's weights",
    reversible=False,
    time_to_ship="weeks",
    model_roles=("large",),
)
SPEC = finetune.Spec(profile=PROFILE, role="large", prefix="full")


def cost(ctx: Context) -> ApproachCost:
    return hosting.cost(ctx, SPEC)
