"""`estimate(scenario)`: the one public entry point the CLI, the dashboard and the PDF share."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from estimators.approaches import dspy, full, lora, prompting, rag, rag_lora
from estimators.approaches.base import ApproachCost, Profile, unavailable
from estimators.assumptions import Assumptions, defaults
from estimators.catalog import (
    ModelEntry,
    is_retired,
    models,
    prices_as_of,
    retirement_notice,
)
from estimators.context import Context
from estimators.decision.recommend import ApproachVerdict, decide
from estimators.decision.risks import assess_risks
from estimators.latency.approach import approach_latency
from estimators.mix import PricedPart, mix_parts, part_scenario, price_mix
from estimators.price_factors import (
    API_PRICE_FACTOR,
    FINETUNE_PRICE_FACTOR,
    scale_prices,
)
from estimators.results import ApproachResult, AssumptionUsed, Estimate, Latency
from estimators.scenario import Scenario
from estimators.timeline import (
    Pricing,
    break_evens,
    cumulative_curves,
    month_days,
    queries_per_month,
    usage_usd,
)
from estimators.tokens import prompt_tokens

APPROACHES = (prompting, dspy, rag, lora, full, rag_lora)
APPROACH_BY_ID = {module.PROFILE.id: module for module in APPROACHES}
MODEL_ROLES = ("general", "small", "large", "embedding")
_ON_GENERAL_MODEL = {"prompting", "dspy", "rag"}


def _retired(ctx: Context, profile: Profile) -> str | None:
    """Why the approach cannot run when a model that answers its queries was retired by the
    prices' date (`Context.prices_date`)."""
    on = ctx.prices_date
    for role in profile.model_roles:
        entry = ctx.model(role)
        if not is_retired(entry, on):
            continue
        fine_tuned = entry.id in ctx.scenario.provider_fine_tuned_models and role != "general"
        notice = retirement_notice(entry.id, on, ctx.prices, fine_tuned=fine_tuned)
        advice = f" {notice.advice}" if notice and notice.advice else ""
        return (
            f"models.{role} '{entry.id}' was retired on {entry.deprecation_date} (prices as of "
            f"{on}), so it answers no queries.{advice}"
        )
    return None


def price_approach_with(ctx: Context, cost_fn: object, profile: Profile) -> ApproachCost:
    retired = _retired(ctx, profile)
    if retired:
        return unavailable(profile, retired)
    general = ctx.model("general")
    if profile.id in _ON_GENERAL_MODEL and not general.has_api_price:
        return unavailable(
            profile,
            f"models.general '{general.id}' has no hosted price in the catalogue; choose a model "
            "with API prices for prompting, DSPy and RAG.",
        )
    return cost_fn(ctx)  # type: ignore[operator]


def price_part(
    scenario: Scenario,
    approach_id: str,
    share: float,
    prices: Mapping[str, ModelEntry] | None = None,
    apply_price_factors: bool = True,
) -> tuple[Context, ApproachCost]:
    """One part of the scenario's mix at the volume it serves (`mix.part_scenario`): its
    context and its cost there. `estimate()` and the Monte Carlo both price parts through it."""
    ctx = build_context(part_scenario(scenario, share), prices, apply_price_factors)
    module = APPROACH_BY_ID[approach_id]
    return ctx, price_approach_with(ctx, module.cost, module.PROFILE)


def price_mix_parts(
    scenario: Scenario, prices: Mapping[str, ModelEntry] | None = None
) -> list[PricedPart]:
    """Each part of the scenario's mix priced, with its latency, at the volume it serves."""
    parts = []
    for approach_id, share in mix_parts(scenario):
        ctx, cost = price_part(scenario, approach_id, share, prices)
        parts.append(PricedPart(share, cost, approach_latency(ctx, cost)))
    return parts


def price_approaches(ctx: Context) -> list[ApproachCost]:
    """Every approach's line items for one scenario, in the article's order."""
    return [price_approach_with(ctx, module.cost, module.PROFILE) for module in APPROACHES]


_FIGURES = (
    "setup_usd",
    "per_query_usd",
    "maintenance_usd_per_month",
    "min_usage_usd_per_month",
    "usage_usd",
    "upkeep_usd",
    "total_usd",
    "cumulative_usd",
)


def _figures(
    pricing: Pricing | None, cumulative: list[float] | None, monthly_queries: list[float]
) -> dict[str, object]:
    """An approach's totals over the horizon; None throughout when it cannot run."""
    if pricing is None or cumulative is None:
        return dict.fromkeys(_FIGURES)
    return {
        "setup_usd": pricing.setup_usd,
        "per_query_usd": pricing.per_query_usd,
        "maintenance_usd_per_month": pricing.upkeep_usd_per_month,
        "min_usage_usd_per_month": pricing.min_usage_usd_per_month,
        "usage_usd": usage_usd(pricing, monthly_queries),
        "upkeep_usd": pricing.upkeep_usd_per_month * len(monthly_queries),
        "total_usd": cumulative[-1],
        "cumulative_usd": cumulative,
    }


def _result(
    cost: ApproachCost,
    figures: dict[str, object],
    verdict: ApproachVerdict,
    latency: Latency | None,
) -> ApproachResult:
    profile = cost.profile
    return ApproachResult(
        id=profile.id,
        name=profile.name,
        what_changes=profile.what_changes,
        reversible=profile.reversible,
        time_to_ship=profile.time_to_ship,
        available=cost.available,
        unavailable_reason=cost.unavailable_reason,
        **figures,
        line_items=cost.line_items,
        training=cost.training,
        verdict=verdict.verdict,
        reasons=verdict.reasons,
        latency=latency,
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
    # Each approach's pricing and cumulative curve once, the curves in one array operation.
    pricings = [Pricing.of(c) for c in costs if c.available]
    by_id = {p.id: p for p in pricings}
    cumulative = cumulative_curves(pricings, monthly_queries)
    ids = [c.profile.id for c in costs]
    decision = decide(
        scenario,
        {i: cumulative[i][-1] if i in cumulative else None for i in ids},
        {c.profile.id: c.unavailable_reason for c in costs if not c.available},
        {
            i: lat.over_budget_ms
            for i, lat in zip(ids, latencies, strict=True)
            if lat is not None and lat.over_budget_ms is not None
        },
        per_query_usd={i: by_id[i].per_query_usd if i in by_id else None for i in ids},
    )
    results = [
        _result(cost, _figures(by_id.get(i), cumulative.get(i), monthly_queries), verdict, lat)
        for cost, i, verdict, lat in zip(costs, ids, decision.verdicts, latencies, strict=True)
    ]
    available = [r for r in results if r.available]
    cheapest = min(available, key=lambda r: r.total_usd or 0.0).id if available else None
    risks = assess_risks(scenario)
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
        mix=price_mix(scenario, results, price_mix_parts(scenario, prices), monthly_queries, risks),
    )
