"""What the two fine-tuning approaches share, and the choice and comparison of where they run.

`lora` adapts the small model, `full` the large one; both are hosted by a provider's fine-tuning
service (`api`, in `finetune_api.py`) or on your own GPUs (`self_hosted`, in `selfhosted.py`).
Training tokens = examples × min(tokens per example, 16,385) × epochs; a fine-tune does not carry
over to a new base model, so every task change, base-model update and drift retrain pays the
training run again. Whichever hosting is chosen, the cost carries the daily volume above which
self-hosting would cost less over the horizon than a provider serving the same fine-tune.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.approach import ApproachCost, Profile, unavailable
from estimators.catalog import ModelEntry
from estimators.context import Context
from estimators.epochs import BILLING_CAP_TOKENS, EPOCHS_RULE, default_epochs
from estimators.lineitems import LineItem, token_cost_usd
from estimators.serving import self_hosting_crossover
from estimators.timeline import MAX_QUERIES_PER_DAY, Pricing, queries_per_month

PROVIDER_ASSUMPTION = (
    "a provider serves the fine-tuned model at the base model's hosted per-token price "
    "(serverless LoRA adapters are offered at base-model prices by some providers, e.g. W&B "
    "Inference, docs.wandb.ai/inference/lora; others, e.g. Fireworks, bill a dedicated "
    "deployment per GPU-second, which costs like self-hosting)"
)


@dataclass(frozen=True)
class Spec:
    """Which model a fine-tuning approach adapts and which assumptions price its labour."""

    profile: Profile
    role: str  # "small" or "large" in scenario.models
    prefix: str  # "lora" or "full": the assumption ids `<prefix>.setup_hours`, ...


def epochs_for(ctx: Context) -> tuple[int, str]:
    """Epochs in force and the rule that gave them."""
    chosen = ctx.scenario.fine_tuning.epochs
    if chosen is not None:
        return chosen, "set in fine_tuning.epochs"
    return default_epochs(ctx.scenario.data.labelled_examples), EPOCHS_RULE


def training_tokens(ctx: Context) -> float:
    """Billed training tokens of one run [tokens]: examples × min(tokens, 16,385) × epochs."""
    data = ctx.scenario.data
    epochs, _ = epochs_for(ctx)
    return data.labelled_examples * min(data.tokens_per_example, BILLING_CAP_TOKENS) * epochs


def retrains_per_year(ctx: Context) -> dict[str, float]:
    """Retrains a year by cause [per year]: task changes, base-model updates and drift."""
    return {
        "task.changes_per_year": ctx.scenario.task.changes_per_year,
        "base_model_updates_per_year": ctx.scenario.base_model_updates_per_year,
        "finetune.drift_retrains_per_year": ctx.assumptions["finetune.drift_retrains_per_year"],
    }


def curation_item(ctx: Context) -> LineItem:
    """Labour to review and clean the labelled examples before training [USD]."""
    examples = ctx.scenario.data.labelled_examples
    minutes = ctx.assumptions["finetune.curation_minutes_per_example"]
    return ctx.item(
        "Review and clean the training examples",
        examples * minutes / 60 * ctx.rate_usd_per_hour,
        "data.labelled_examples × finetune.curation_minutes_per_example / 60"
        " × team.hourly_rate_usd",
        {
            "data.labelled_examples": examples,
            "finetune.curation_minutes_per_example": minutes,
            "team.hourly_rate_usd": ctx.rate_usd_per_hour,
        },
        ("finetune.curation_minutes_per_example",),
    )


def setup_items(ctx: Context, spec: Spec, training_run: LineItem) -> list[LineItem]:
    """One-off work every fine-tune pays: the pipeline, the data review, the first run."""
    return [
        ctx.labour("Data pipeline, evaluation and deployment", f"{spec.prefix}.setup_hours"),
        curation_item(ctx),
        training_run,
    ]


def upkeep_items(
    ctx: Context, spec: Spec, training_run_usd: float, hosting: tuple[LineItem, ...] = ()
) -> list[LineItem]:
    """Monthly upkeep of a fine-tune: monitoring, any hosting work, and its share of retrains."""
    monitoring = ctx.labour(
        "Monitoring and regression testing", f"{spec.prefix}.upkeep_hours_per_month"
    )
    return [monitoring, *hosting, retrain_item(ctx, training_run_usd)]


def retrain_item(ctx: Context, training_run_usd: float) -> LineItem:
    """Monthly retraining: one training run and its labour per task change, update or drift."""
    per_year = retrains_per_year(ctx)
    hours = ctx.assumptions["finetune.retrain_hours"]
    return ctx.item(
        "Retraining (task changes, base-model updates, drift)",
        sum(per_year.values()) / 12 * (training_run_usd + hours * ctx.rate_usd_per_hour),
        "(" + " + ".join(per_year) + ") / 12"
        " × (training run USD + finetune.retrain_hours × team.hourly_rate_usd)",
        dict(per_year)
        | {
            "training run USD": training_run_usd,
            "finetune.retrain_hours": hours,
            "team.hourly_rate_usd": ctx.rate_usd_per_hour,
        },
        ("finetune.drift_retrains_per_year", "finetune.retrain_hours"),
    )


# --- API versus self-hosting ---------------------------------------------------------------


def _crossover(
    ctx: Context, provider: Pricing, own: Pricing, versus: str
) -> tuple[float | None, str]:
    """Daily volume (month 1) above which self-hosting costs less over the horizon, and a note."""
    scenario = ctx.scenario
    months = scenario.horizon_months
    growth_pct = scenario.traffic.monthly_growth_pct
    month_days = queries_per_month(
        1.0, growth_pct, ctx.assumptions["calendar.days_per_month"], months
    )
    kind, volume = self_hosting_crossover(provider, own, month_days)
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


def _provider_per_query_usd(ctx: Context, model: ModelEntry) -> float:
    """The fine-tune served at the base model's hosted price [USD/query]."""
    traffic = ctx.scenario.traffic
    prompt = ctx.assumptions["finetune.system_prompt_tokens"] + traffic.input_tokens
    return token_cost_usd(prompt, model.input_usd_per_mtok or 0.0) + token_cost_usd(
        traffic.output_tokens, model.output_usd_per_mtok or 0.0
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
        per_query_usd=_provider_per_query_usd(ctx, model),
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
    # The two hostings import this module's shared pieces, so they are imported here, not above.
    from estimators.approaches import finetune_api, selfhosted

    if ctx.scenario.data.labelled_examples == 0:
        return unavailable(
            spec.profile,
            "data.labelled_examples is 0: a fine-tune needs labelled examples "
            "(50–100 at the very least, 500+ for reliable results).",
        )
    if ctx.scenario.fine_tuning.hosting == "self_hosted":
        own = selfhosted.cost(ctx, spec)
        if not own.available:
            return own
        offer = ctx.model(spec.role).fine_tuning
        api = None if offer is None else finetune_api.cost(ctx, spec)
        return _with_crossover(own, *_versus_provider(ctx, spec, own, api))
    api = finetune_api.cost(ctx, spec)
    if not api.available:
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
