"""`estimate(scenario)`: the one public entry point the CLI, the dashboard and the PDF share."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from estimators.approaches import dspy, full, lora, prompting, rag, rag_lora
from estimators.approaches.base import ApproachCost, Profile, unavailable
from estimators.assumptions import Assumptions, defaults
from estimators.catalog import ModelEntry, models, prices_as_of
from estimators.context import Context
from estimators.decision.recommend import decide
from estimators.decision.risks import assess_risks
from estimators.latency.approach import approach_latency
from estimators.mix import price_mix
from estimators.price_factors import (
    API_PRICE_FACTOR,
    FINETUNE_PRICE_FACTOR,
    scale_prices,
)
from estimators.results import ApproachResult, AssumptionUsed, Estimate
from estimators.scenario import Scenario
from estimators.timeline import (
    Pricing,
    break_evens,
    cumulative_usd,
    month_days,
    queries_per_month,
    usage_usd,
)
from estimators.tokens import prompt_tokens

APPROACHES = (prompting, dspy, rag, lora, full, rag_lora)
MODEL_ROLES = ("general", "small", "large", "embedding")
_ON_GENERAL_MODEL = {"prompting", "dspy", "rag"}


def price_approach_with(ctx: Context, cost_fn: object, profile: Profile) -> ApproachCost:
    general = ctx.model("general")
    if profile.id in _ON_GENERAL_MODEL and not general.has_api_price:
        return unavailable(
            profile,
            f"models.general '{general.id}' has no hosted price in the catalogue; choose a model "
            "with API prices for prompting, DSPy and RAG.",
        )
    return cost_fn(ctx)  # type: ignore[operator]


def price_approaches(ctx: Context) -> list[ApproachCost]:
    """Every approach's line items for one scenario, in the article's order."""
    return [price_approach_with(ctx, module.cost, module.PROFILE) for module in APPROACHES]


def _result(cost: ApproachCost, monthly_queries: list[float]) -> ApproachResult:
    """Totals over the horizon; the verdict is filled in once the decision engine has them."""
    profile = cost.profile
    common = {
        "id": profile.id,
        "name": profile.name,
        "what_changes": profile.what_changes,
        "reversible": profile.reversible,
        "time_to_ship": profile.time_to_ship,
        "available": cost.available,
        "unavailable_reason": cost.unavailable_reason,
        "line_items": cost.line_items,
        "training": cost.training,
        "verdict": "avoid",
        "reasons": [],
    }
    if not cost.available:
        empty = dict.fromkeys(
            (
                "setup_usd",
                "per_query_usd",
                "maintenance_usd_per_month",
                "min_usage_usd_per_month",
                "usage_usd",
                "upkeep_usd",
                "total_usd",
                "cumulative_usd",
            )
        )
        return ApproachResult(**common, **empty)
    pricing = Pricing.of(cost)
    cumulative = cumulative_usd(pricing, monthly_queries)
    return ApproachResult(
        **common,
        setup_usd=pricing.setup_usd,
        per_query_usd=pricing.per_query_usd,
        maintenance_usd_per_month=pricing.upkeep_usd_per_month,
        min_usage_usd_per_month=pricing.min_usage_usd_per_month,
        usage_usd=usage_usd(pricing, monthly_queries),
        upkeep_usd=pricing.upkeep_usd_per_month * len(monthly_queries),
        total_usd=cumulative[-1],
        cumulative_usd=cumulative,
    )


def _assumption_used(key: str, value: float, assumptions: Assumptions) -> AssumptionUsed:
    entry = defaults()[key]
    return AssumptionUsed(
        id=key,
        value=value,
        low=entry.low,
        high=entry.high,
        unit=entry.unit,
        source=assumptions.source(key),
        note=entry.note,
        overridden=key in assumptions.overridden,
    )


@cache
def _default_used(key: str) -> AssumptionUsed:
    """An assumption left at its default, built once: the same frozen row in every estimate."""
    return _assumption_used(key, defaults()[key].value, Assumptions())


def _assumptions_used(assumptions: Assumptions) -> list[AssumptionUsed]:
    return [
        _assumption_used(key, value, assumptions)
        if key in assumptions.overridden
        else _default_used(key)
        for key, value in assumptions.items()
    ]


def system_prompt_tokens(scenario: Scenario) -> int:
    """The system prompt's size [tokens]: counted exactly when its text is given (it then wins
    over `traffic.system_prompt_tokens`), with the general model's tokenizer, since prompting,
    DSPy and RAG send it to that model."""
    text = scenario.traffic.system_prompt
    if text is None:
        return scenario.traffic.system_prompt_tokens
    return prompt_tokens(text, scenario.models.general)


def build_context(
    scenario: Scenario,
    prices: Mapping[str, ModelEntry] | None = None,
    apply_price_factors: bool = True,
) -> Context:
    """Resolve the scenario's assumptions and system-prompt size once for all approaches.

    Price-class factors (1.0 unless the scenario pins them) scale the prices in force; the
    uncertainty analysis turns that off and applies its own draws of them instead.
    """
    assumptions = Assumptions(scenario.assumptions)
    table = dict(prices) if prices is not None else models()
    if apply_price_factors:
        table = scale_prices(
            table, scenario, assumptions[API_PRICE_FACTOR], assumptions[FINETUNE_PRICE_FACTOR]
        )
    return Context(
        scenario=scenario,
        assumptions=assumptions,
        system_prompt_tokens=system_prompt_tokens(scenario),
        prices=table,
    )


def estimate(scenario: Scenario, prices: Mapping[str, ModelEntry] | None = None) -> Estimate:
    """Price every approach, lay the costs over the horizon and find the crossings.

    `prices` replaces the bundled catalogue (e.g. a refreshed price file); ids must match.
    """
    ctx = build_context(scenario, prices)
    costs = price_approaches(ctx)
    monthly_queries = queries_per_month(
        scenario.traffic.queries_per_day,
        scenario.traffic.monthly_growth_pct,
        ctx.assumptions["calendar.days_per_month"],
        scenario.horizon_months,
    )
    latencies = [approach_latency(ctx, cost) for cost in costs]
    priced = [_result(cost, monthly_queries) for cost in costs]
    decision = decide(
        scenario,
        {r.id: r.total_usd for r in priced},
        {r.id: r.unavailable_reason for r in priced if not r.available},
        {
            r.id: lat.over_budget_ms
            for r, lat in zip(priced, latencies, strict=True)
            if lat is not None and lat.over_budget_ms is not None
        },
        per_query_usd={r.id: r.per_query_usd for r in priced},
    )
    results = [
        r.model_copy(update={"verdict": v.verdict, "reasons": v.reasons, "latency": lat})
        for r, v, lat in zip(priced, decision.verdicts, latencies, strict=True)
    ]
    available = [r for r in results if r.available]
    cheapest = min(available, key=lambda r: r.total_usd or 0.0).id if available else None
    pricings = [Pricing.of(c) for c in costs if c.available]
    risks = assess_risks(scenario)
    cumulative = {r.id: r.cumulative_usd for r in available if r.cumulative_usd is not None}
    days = month_days(
        scenario.traffic.monthly_growth_pct,
        ctx.assumptions["calendar.days_per_month"],
        scenario.horizon_months,
    )
    return Estimate(
        scenario=scenario,
        approaches=results,
        cheapest=cheapest,
        recommendation=decision.recommendation,
        decision_path=decision.steps,
        break_even=break_evens(pricings, cumulative, days),
        risks=risks,
        assumptions=_assumptions_used(ctx.assumptions),
        # The newest price date among the models this scenario uses, not the whole catalogue's.
        prices_as_of=prices_as_of({role: ctx.model(role) for role in MODEL_ROLES}),
        queries_per_month=monthly_queries,
        mix=price_mix(scenario, results, {p.id: p for p in pricings}, monthly_queries, risks),
    )
