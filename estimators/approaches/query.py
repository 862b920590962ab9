"""One query's token line items on a model, as a provider bills them.

Shared by every approach served through an API: a stable prefix (system prompt, DSPy demos) that
may be read from the provider's cache, the rest of the input, the output and any hidden reasoning
tokens, each at the long-context tier the prompt falls in and with the batch share at batch
prices. The billing rules themselves live in `estimators.token_billing`; this module writes
them out as line items whose formula text evaluates to their amount.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from estimators.catalog import FineTuningPrice, ModelEntry
from estimators.context import Context
from estimators.lineitems import LineItem
from estimators.token_billing import (
    BATCH_SOURCE,
    CACHE_HIT_SOURCE,
    CACHE_MIN_SOURCE,
    REASONING_ID,
    Number,
    TokenPrices,
    batch_usd_per_mtok,
    cache_hit_rate,
    cache_min_tokens,
    model_prices,
    pick,
    reasoning_in_force,
    reasoning_off_note,
)

LIFETIME_ID = "cache.lifetime_seconds"
HIT_RATE = "cache hit rate"


@dataclass(frozen=True)
class Billing:
    """A model as one query is billed on it: the prices in force and what the items call them."""

    label: str  # "gpt-4.1", "fine-tuned gpt-4.1-mini"
    prices: TokenPrices
    source: str
    cache_min_tokens: int
    reasoning_tokens: Number
    reasoning_name: str  # "traffic.reasoning_tokens" or the assumption id
    reasoning_note: str | None = None  # why a reasoning model bills none, where it does not

    def name(self, price: str) -> str:
        return f"{self.label} {price} USD per 1M tokens"


def _reasoning(ctx: Context, entry: ModelEntry) -> dict[str, Number | str | None]:
    set_tokens = ctx.scenario.traffic.reasoning_tokens
    tokens, name = reasoning_in_force(entry, set_tokens, ctx.assumptions[REASONING_ID])
    return {
        "reasoning_tokens": tokens,
        "reasoning_name": name,
        "reasoning_note": reasoning_off_note(entry, set_tokens),
    }


def hosted(ctx: Context, role: str, prompt_tokens: Number) -> Billing:
    """A catalogue model's prices for a prompt of this size (its long-context tier included)."""
    entry = ctx.model(role)
    return Billing(
        label=entry.id,
        prices=model_prices(entry, prompt_tokens),
        source=ctx.price_source(role),
        cache_min_tokens=cache_min_tokens(entry),
        **_reasoning(ctx, entry),
    )


def fine_tuned(ctx: Context, entry: ModelEntry, price: FineTuningPrice) -> Billing:
    """A provider's fine-tuned model: its own prices, batch where the provider documents it."""
    return Billing(
        label=f"fine-tuned {entry.id}",
        prices=TokenPrices(
            input=price.input_usd_per_mtok,
            output=price.output_usd_per_mtok,
            batch_input=batch_usd_per_mtok(price.input_usd_per_mtok, None, entry.provider),
            batch_output=batch_usd_per_mtok(price.output_usd_per_mtok, None, entry.provider),
        ),
        source=f"{price.source} (as of {price.as_of})",
        cache_min_tokens=cache_min_tokens(entry),
        **_reasoning(ctx, entry),
    )


def _count(tokens: Number) -> str:
    return "a drawn number of" if isinstance(tokens, np.ndarray) else f"{float(tokens):,.0f}"


def _sum_text(parts: dict[str, Number]) -> str:
    names = " + ".join(parts)
    return f"({names})" if len(parts) > 1 else names


