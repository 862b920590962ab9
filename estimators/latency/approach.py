"""`approach_latency(ctx, cost)`: one approach's latency block in the Estimate.

p50 = the sum of the line items (`per_query.py`), p95 = p50 × `latency.p95_over_p50`, the
budget check (`budget.py`) and the provider's rate-limit tier at the peak (`rate_limits.py`).
`p95_rows` is the same p95 on arrays of draws, for the uncertainty analysis.
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost
from estimators.context import Context
from estimators.latency import budget, rate_limits
from estimators.latency.api import api_timing
from estimators.latency.formulas import p95_ms
from estimators.latency.per_query import FINE_TUNE_ROLES, PEAK, Timing, peak_daily_queries
from estimators.latency.selfhosted import selfhost_timing
from estimators.price_factors import Number
from estimators.results import Latency, RateLimitCheck

P95_RATIO = "latency.p95_over_p50"
FINE_TUNE_LIMITS = "A provider's fine-tuned model is assumed to share its base model's limits."


def timing(ctx: Context, cost: ApproachCost) -> Timing | None:
    """The approach's per-query timing, or None when it cannot run."""
    if not cost.available:
        return None
    approach_id = cost.profile.id
    if approach_id not in FINE_TUNE_ROLES:
        return api_timing(ctx, approach_id, "general")
    training = cost.training
    if training is not None and training.hosting == "self_hosted":
        return selfhost_timing(ctx, approach_id, training)
    return api_timing(ctx, approach_id, FINE_TUNE_ROLES[approach_id])


def _rate_limit(ctx: Context, t: Timing) -> tuple[RateLimitCheck | None, str]:
    """The tier check and a note; self-hosted servers and models without tiers get no check."""
    if t.hosting == "self_hosted":
        return None, (
            "Self-hosted: no provider rate limit; the replicas at the peak set the capacity."
        )
    result = rate_limits.check(
        t.model_id,
        peak_daily_queries(ctx),
        ctx.assumptions[PEAK],
        float(t.prompt_tokens),
        float(t.output_tokens),
    )
    if result is None:
        return None, f"No usage tiers on file for {t.model_id} (presets/rate_limits.json)."
    notes = ["Batch queries are left out (they may wait up to 24 h)."]
    if t.fine_tuned:
        notes.append(FINE_TUNE_LIMITS)
    if result.indicative:
        notes.append("These limits come from secondary sources: check the provider's console.")
    return result, " ".join(notes)


def approach_latency(ctx: Context, cost: ApproachCost) -> Latency | None:
    """Time to first token, p50 and p95 of one query [ms], with the budget and rate-limit checks;
    None when the approach cannot run."""
    t = timing(ctx, cost)
    if t is None:
        return None
    ratio = ctx.assumptions[P95_RATIO]
    p50 = float(t.p50_ms)
    p95 = float(p95_ms(p50, ratio))
    budget_ms = ctx.scenario.traffic.latency_budget_ms
    over = budget.over_budget_ms(p95, budget_ms)
    check, note = _rate_limit(ctx, t)
    return Latency(
        model=t.model,
        hosting=t.hosting,
        ttft_ms=float(t.ttft_ms),
        p50_ms=p50,
        p95_ms=p95,
        p95_over_p50=ratio,
        output_tokens_per_s=float(t.output_tokens_per_s),
        items=t.items,
        basis=t.basis,
        concurrency=None if t.concurrency is None else float(t.concurrency),
        budget_ms=budget_ms,
        over_budget_ms=over,
        fixes=budget.fixes(t, ratio) if over is not None else [],
        rate_limit_tier=check.tier if check else None,
        rate_limit=check,
        rate_limit_note=note,
    )


def p95_rows(ctx: Context, cost: ApproachCost) -> Number | None:
    """The p95 [ms] with the context's assumption values, which may be arrays of draws.

    `cost` is the approach priced at the likely values: a self-hosted fine-tune keeps the GPUs
    and replicas sized there (integers the draws do not move here)."""
    t = timing(ctx, cost)
    if t is None:
        return None
    return p95_ms(t.p50_ms, ctx.assumptions[P95_RATIO])
