"""Line items: every cost the engine reports, with the formula, inputs and assumptions behind it.

A line item is the unit of traceability: the dashboard's "explain" view and the PDF print these
as they are, so a reader can recompute any figure by hand.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from estimators.catalog import TOKENS_PER_MTOK


class LineItem(BaseModel):
    """One cost [USD]: per query, per month or one-off, depending on the list it sits in."""

    model_config = ConfigDict(frozen=True)

    label: str
    usd: float
    formula: str
    inputs: dict[str, float | int | str] = Field(default_factory=dict)
    assumption_ids: list[str] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict)


class LineItems(BaseModel):
    """The three kinds of cost every approach reports."""

    model_config = ConfigDict(frozen=True)

    setup: list[LineItem] = Field(default_factory=list)
    per_query: list[LineItem] = Field(default_factory=list)
    monthly: list[LineItem] = Field(default_factory=list)


LatencyPart = Literal["retrieval", "first_token", "prefill", "reasoning", "decode"]


class LatencyItem(BaseModel):
    """One share of a query's p50 latency [ms], traced like a cost line item.

    `id` names the step (`first_token`, `prefill_prompt`, `decode`, ...) so that charts and the
    budget check can find it; `part` groups steps for a stacked chart: everything but `decode`
    happens before the first token.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    part: LatencyPart
    label: str
    ms: float
    formula: str
    inputs: dict[str, float | int | str] = Field(default_factory=dict)
    assumption_ids: list[str] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict)


def token_cost_usd(tokens: float, usd_per_mtok: float) -> float:
    """Tokens to money [USD]: tokens × price per 1M tokens / 1M."""
    return tokens * usd_per_mtok / TOKENS_PER_MTOK
