"""What one query sends and the shape of its timing: prompt parts, line items, the peak.

Every approach's query is a list of latency line items (`LatencyItem`): steps before the first
token (retrieval, first token, prefill, reasoning) and the streamed answer. `api.py` builds them
for a hosted model, `selfhosted.py` for a fine-tune on the team's own GPUs.

Array-safe: the uncertainty analysis passes arrays of assumption draws through the same code,
so nothing here branches on, or prints, a drawn value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from estimators.approaches import full, lora, rag, rag_lora
from estimators.context import Context
from estimators.latency.formulas import decode_ms
from estimators.lineitems import LatencyItem, LatencyPart
from estimators.price_factors import Number
from estimators.timeline import growth_factor
from estimators.token_billing import REASONING_ID
from estimators.trusted import trusted

FINE_TUNE_ROLES = {spec.profile.id: spec.role for spec in (lora.SPEC, full.SPEC, rag_lora.SPEC)}
# Approaches that search an index before the model answers, and feed it the chunks.
RETRIEVAL = frozenset({rag.PROFILE.id, rag_lora.PROFILE.id})
PEAK = "selfhost.peak_to_average_ratio"


@dataclass(frozen=True)
class PromptPart:
    """Tokens one query sends, by what they are (the step that prefills them is `id`)."""

    id: str
    label: str
    tokens: dict[str, Number]  # input name → tokens
    assumption_ids: tuple[str, ...] = ()

    @property
    def total(self) -> Number:
        return sum(self.tokens.values())


@dataclass(frozen=True)
class Timing:
    """A query's p50 line items and what produced them."""

    model_id: str  # the catalogue model that answers
    fine_tuned: bool
    hosting: Literal["api", "self_hosted"]
    items: list[LatencyItem]
    output_tokens_per_s: Number  # [tok/s] per user
    basis: str
    prompt_tokens: Number  # [tokens] sent per query
    output_tokens: Number  # [tokens] answer + reasoning
    concurrency: Number | None = None  # self-hosted: requests per replica at the peak

    @property
    def model(self) -> str:
        return f"fine-tuned {self.model_id}" if self.fine_tuned else self.model_id

    @property
    def p50_ms(self) -> Number:
        return sum(item.ms for item in self.items)

    @property
    def ttft_ms(self) -> Number:
        return sum(item.ms for item in self.items if item.part != "decode")


def set_reasoning_tokens(ctx: Context) -> float:
    """Reasoning tokens per query a self-hosted fine-tune streams [tokens]: only those the
    scenario sets (`traffic.reasoning_tokens`), as its serving cost bills no others."""
    return float(ctx.scenario.traffic.reasoning_tokens or 0)


def peak_daily_queries(ctx: Context) -> float:
    """Queries/day in the horizon's last month [queries/day]: growth makes it the busiest, and
    the self-hosted replicas are sized for it too."""
    traffic, months = ctx.scenario.traffic, ctx.scenario.horizon_months
    return traffic.queries_per_day * growth_factor(traffic.monthly_growth_pct, months - 1)


def prompt_parts(ctx: Context, approach_id: str) -> list[PromptPart]:
    """What one query sends to the model, part by part."""
    a, traffic = ctx.assumptions, ctx.scenario.traffic
    if approach_id in FINE_TUNE_ROLES:
        base = PromptPart(
            "prefill_prompt",
            "Prefill of the fine-tune's short prompt and the input",
            {
                "finetune.system_prompt_tokens": a["finetune.system_prompt_tokens"],
                "traffic.input_tokens": traffic.input_tokens,
            },
            ("finetune.system_prompt_tokens",),
        )
        return [base, *_chunks(ctx, approach_id)]
    parts = [
        PromptPart(
            "prefill_prompt",
            "Prefill of the system prompt and the input",
            {
                "traffic.system_prompt_tokens": ctx.system_prompt_tokens,
                "traffic.input_tokens": traffic.input_tokens,
            },
        )
    ]
    if approach_id == "dspy":
        demos = a["dspy.demos_per_prompt"] * ctx.scenario.data.tokens_per_example
        parts.append(
            PromptPart(
                "prefill_demos",
                "Prefill of the DSPy demos",
                {"dspy.demos_per_prompt × data.tokens_per_example": demos},
                ("dspy.demos_per_prompt",),
            )
        )
    return parts + _chunks(ctx, approach_id)


def _chunks(ctx: Context, approach_id: str) -> list[PromptPart]:
    """The retrieved chunks' part of the prompt, for an approach that retrieves."""
    if approach_id not in RETRIEVAL:
        return []
    return [
        PromptPart(
            "prefill_chunks",
            "Prefill of the retrieved chunks",
            rag.retrieved_context(ctx),
            rag.CONTEXT_IDS,
        )
    ]


def item(
    ctx: Context,
    id: str,
    part: LatencyPart,
    label: str,
    ms: Number,
    formula: str,
    inputs: dict[str, Number | str],
    assumption_ids: tuple[str, ...] = (),
    sources: dict[str, str] | None = None,
) -> LatencyItem:
    cited = {key: ctx.assumptions.source(key) for key in assumption_ids}
    # Numbers already validated, or arrays of draws: no re-validation (as Context.item does).
    return trusted(
        LatencyItem,
        id=id,
        part=part,
        label=label,
        ms=ms,
        formula=formula,
        inputs=inputs,
        assumption_ids=list(assumption_ids),
        sources=cited | (sources or {}),
    )


def stream_items(
    ctx: Context,
    where: str,
    reasoning: tuple[Number, str],
    tokens_per_s: Number,
    speed_formula: str,
    speed_inputs: dict[str, Number | str],
    speed_ids: tuple[str, ...],
    speed_sources: dict[str, str],
) -> list[LatencyItem]:
    """Reasoning tokens (before the first answer token, when there are any) and the answer.

    `reasoning` is (tokens, the name they come under: the scenario field or the assumption)."""
    output = ctx.scenario.traffic.output_tokens
    streams = [("decode", "decode", "traffic.output_tokens", output, "Stream the answer")]
    tokens, name = reasoning
    if isinstance(tokens, np.ndarray) or tokens > 0:
        streams.insert(0, ("reasoning", "reasoning", name, tokens, "Reason"))
    return [
        item(
            ctx,
            id,
            part,
            f"{label} on {where}",
            decode_ms(tokens, tokens_per_s),
            f"{name} / ({speed_formula}) × 1,000",
            {name: tokens} | speed_inputs,
            (*speed_ids, name) if name == REASONING_ID else speed_ids,
            speed_sources,
        )
        for id, part, name, tokens, label in streams
    ]
