"""A fine-tune at the hosting the scenario chose, compared with the other hosting.

Whichever hosting is chosen, the cost carries the daily volume above which self-hosting would cost
less over the horizon than a provider serving the same fine-tune. The shared pieces live in
`finetune.py`; the two hostings in `finetune_api.py` and `selfhosted.py`.
"""

from __future__ import annotations

from estimators.approaches import finetune_api, selfhosted
from estimators.approaches.base import ApproachCost, unavailable
from estimators.approaches.finetune import (
    PROVIDER_ASSUMPTION,
    Spec,
    prompt_parts,
    retrieval_items,
)
from estimators.catalog import ModelEntry
from estimators.context import Context
from estimators.lineitems import token_cost_usd
from estimators.timeline import MAX_QUERIES_PER_DAY, Pricing, month_days, self_hosting_crossover


def _crossover(
    ctx: Context, provider: Pricing, own: Pricing, versus: str
) -> tuple[float | None, str]:
    """Daily volume (month 1) above which self-hosting costs less over the horizon, and a note."""
    scenario = ctx.scenario
    months = scenario.horizon_months
    growth_pct = scenario.traffic.monthly_growth_pct
    days = month_days(growth_pct, ctx.assumptions["calendar.days_per_month"], months)
    kind, volume = self_hosting_crossover(provider, own, days)
    growth = " (month 1, at the scenario's growth)" if growth_pct else ""
    costs = (
        f"${own.per_query_usd:.6f} per query above a ${own.min_usage_usd_per_month:,.0f}/month "
        f"floor against ${provider.per_query_usd:.6f} per query"
    )
    if kind == "above" and volume == 0:
        return 0.0, f"Self-hosting is cheaper than {versus} at any volume ({costs})."
    if kind == "above":
        return volume, (
            f"Self-hosting is cheaper over {months} months above {volume:,.0f} queries/day"
            f"{growth} than {versus} ({costs})."
        )
    if kind == "below":
        return None, (
            f"Self-hosting is cheaper than {versus} only below {volume:,.0f} queries/day"
            f"{growth} ({costs})."
        )
    why = (
        "self-hosting costs more per query"
        if own.per_query_usd >= provider.per_query_usd
        else "the per-query saving never repays the floor and ops hours below "
        f"{MAX_QUERIES_PER_DAY:,.0f} queries/day"
    )
    return None, f"No crossover: {versus} stays cheaper at any volume, as {why} ({costs})."


def _provider_per_query_usd(ctx: Context, spec: Spec, model: ModelEntry) -> float:
    """The fine-tune served at the base model's hosted price, retrieval included [USD/query]."""
    traffic = ctx.scenario.traffic
    prompt = sum(prompt_parts(ctx, spec).values())
    retrieval = sum(item.usd for item in retrieval_items(ctx, spec))
    return (
        token_cost_usd(prompt, model.input_usd_per_mtok or 0.0)
        + token_cost_usd(traffic.output_tokens, model.output_usd_per_mtok or 0.0)
        + retrieval
    )


def _versus_provider(
    ctx: Context, spec: Spec, own: ApproachCost, api: ApproachCost | None
) -> tuple[float | None, str]:
    """Self-hosting against a provider serving the same fine-tune: its fine-tuning offer (`api`,
    None when the model has none) or else the base model's hosted price."""
    model = ctx.model(spec.role)
    if api is not None:
        versus = f"{model.id}'s fine-tuning service (provider training and inference prices)"
        return _crossover(ctx, Pricing.of(api), Pricing.of(own), versus)
    if not model.has_api_price:
        return None, (
            f"No crossover: the catalogue has no hosted price for {model.id}, so there is no "
            "provider to compare self-hosting with; import a price file that lists one."
        )
    ops = ctx.assumptions["selfhost.ops_hours_per_month"] * ctx.rate_usd_per_hour
    provider = Pricing(
        id="provider",
        setup_usd=own.setup_usd,
        per_query_usd=_provider_per_query_usd(ctx, spec, model),
        upkeep_usd_per_month=own.maintenance_usd_per_month - ops,
        min_usage_usd_per_month=0.0,
    )
    caveat = (
        " A fully fine-tuned model usually needs a dedicated deployment, so this flatters the "
        "provider."
        if spec.prefix == "full"
        else ""
    )
    versus = (
        f"a provider serving it at {model.id}'s hosted price (${model.input_usd_per_mtok:g} in / "
        f"${model.output_usd_per_mtok:g} out per 1M tokens, {model.source})"
    )
    value, note = _crossover(ctx, provider, Pricing.of(own), versus)
    return value, (
        f"{note} Assumed: {PROVIDER_ASSUMPTION}; training, labour and retraining cost the same "
        f"either way, and self-hosting adds the floor and selfhost.ops_hours_per_month.{caveat}"
    )


def _with_crossover(cost: ApproachCost, value: float | None, note: str) -> ApproachCost:
    """The cost with the crossover written into its training block, if it has one."""
    if cost.training is None:
        return cost
    training = cost.training.model_copy(
        update={
            "self_hosting_break_even_daily_queries": value,
            "self_hosting_break_even_note": note,
        }
    )
    return cost.model_copy(update={"training": training})


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    """The fine-tune at the chosen hosting, with its self-hosting crossover against a provider."""
    if ctx.scenario.data.labelled_examples == 0:
        return unavailable(
            spec.profile,
            "data.labelled_examples is 0: a fine-tune needs labelled examples "
            "(50–100 at the very least, 500+ for reliable results).",
        )
    # Arrays of draws (the uncertainty analysis) price the chosen hosting only: the crossover
    # is a note on one scenario's figures, not a cost.
    drawn = selfhosted.carries_draws(ctx)
    if ctx.scenario.fine_tuning.hosting == "self_hosted":
        own = selfhosted.cost(ctx, spec)
        if not own.available or drawn:
            return own
        offer = ctx.model(spec.role).fine_tuning
        api = None if offer is None else finetune_api.cost(ctx, spec)
        return _with_crossover(own, *_versus_provider(ctx, spec, own, api))
    api = finetune_api.cost(ctx, spec)
    if not api.available or drawn:
        return api
    model = ctx.model(spec.role)
    if not model.open_weights or model.params_b is None:
        why = "has closed weights" if not model.open_weights else "has no parameter count"
        return _with_crossover(
            api,
            None,
            f"No crossover: self-hosting needs an open-weights model with a known size, and "
            f"{model.id} {why}.",
        )
    own = selfhosted.cost(ctx, spec)
    if not own.available:
        return _with_crossover(api, None, f"No crossover: {own.unavailable_reason}")
    versus = f"{model.id}'s fine-tuning service"
    return _with_crossover(api, *_crossover(ctx, Pricing.of(api), Pricing.of(own), versus))
