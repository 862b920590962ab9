"""What the two fine-tuning approaches share: training runs, fine-tuned inference, retraining.

`lora` adapts the small model, `full` the large one; both are hosted by a provider's fine-tuning
service (`api`) or on your own GPUs (`self_hosted`). Training tokens = examples × min(tokens per
example, 16,385) × epochs; a fine-tune does not carry over to a new base model, so every task
change, base-model update and drift retrain pays the training run again.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.approach import ApproachCost, LineItems, Profile, Training, unavailable
from estimators.catalog import FineTuningPrice, models
from estimators.context import Context
from estimators.epochs import BILLING_CAP_TOKENS, EPOCHS_RULE, default_epochs
from estimators.lineitems import LineItem, token_cost_usd


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
    return {
        "task.changes_per_year": ctx.scenario.task.changes_per_year,
        "base_model_updates_per_year": ctx.scenario.base_model_updates_per_year,
        "finetune.drift_retrains_per_year": ctx.assumptions["finetune.drift_retrains_per_year"],
    }


def _fine_tunable_models() -> str:
    return ", ".join(m.id for m in models().values() if m.fine_tuning is not None)


def _training_item(ctx: Context, model_id: str, price: FineTuningPrice) -> LineItem:
    data = ctx.scenario.data
    epochs, rule = epochs_for(ctx)
    return ctx.item(
        f"Training run on {model_id}",
        token_cost_usd(training_tokens(ctx), price.training_usd_per_mtok),
        "data.labelled_examples × min(data.tokens_per_example, 16,385) × epochs"
        " × training USD per 1M tokens / 1,000,000",
        {
            "data.labelled_examples": data.labelled_examples,
            "data.tokens_per_example": data.tokens_per_example,
            "epochs": epochs,
            "epochs rule": rule,
            "training USD per 1M tokens": price.training_usd_per_mtok,
        },
        (),
        {"training price": f"{price.source} (as of {price.as_of})"},
    )


def _curation_item(ctx: Context) -> LineItem:
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


def _query_items(ctx: Context, model_id: str, price: FineTuningPrice) -> list[LineItem]:
    traffic = ctx.scenario.traffic
    source = f"{price.source} (as of {price.as_of})"
    prompt = {
        "finetune.system_prompt_tokens": ctx.assumptions["finetune.system_prompt_tokens"],
        "traffic.input_tokens": traffic.input_tokens,
    }
    return [
        ctx.tokens(
            f"Input tokens on fine-tuned {model_id}",
            prompt,
            "fine-tuned input USD per 1M tokens",
            price.input_usd_per_mtok,
            ("finetune.system_prompt_tokens",),
            source,
        ),
        ctx.tokens(
            f"Output tokens on fine-tuned {model_id}",
            {"traffic.output_tokens": traffic.output_tokens},
            "fine-tuned output USD per 1M tokens",
            price.output_usd_per_mtok,
            (),
            source,
        ),
    ]


def _retrain_item(ctx: Context, training_run_usd: float) -> LineItem:
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


def _api_cost(ctx: Context, spec: Spec) -> ApproachCost:
    model = ctx.model(spec.role)
    price = model.fine_tuning
    if price is None:
        return unavailable(
            spec.profile,
            f"models.{spec.role} '{model.id}' has no fine-tuning offer in the price catalogue. "
            f"Choose one that has ({_fine_tunable_models()}), or self-host an open-weights model.",
        )
    training = _training_item(ctx, model.id, price)
    epochs, rule = epochs_for(ctx)
    return ApproachCost(
        profile=spec.profile,
        line_items=LineItems(
            setup=[
                ctx.labour(
                    "Data pipeline, evaluation and deployment", f"{spec.prefix}.setup_hours"
                ),
                _curation_item(ctx),
                training,
            ],
            per_query=_query_items(ctx, model.id, price),
            monthly=[
                ctx.labour(
                    "Monitoring and regression testing", f"{spec.prefix}.upkeep_hours_per_month"
                ),
                _retrain_item(ctx, training.usd),
            ],
        ),
        training=Training(
            hosting="api",
            model=model.id,
            examples=ctx.scenario.data.labelled_examples,
            tokens=training_tokens(ctx),
            epochs=epochs,
            epochs_rule=rule,
        ),
    )


def _self_hosted_cost(ctx: Context, spec: Spec) -> ApproachCost:
    # The seam the self-hosted compute issue fills: GPU hours, memory fit and the serving floor.
    return unavailable(
        spec.profile,
        "Self-hosted fine-tuning is not estimated yet; set fine_tuning.hosting to 'api'.",
    )


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    if ctx.scenario.data.labelled_examples == 0:
        return unavailable(
            spec.profile,
            "data.labelled_examples is 0: a fine-tune needs labelled examples "
            "(50–100 at the very least, 500+ for reliable results).",
        )
    if ctx.scenario.fine_tuning.hosting == "self_hosted":
        return _self_hosted_cost(ctx, spec)
    return _api_cost(ctx, spec)
