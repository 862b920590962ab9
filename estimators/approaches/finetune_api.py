"""A fine-tune trained and served by a provider's fine-tuning service, at its catalogue prices.

Setup is labour + labels + one training run billed per training token (examples × min(tokens
per example, the offer's cap per example) × epochs: OpenAI truncates longer examples rather than
rejecting them); each query pays the provider's fine-tuned input and output prices (the batch
share at half price where the provider documents a batch discount); monthly upkeep adds
monitoring, retraining at the same training price and evaluation runs after every retrain.
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost, LineItems, Training, unavailable
from estimators.approaches.finetune import (
    Spec,
    cap_tokens,
    epochs_for,
    prompt_ids,
    prompt_parts,
    retrieval_items,
    setup_items,
    training_tokens,
    upkeep_items,
)
from estimators.approaches.query import fine_tuned, query_items
from estimators.catalog import FineTuningPrice, ModelEntry, is_retired
from estimators.context import Context
from estimators.lineitems import LineItem, token_cost_usd


def _fine_tunable_models(ctx: Context) -> str:
    """The models with a fine-tuning offer that still run by the prices' date, each with its
    shutdown date where it has one."""
    on = ctx.prices_date
    return ", ".join(
        f"{m.id} (shutdown {m.deprecation_date})" if m.deprecation_date else m.id
        for m in ctx.prices.values()
        if m.fine_tuning is not None and not is_retired(m, on)
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


def truncation_note(tokens_per_example: int, cap: int, model_id: str) -> str:
    """A warning when examples are longer than the offer bills (and trains on) [sentence]."""
    if tokens_per_example <= cap:
        return ""
    return (
        f"data.tokens_per_example ({tokens_per_example:,}) is over the {cap:,}-token cap per "
        f"example for {model_id}: the provider truncates each example to {cap:,} tokens, so "
        "the model never sees the rest"
    )


def _training_item(ctx: Context, model_id: str, price: FineTuningPrice) -> LineItem:
    data = ctx.scenario.data
    epochs, rule = epochs_for(ctx)
    cap = cap_tokens(price)
    cap_name = f"{model_id} max tokens per example"
    warning = truncation_note(data.tokens_per_example, cap, model_id)
    limits = price.limits_source or "catalogue default (gpt-3.5-turbo's 16,385)"
    return ctx.item(
        f"Training run on {model_id}",
        token_cost_usd(training_tokens(ctx, cap), price.training_usd_per_mtok),
        f"data.labelled_examples × min(data.tokens_per_example, {cap_name}) × epochs"
        " × training USD per 1M tokens / 1,000,000" + (f"; {warning}" if warning else ""),
        {
            "data.labelled_examples": data.labelled_examples,
            "data.tokens_per_example": data.tokens_per_example,
            cap_name: cap,
            "epochs": epochs,
            "epochs rule": rule,
            "training USD per 1M tokens": price.training_usd_per_mtok,
        },
        (),
        {"training price": f"{price.source} (as of {price.as_of})", cap_name: limits},
    )


def _query_items(
    ctx: Context, spec: Spec, model: ModelEntry, price: FineTuningPrice
) -> list[LineItem]:
    tokens = query_items(
        ctx, fine_tuned(ctx, model, price), None, prompt_parts(ctx, spec), prompt_ids(spec)
    )
    return [*tokens, *retrieval_items(ctx, spec)]


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    """The fine-tune at the provider's prices, or why the chosen model has no such offer."""
    model = ctx.model(spec.role)
    price = model.fine_tuning
    if price is None:
        return unavailable(
            spec.profile,
            f"models.{spec.role} '{model.id}' has no fine-tuning offer in the price catalogue. "
            f"Choose one that has ({_fine_tunable_models(ctx)}), or self-host an open-weights "
            "model." + _adapter_offers(model),
        )
    training = _training_item(ctx, model.id, price)
    epochs, rule = epochs_for(ctx)
    per_query = _query_items(ctx, spec, model, price)
    query_usd = sum(item.usd for item in per_query)
    return ApproachCost(
        profile=spec.profile,
        line_items=LineItems(
            setup=setup_items(ctx, spec, training),
            per_query=per_query,
            monthly=upkeep_items(ctx, spec, training.usd, query_usd=query_usd),
        ),
        training=Training(
            hosting="api",
            model=model.id,
            examples=ctx.scenario.data.labelled_examples,
            tokens=training_tokens(ctx, cap_tokens(price)),
            epochs=epochs,
            epochs_rule=rule,
        ),
    )
