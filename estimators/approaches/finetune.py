"""What the two fine-tuning approaches share, wherever they run.

`lora` adapts the small model, `full` the large one; both are hosted by a provider's fine-tuning
service (`api`, in `finetune_api.py`) or on your own GPUs (`self_hosted`, in `selfhosted.py`).
Training tokens = examples × min(tokens per example, 16,385) × epochs; a fine-tune does not carry
over to a new base model, so every task change, base-model update and drift retrain pays the
training run again. `hosting.py` picks the hosting and compares it with the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.approaches.base import Profile
from estimators.context import Context
from estimators.epochs import BILLING_CAP_TOKENS, EPOCHS_RULE, epochs_in_force
from estimators.lineitems import LineItem

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
    epochs, chosen = epochs_in_force(
        ctx.scenario.fine_tuning.epochs, ctx.scenario.data.labelled_examples
    )
    return epochs, "set in fine_tuning.epochs" if chosen else EPOCHS_RULE


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
