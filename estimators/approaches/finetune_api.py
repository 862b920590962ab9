"""A fine-tune trained and served by a provider's fine-tuning service, at its catalogue prices.

Setup is labour + curation + one training run billed per training token (examples × min(tokens
per example, 16,385) × epochs); each query pays the provider's fine-tuned input and output
prices; monthly upkeep adds monitoring and retraining at the same training price.
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost, LineItems, Training, unavailable
from estimators.approaches.finetune import (
    Spec,
    epochs_for,
    setup_items,
    training_tokens,
    upkeep_items,
)
from estimators.catalog import FineTuningPrice, ModelEntry, models
from estimators.context import Context
from estimators.lineitems import LineItem, token_cost_usd


def _fine_tunable_models() -> str:
    """The models with a fine-tuning offer, each with its shutdown date where it has one."""
    return ", ".join(
        f"{m.id} (shutdown {m.deprecation_date})" if m.deprecation_date else m.id
        for m in models().values()
        if m.fine_tuning is not None
    )


def _adapter_offers(model: ModelEntry) -> str:
    """What hosted adapter fine-tuning the docs describe for an open-weights model, if any."""
    offers = []
    for offer in model.adapter_fine_tuning:
        price = (
            f" at ${offer.training_usd_per_mtok:.2f} per 1M training tokens"
            if offer.training_usd_per_mtok is not None
            else ""
        )
        serving = offer.serving.split(" (")[0]
        where = "at the base model's price" if offer.served_at_base_price else f"on a {serving}"
        offers.append(
            f"{offer.provider} trains LoRA adapters of it{price} and serves them {where} "
            f"(as of {offer.as_of})"
        )
    if not offers:
        return ""
    dedicated = any(not offer.served_at_base_price for offer in model.adapter_fine_tuning)
    advice = (
        " Dedicated serving costs like self-hosting: set fine_tuning.hosting to 'self_hosted' "
        "to price it."
        if dedicated
        else ""
    )
    return " " + "; ".join(offers) + "." + advice


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


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    """The fine-tune at the provider's prices, or why the chosen model has no such offer."""
    model = ctx.model(spec.role)
    price = model.fine_tuning
    if price is None:
        return unavailable(
            spec.profile,
            f"models.{spec.role} '{model.id}' has no fine-tuning offer in the price catalogue. "
            f"Choose one that has ({_fine_tunable_models()}), or self-host an open-weights model."
            + _adapter_offers(model),
        )
    training = _training_item(ctx, model.id, price)
    epochs, rule = epochs_for(ctx)
    return ApproachCost(
        profile=spec.profile,
        line_items=LineItems(
            setup=setup_items(ctx, spec, training),
            per_query=_query_items(ctx, model.id, price),
            monthly=upkeep_items(ctx, spec, training.usd),
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