def _batch(
    ctx: Context, billing: Billing, direction: str
) -> tuple[str, dict[str, float | str], Number, list[str]]:
    """The batch share's factor on a price: (1 − share + share × batch price / list price)."""
    share = ctx.scenario.traffic.batch_share
    if share == 0:
        return "", {}, 1.0, []
    prices = billing.prices
    list_price = prices.input if direction == "input" else prices.output
    batch_price = prices.batch_input if direction == "input" else prices.batch_output
    if batch_price is None:
        note = f"no batch price for {billing.label}: batch queries pay the list price"
        return "", {"traffic.batch_share": share}, 1.0, [note]
    if not np.all(np.asarray(list_price) > 0):
        return "", {}, 1.0, []
    list_name = billing.name(direction)
    batch_name = billing.name(f"batch {direction}")
    text = f" × (1 − traffic.batch_share + traffic.batch_share × {batch_name} / {list_name})"
    factor = 1 - share + share * batch_price / list_price
    return text, {"traffic.batch_share": share, batch_name: batch_price}, factor, []


def _formula(arithmetic: str, notes: list[str]) -> str:
    return "; ".join([arithmetic, *notes])


def _tier_note(billing: Billing, prompt_tokens: Number) -> list[str]:
    above = billing.prices.tier_above_tokens
    if above is None:
        return []
    return [
        f"a prompt of {_count(prompt_tokens)} tokens is past {billing.label}'s "
        f"{above:,}-token long-context tier, so the tier's prices apply"
    ]


def prefix_item(
    ctx: Context, billing: Billing, label: str, stable: dict[str, Number], ids: tuple[str, ...]
) -> LineItem:
    """The stable prefix: cached input on a hit, a write (or plain input) on a miss.

    usd = prefix tokens × min(input, hit × cached + (1 − hit) × miss price) × batch / 1M, with
    hit = 1 − e^(−λT) where the prefix reaches the provider's minimum, else 0.
    """
    prices = billing.prices
    tokens = sum(stable.values())
    in_name = billing.name("input")
    batch_text, batch_inputs, batch_factor, notes = _batch(ctx, billing, "input")
    inputs: dict[str, float | str] = dict(stable) | {in_name: prices.input} | batch_inputs
    minimum = billing.cache_min_tokens
    below = not isinstance(tokens, np.ndarray) and tokens < minimum
    if prices.cached_input is None or below:
        why = (
            f"no cached-input price for {billing.label}"
            if prices.cached_input is None
            else f"under {billing.label}'s {minimum:,}-token cache minimum: no cache discount"
        )
        return ctx.item(
            label,
            tokens * prices.input * batch_factor / 1e6,
            _formula(f"{_sum_text(stable)} × {in_name}{batch_text} / 1,000,000", [why, *notes]),
            inputs,
            ids,
            {in_name: billing.source},
        )
    traffic = ctx.scenario.traffic
    lifetime = ctx.assumptions[LIFETIME_ID]
    hit = pick(tokens >= minimum, cache_hit_rate(traffic.queries_per_day, lifetime), 0.0)
    cached_name = billing.name("cached input")
    if prices.cache_write is not None:
        miss_name, miss_price = billing.name("cache write"), prices.cache_write
        notes = [
            "a miss writes the prefix at the cache-write price; caching is opt-in there, so "
            "min() keeps it off where it does not pay",
            *notes,
        ]
    else:
        miss_name, miss_price = in_name, prices.input
    rate = np.minimum(prices.input, hit * prices.cached_input + (1 - hit) * miss_price)
    inputs |= {
        cached_name: prices.cached_input,
        miss_name: miss_price,
        HIT_RATE: hit,
        "traffic.queries_per_day": traffic.queries_per_day,
        LIFETIME_ID: lifetime,
    }
    arithmetic = (
        f"{_sum_text(stable)} × min({in_name}, {HIT_RATE} × {cached_name}"
        f" + (1 − {HIT_RATE}) × {miss_name}){batch_text} / 1,000,000"
    )
    explained = (
        f"{HIT_RATE} = 1 − e^(−traffic.queries_per_day / 86,400 × {LIFETIME_ID}) where the "
        f"prefix reaches {billing.label}'s {minimum:,}-token cache minimum, else 0"
    )
    return ctx.item(
        label,
        tokens * rate * batch_factor / 1e6,
        _formula(arithmetic, [explained, *notes]),
        inputs,
        (LIFETIME_ID, *ids),
        {in_name: billing.source, HIT_RATE: CACHE_HIT_SOURCE, "cache minimum": CACHE_MIN_SOURCE}
        | ({"batch price": BATCH_SOURCE} if batch_text else {}),
    )


