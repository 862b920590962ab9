"""What the two fine-tuning approaches share, wherever they run.

`lora` adapts the small model, `full` the large one; both are hosted by a provider's fine-tuning
service (`api`, in `finetune_api.py`) or on your own GPUs (`self_hosted`, in `selfhosted.py`).
Billed training tokens = examples × min(tokens per example, the offer's cap per example) × epochs;
a fine-tune does not carry over to a new base model, so every task change, base-model update and
drift retrain pays the training run again. `hosting.py` picks the hosting and compares it with
the other.

Labels (`data.labels_source`): teams that hold labels review a sample of them and script checks
over the rest; others pay per human label, or have the general model write the answers
(distillation) and review a sample of those. Every source pays the review and the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from estimators.approaches import rag
from estimators.approaches.base import Profile
from estimators.approaches.query import evaluation_item
from estimators.assumptions import Assumptions
from estimators.catalog import FineTuningPrice
from estimators.context import Context
from estimators.epochs import (
    BILLING_CAP_TOKENS,
    EPOCHS_RULE,
    cap_tokens_per_example,
    epochs_in_force,
)
from estimators.lineitems import LineItem
from estimators.token_billing import Number, batch_usd_per_mtok, model_prices, reasoning_tokens

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
    # Retrieval in front of the fine-tuned model (`rag_lora`): each query also reads the
    # retrieved chunks and pays the query embedding and the store reads.
    retrieval: bool = False


def prompt_parts(ctx: Context, spec: Spec, a: Assumptions | None = None) -> dict[str, Number]:
    """What the fine-tuned model reads per query [tokens]: its short system prompt, the
    retrieved chunks where retrieval feeds it, and the input. `a`: the assumption values to use
    (the context's own by default)."""
    a = ctx.assumptions if a is None else a
    parts: dict[str, Number] = {"finetune.system_prompt_tokens": a["finetune.system_prompt_tokens"]}
    if spec.retrieval:
        parts |= rag.retrieved_context(ctx, a)
    return parts | {"traffic.input_tokens": ctx.scenario.traffic.input_tokens}


def prompt_ids(spec: Spec) -> tuple[str, ...]:
    """The assumptions behind `prompt_parts`."""
    return ("finetune.system_prompt_tokens", *(rag.CONTEXT_IDS if spec.retrieval else ()))


def retrieval_items(ctx: Context, spec: Spec) -> list[LineItem]:
    """Per query, what retrieval adds besides the chunks' tokens (none without retrieval)."""
    return rag.retrieval_query_items(ctx) if spec.retrieval else []


def epochs_for(ctx: Context) -> tuple[int, str]:
    """Epochs in force and the rule that gave them."""
    epochs, chosen = epochs_in_force(
        ctx.scenario.fine_tuning.epochs, ctx.scenario.data.labelled_examples
    )
    return epochs, "set in fine_tuning.epochs" if chosen else EPOCHS_RULE


def cap_tokens(price: FineTuningPrice | None) -> int:
    """Tokens billed per example at most [tokens]: the offer's cap, else gpt-3.5's 16,385."""
    return cap_tokens_per_example(None if price is None else price.max_tokens_per_example)


def training_tokens(ctx: Context, cap: int = BILLING_CAP_TOKENS) -> float:
    """Billed training tokens of one run [tokens]: examples × min(tokens, cap) × epochs."""
    data = ctx.scenario.data
    epochs, _ = epochs_for(ctx)
    return data.labelled_examples * min(data.tokens_per_example, cap) * epochs


def retrains_per_year(ctx: Context) -> dict[str, float]:
    """Retrains a year by cause [per year]: task changes, base-model updates and drift."""
    return {
        "task.changes_per_year": ctx.scenario.task.changes_per_year,
        "base_model_updates_per_year": ctx.scenario.base_model_updates_per_year,
        "finetune.drift_retrains_per_year": ctx.assumptions["finetune.drift_retrains_per_year"],
    }


_REVIEW = (
    "min(data.labelled_examples, labels.review_sample_examples)"
    " × finetune.curation_minutes_per_example / 60 × team.hourly_rate_usd"
    " + labels.scripted_check_hours × team.hourly_rate_usd"
)
_REVIEW_IDS = (
    "labels.review_sample_examples",
    "finetune.curation_minutes_per_example",
    "labels.scripted_check_hours",
)


def _review(ctx: Context) -> tuple[Number, dict[str, float | str]]:
    """Hand review of a sample plus scripted checks of the whole file [USD]."""
    a = ctx.assumptions
    examples = ctx.scenario.data.labelled_examples
    sample, minutes = a["labels.review_sample_examples"], a["finetune.curation_minutes_per_example"]
    hours, rate = a["labels.scripted_check_hours"], ctx.rate_usd_per_hour
    usd = np.minimum(examples, sample) * minutes / 60 * rate + hours * rate
    inputs: dict[str, float | str] = {
        "data.labelled_examples": examples,
        "labels.review_sample_examples": sample,
        "finetune.curation_minutes_per_example": minutes,
        "labels.scripted_check_hours": hours,
        "team.hourly_rate_usd": rate,
    }
    return usd, inputs


def _teacher(ctx: Context) -> tuple[Number, dict[str, float | str], str]:
    """Teacher answers from the general model at its batch prices where it has them [USD]."""
    teacher = ctx.model("general")
    traffic = ctx.scenario.traffic
    a = ctx.assumptions
    prompt = ctx.system_prompt_tokens + traffic.input_tokens
    prices = model_prices(teacher, prompt)
    batch_in = batch_usd_per_mtok(prices.input, prices.batch_input, teacher.provider)
    batch_out = batch_usd_per_mtok(prices.output, prices.batch_output, teacher.provider)
    batch = batch_in is not None and batch_out is not None
    kind = "batch" if batch else "list"
    price_in = batch_in if batch else prices.input
    price_out = batch_out if batch else prices.output
    answer = traffic.output_tokens + reasoning_tokens(
        teacher, traffic.reasoning_tokens, a["reasoning.tokens_per_query"]
    )
    in_name = f"{teacher.id} {kind} input USD per 1M tokens"
    out_name = f"{teacher.id} {kind} output USD per 1M tokens"
    examples = ctx.scenario.data.labelled_examples
    attempts = a["labels.teacher_attempts_per_example"]
    usd = examples * attempts * (prompt * price_in + answer * price_out) / 1e6
    inputs: dict[str, float | str] = {
        "labels.teacher_attempts_per_example": attempts,
        "teacher prompt tokens": prompt,
        "teacher answer tokens": answer,
        in_name: price_in,  # type: ignore[dict-item]
        out_name: price_out,  # type: ignore[dict-item]
    }
    formula = (
        "data.labelled_examples × labels.teacher_attempts_per_example × (teacher prompt tokens"
        f" × {in_name} + teacher answer tokens × {out_name}) / 1,000,000"
    )
    note = (
        f"the general model ({teacher.id}) writes the answers: teacher prompt = system prompt"
        " + traffic.input_tokens, answer = traffic.output_tokens + reasoning tokens, an offline"
        f" job at {kind} prices"
    )
    return usd, inputs, f"{formula}; {note}"


def label_item(ctx: Context) -> LineItem:
    """What trustworthy training labels cost, by `data.labels_source` [USD]: every source pays a
    hand review of a sample and scripted checks; human labels add a price per example,
    distilled ones the teacher model's tokens."""
    review_usd, inputs = _review(ctx)
    source = ctx.scenario.data.labels_source
    why = "; review a sample by hand and script checks over the whole file"
    if source == "human":
        per_example = ctx.assumptions["labels.human_usd_per_example"]
        return ctx.item(
            "Training labels: paid labelling, sample review and scripted checks",
            ctx.scenario.data.labelled_examples * per_example + review_usd,
            f"data.labelled_examples × labels.human_usd_per_example + {_REVIEW}{why}",
            inputs | {"labels.human_usd_per_example": per_example},
            ("labels.human_usd_per_example", *_REVIEW_IDS),
        )
    if source == "distilled":
        teacher_usd, teacher_inputs, teacher_formula = _teacher(ctx)
        formula, note = teacher_formula.split("; ", 1)
        return ctx.item(
            "Training labels: teacher-model answers, sample review and scripted checks",
            teacher_usd + review_usd,
            f"{formula} + {_REVIEW}; {note}{why}",
            inputs | teacher_inputs,
            ("labels.teacher_attempts_per_example", *_REVIEW_IDS),
            {"teacher prices": ctx.price_source("general")},
        )
    return ctx.item(
        "Training labels: sample review and scripted checks (labels held already)",
        review_usd,
        f"{_REVIEW}{why}",
        inputs,
        _REVIEW_IDS,
    )


def setup_items(ctx: Context, spec: Spec, training_run: LineItem) -> list[LineItem]:
    """One-off work every fine-tune pays: the pipeline, the labels, the first run."""
    return [
        ctx.labour("Data pipeline, evaluation and deployment", f"{spec.prefix}.setup_hours"),
        label_item(ctx),
        training_run,
    ]


def upkeep_items(
    ctx: Context,
    spec: Spec,
    training_run_usd: float,
    hosting: tuple[LineItem, ...] = (),
    query_usd: Number | None = None,
) -> list[LineItem]:
    """Monthly upkeep of a fine-tune: monitoring, any hosting work, its share of retrains and,
    given one query's cost, the evaluation runs after every retrain."""
    monitoring = ctx.labour(
        "Monitoring and regression testing", f"{spec.prefix}.upkeep_hours_per_month"
    )
    evaluation = (
        [] if query_usd is None else [evaluation_item(ctx, query_usd, retrains_per_year(ctx))]
    )
    return [monitoring, *hosting, retrain_item(ctx, training_run_usd), *evaluation]


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
