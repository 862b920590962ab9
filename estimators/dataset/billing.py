"""What training on a dataset is billed: OpenAI's default epochs, truncation and the price.

The default-epochs rule is the cookbook's (OpenAI's default when `n_epochs` is "auto"); the price
per training token comes from the model catalogue (`presets/`), with its date and source.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

from estimators.catalog import TOKENS_PER_MTOK, models
from estimators.epochs import (
    BILLING_CAP_TOKENS,
    DEFAULT_EPOCHS,
    MAX_DEFAULT_EPOCHS,
    MAX_TARGET_EXAMPLES,
    MIN_TARGET_EXAMPLES,
    cap_tokens_per_example,
    default_epochs,
)

if TYPE_CHECKING:
    from estimators.catalog import ModelEntry

__all__ = [
    "MAX_DEFAULT_EPOCHS",
    "MAX_TARGET_EXAMPLES",
    "MIN_TARGET_EXAMPLES",
    "TARGET_EPOCHS",
    "TOKEN_LIMIT",
    "billed_training_tokens",
    "default_epochs",
    "token_cap",
    "training_cost",
]

# The rule and the truncation cap have one home, shared with the cost engine. TOKEN_LIMIT is the
# cap where a model's offer states none.
TOKEN_LIMIT = BILLING_CAP_TOKENS
TARGET_EPOCHS = DEFAULT_EPOCHS


def token_cap(entry: ModelEntry) -> int:
    """The model's training cap per example [tokens]: its fine-tuning offer's, else 16,385."""
    offer = entry.fine_tuning
    return cap_tokens_per_example(None if offer is None else offer.max_tokens_per_example)


def billed_training_tokens(
    tokens_per_example: list[int] | array, epochs: int, cap: int = TOKEN_LIMIT
) -> int:
    """epochs × Σ min(cap, tokens of example) [tokens]: longer examples are truncated."""
    return epochs * sum(min(cap, tokens) for tokens in tokens_per_example)


def training_cost(entry: ModelEntry, billed_tokens: int) -> tuple[float | None, float | None, str]:
    """Training cost [USD], the price [USD per 1M tokens] and a note on where it came from."""
    offer = entry.fine_tuning
    if offer is None:
        offered = ", ".join(m.id for m in models().values() if m.fine_tuning)
        how = (
            "; self-hosted training is costed in GPU hours by the estimate"
            if (entry.open_weights)
            else ""
        )
        return (
            None,
            None,
            (
                f"{entry.id} has no fine-tuning offer in the catalogue{how}. "
                f"Models with one: {offered}."
            ),
        )
    price = offer.training_usd_per_mtok
    cost_usd = billed_tokens * price / TOKENS_PER_MTOK
    return (
        cost_usd,
        price,
        (
            f"{billed_tokens:,} billed tokens × ${price:.2f} per 1M training tokens for {entry.id} "
            f"(as of {offer.as_of}; {offer.source})"
        ),
    )