def _plain_item(
    ctx: Context,
    billing: Billing,
    label: str,
    parts: dict[str, Number],
    direction: str,
    ids: tuple[str, ...],
    extra_notes: list[str],
) -> LineItem:
    """Tokens × price × batch factor / 1M, on the input or the output side."""
    price = billing.prices.input if direction == "input" else billing.prices.output
    name = billing.name(direction)
    batch_text, batch_inputs, batch_factor, notes = _batch(ctx, billing, direction)
    sources = {name: billing.source} | ({"batch price": BATCH_SOURCE} if batch_text else {})
    return ctx.item(
        label,
        sum(parts.values()) * price * batch_factor / 1e6,
        _formula(f"{_sum_text(parts)} × {name}{batch_text} / 1,000,000", [*extra_notes, *notes]),
        dict(parts) | {name: price} | batch_inputs,
        ids,
        sources,
    )


def query_items(
    ctx: Context,
    billing: Billing,
    stable: tuple[str, dict[str, Number]] | None,
    other: dict[str, Number],
    ids: tuple[str, ...] = (),
) -> list[LineItem]:
    """A query's line items: the stable prefix (label, parts), the other input, the output, and
    the hidden reasoning tokens where the model reasons."""
    prompt_tokens = sum(other.values()) + (sum(stable[1].values()) if stable else 0)
    tier = _tier_note(billing, prompt_tokens)
    items = []
    if stable is not None:
        items.append(prefix_item(ctx, billing, f"{stable[0]} on {billing.label}", stable[1], ids))
    items.append(
        _plain_item(ctx, billing, f"Input tokens on {billing.label}", other, "input", ids, tier)
    )
    traffic = ctx.scenario.traffic
    items.append(
        _plain_item(
            ctx,
            billing,
            f"Output tokens on {billing.label}",
            {"traffic.output_tokens": traffic.output_tokens},
            "output",
            (),
            [billing.reasoning_note] if billing.reasoning_note else [],
        )
    )
    reasoning = billing.reasoning_tokens
    if isinstance(reasoning, np.ndarray) or reasoning > 0:
        cited = (REASONING_ID,) if billing.reasoning_name == REASONING_ID else ()
        items.append(
            _plain_item(
                ctx,
                billing,
                f"Reasoning tokens on {billing.label}",
                {billing.reasoning_name: reasoning},
                "output",
                cited,
                ["hidden reasoning tokens are billed as output"],
            )
        )
    return items


def general_query_items(
    ctx: Context,
    stable_label: str,
    stable: dict[str, Number],
    other: dict[str, Number],
    ids: tuple[str, ...] = (),
) -> list[LineItem]:
    """A query on the general model (prompting, DSPy, RAG), priced at its prompt's tier."""
    prompt_tokens = sum(stable.values()) + sum(other.values())
    billing = hosted(ctx, "general", prompt_tokens)
    return query_items(ctx, billing, (stable_label, stable), other, ids)


def evaluation_item(ctx: Context, query_usd: Number, events_per_year: dict[str, float]) -> LineItem:
    """Monthly share of evaluation runs [USD/month]:
    (Σ events per year) / 12 × eval.set_examples × one query USD."""
    examples = ctx.assumptions["eval.set_examples"]
    events = sum(events_per_year.values())
    return ctx.item(
        "Evaluation runs (eval set on every change, update and retrain)",
        events / 12 * examples * query_usd,
        f"({' + '.join(events_per_year)}) / 12 × eval.set_examples × one query USD",
        dict(events_per_year) | {"eval.set_examples": examples, "one query USD": query_usd},
        ("eval.set_examples",),
    )
