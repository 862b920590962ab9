"""What a provider bills per token beyond the list price: cached prefixes, batch, long-context
tiers and hidden reasoning tokens (DESIGN §5, "What real bills turn on").

Plain functions over catalogue entries and numbers. Every function takes numpy arrays where an
assumption may be drawn (the uncertainty analysis passes one array of draws per assumption), so
conditions go through `pick` rather than `if`.

Cached input
    A stable prefix (system prompt, DSPy demos; never retrieved chunks) is read from the
    provider's cache on a hit. Requests that share a prefix arrive as a Poisson process at
    λ = queries/day ÷ 86,400 per second; an entry lives T seconds after its last use (the timer
    refreshes on every hit: Anthropic "5-minute lifetime that refreshes each time cached content
    is used"; OpenAI evicts "after 5–10 minutes of inactivity"), so a request hits when the one
    before it came less than T seconds earlier: P(hit) = 1 − e^(−λT). A miss is billed at the
    cache-write price where the model lists one (Anthropic 1.25× input for 5 minutes; OpenAI
    GPT-5.6+), else at the input price (OpenAI before GPT-5.6: writes are free). Caching with a
    write price is opt-in, so a team only turns it on where it pays: the prefix is billed at
    min(input, hit × cached + miss × write). Below the provider's minimum prefix (catalogue
    `cache_min_tokens`, else OpenAI's automatic 1,024) nothing is cached.
Batch
    Queries sent through a batch API (answers within 24 h) pay the catalogue's batch prices, or
    half the list price where the catalogue has none but the provider documents 50% off.
Long context
    A prompt longer than a tier's threshold (LiteLLM `*_above_<N>k_tokens`) is billed at the
    tier's prices, input and output alike.
Reasoning
    Hidden reasoning tokens are billed as output tokens, on models that reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from estimators.catalog import ModelEntry

Number: TypeAlias = float | NDArray[np.float64]

SECONDS_PER_DAY = 86_400
OPENAI_CACHE_MIN_TOKENS = 1_024
CACHE_MIN_SOURCE = (
    "OpenAI prompt caching is automatic for prompts of 1,024 tokens or more "
    "(openai.com/index/api-prompt-caching, 2024-10-01); other providers' minimums per model "
    "from LiteLLM prompt_cache_min_tokens"
)
CACHE_HIT_SOURCE = (
    "Poisson arrivals against the cache lifetime: P(hit) = 1 − e^(−λT), λ = queries per day / "
    "86,400 (the lifetime refreshes on every hit: Anthropic prompt-caching docs; OpenAI evicts "
    "after 5–10 minutes of inactivity)"
)
# Providers that document a 50% batch discount on input and output tokens.
DOCUMENTED_BATCH_DISCOUNT = {"openai": 0.5, "anthropic": 0.5, "google": 0.5}
BATCH_SOURCE = (
    "Batch APIs bill 50% of the list price with answers within 24 h: OpenAI Batch API, "
    "Anthropic Message Batches (platform.claude.com/docs/build-with-claude/batch-processing), "
    "Gemini Batch Mode (developers.googleblog.com, 2025-07-07); catalogue batch prices where "
    "listed (LiteLLM *_batches)"
)


def pick(condition: bool | NDArray[np.bool_], yes: Number, no: Number) -> Number:
    """`yes` where the condition holds, else `no`; element-wise when the condition is an array."""
    if isinstance(condition, np.ndarray):
        return np.where(condition, yes, no)
    return yes if condition else no


def cache_hit_rate(queries_per_day: float, lifetime_s: Number) -> Number:
    """Share of requests that find the prefix cached [0–1]: 1 − e^(−λT).

    λ = queries_per_day / 86,400 [per s], T = cache lifetime after the last use [s]. Average
    traffic: a busy hour hits more often and a quiet night less, so this is a day's rough mean.
    """
    return 1.0 - np.exp(-queries_per_day / SECONDS_PER_DAY * lifetime_s)


def cache_min_tokens(entry: ModelEntry) -> int:
    """The shortest prefix the provider caches [tokens] (OpenAI's 1,024 unless listed)."""
    listed = entry.cache_min_tokens
    return OPENAI_CACHE_MIN_TOKENS if listed is None else listed


def batch_usd_per_mtok(
    list_usd_per_mtok: Number, catalogue_batch: Number | None, provider: str
) -> Number | None:
    """Batch price [USD per 1M tokens]: the catalogue's, else the documented discount, else None
    (the provider offers no batch API that we know of)."""
    if catalogue_batch is not None:
        return catalogue_batch
    discount = DOCUMENTED_BATCH_DISCOUNT.get(provider)
    return None if discount is None else list_usd_per_mtok * (1 - discount)


@dataclass(frozen=True)
class TokenPrices:
    """The prices one prompt is billed at [USD per 1M tokens]; None where there is no offer."""

    input: Number
    output: Number
    cached_input: Number | None = None
    cache_write: Number | None = None
    batch_input: Number | None = None
    batch_output: Number | None = None
    tier_above_tokens: int | None = None  # the long-context tier in force, if any


def model_prices(entry: ModelEntry, prompt_tokens: Number = 0.0) -> TokenPrices:
    """A hosted model's prices for a prompt of this length, long-context tier included.

    Past a tier's threshold, input-side prices (input, cache write, batch input) scale by the
    tier's input ratio, output-side ones by its output ratio, and the cached price is the
    tier's own where listed (else it scales like input). Needs hosted input and output prices.
    """
    assert entry.input_usd_per_mtok is not None and entry.output_usd_per_mtok is not None
    base_in, base_out = entry.input_usd_per_mtok, entry.output_usd_per_mtok
    in_ratio: Number = 1.0
    out_ratio: Number = 1.0
    cached = entry.cached_input_usd_per_mtok
    above: int | None = None
    for tier in sorted(entry.long_context, key=lambda t: t.above_tokens):
        past = np.asarray(prompt_tokens) > tier.above_tokens
        if not past.any():
            continue
        where = past if isinstance(prompt_tokens, np.ndarray) else True
        above = tier.above_tokens
        tier_in_ratio: Number = 1.0
        if tier.input_usd_per_mtok is not None and np.all(np.asarray(base_in) > 0):
            tier_in_ratio = tier.input_usd_per_mtok / base_in
            in_ratio = pick(where, tier_in_ratio, in_ratio)
        if tier.output_usd_per_mtok is not None and np.all(np.asarray(base_out) > 0):
            out_ratio = pick(where, tier.output_usd_per_mtok / base_out, out_ratio)
        if entry.cached_input_usd_per_mtok is not None:
            own = tier.cached_input_usd_per_mtok
            in_tier = own if own is not None else entry.cached_input_usd_per_mtok * tier_in_ratio
            cached = pick(where, in_tier, cached)  # type: ignore[arg-type]
    batch_in = batch_usd_per_mtok(base_in, entry.batch_input_usd_per_mtok, entry.provider)
    batch_out = batch_usd_per_mtok(base_out, entry.batch_output_usd_per_mtok, entry.provider)
    write = entry.cache_write_usd_per_mtok
    return TokenPrices(
        input=base_in * in_ratio,
        output=base_out * out_ratio,
        cached_input=cached,
        cache_write=None if write is None else write * in_ratio,
        batch_input=None if batch_in is None else batch_in * in_ratio,
        batch_output=None if batch_out is None else batch_out * out_ratio,
        tier_above_tokens=above,
    )


REASONING_ID = "reasoning.tokens_per_query"


def reasoning_tokens(entry: ModelEntry, set_tokens: int | None, default: Number) -> Number:
    """Hidden reasoning tokens per request [tokens], billed as output.

    The scenario's `traffic.reasoning_tokens` where set, else the assumption's default; zero on
    models the catalogue does not mark as reasoning models, and by default on models whose
    provider documents that they reason only when asked (`reasons_by_default` false).
    """
    if not entry.supports_reasoning:
        return 0.0
    if set_tokens is not None:
        return float(set_tokens)
    return 0.0 if entry.reasons_by_default is False else default


def reasoning_in_force(
    entry: ModelEntry, set_tokens: int | None, default: Number
) -> tuple[Number, str]:
    """(reasoning tokens per request, the name they come under in line items): the scenario's
    field where it is set, else the assumption; the cost and the latency items share it."""
    name = "traffic.reasoning_tokens" if set_tokens is not None else REASONING_ID
    return reasoning_tokens(entry, set_tokens, default), name


def reasoning_off_note(entry: ModelEntry, set_tokens: int | None) -> str | None:
    """Why a reasoning model bills no hidden reasoning tokens here, or None when it does."""
    if (
        not entry.supports_reasoning
        or set_tokens is not None
        or entry.reasons_by_default is not False
    ):
        return None
    return (
        f"{entry.id} reasons only when asked ({entry.reasoning_default_source}), so no hidden "
        "reasoning tokens are billed; set traffic.reasoning_tokens to price a reasoning effort"
    )
