"""The shape every approach returns, before the timeline turns it into totals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from estimators.lineitems import LineItems

ApproachId = Literal["prompting", "dspy", "rag", "lora", "full"]
APPROACH_IDS: tuple[ApproachId, ...] = ("prompting", "dspy", "rag", "lora", "full")


class Profile(BaseModel):
    """What the article's first table says beside cost: what changes, can it be undone, how fast."""

    model_config = ConfigDict(frozen=True)

    id: ApproachId
    name: str
    what_changes: str
    reversible: bool
    time_to_ship: Literal["hours", "days", "weeks"]


class Training(BaseModel):
    """Training figures of a fine-tune (API or self-hosted); self-hosted adds the compute fields."""

    model_config = ConfigDict(frozen=True)

    hosting: Literal["api", "self_hosted"]
    model: str
    examples: int
    tokens: float = Field(description="billed training tokens: examples × capped tokens × epochs")
    epochs: int
    epochs_rule: str
    flops: float | None = None
    gpu_hours: float | None = None
    memory_gb: float | None = None
    gpus_needed: int | None = None
    fits: bool | None = None
    gpu: str | None = None


class ApproachCost(BaseModel):
    """An approach priced for one scenario: line items, or the reason it cannot run."""

    model_config = ConfigDict(frozen=True)

    profile: Profile
    available: bool = True
    unavailable_reason: str = ""
    line_items: LineItems = Field(default_factory=LineItems)
    # Self-hosted serving keeps at least one GPU up: a month's usage never costs less than this.
    min_usage_usd_per_month: float = 0.0
    training: Training | None = None

    @property
    def setup_usd(self) -> float:
        return sum(item.usd for item in self.line_items.setup)

    @property
    def per_query_usd(self) -> float:
        return sum(item.usd for item in self.line_items.per_query)

    @property
    def maintenance_usd_per_month(self) -> float:
        return sum(item.usd for item in self.line_items.monthly)


def unavailable(profile: Profile, reason: str) -> ApproachCost:
    """An approach that cannot run with the chosen models: kept in the result, with no costs."""
    return ApproachCost(profile=profile, available=False, unavailable_reason=reason)
