"""What training on a dataset is billed: OpenAI's default epochs, truncation and the price.

The default-epochs rule is the cookbook's (OpenAI's default when `n_epochs` is "auto"); the price
per training token comes from the model catalogue (`presets/`), with its date and source.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from estimators.catalog import ModelEntry

# OpenAI truncates a training example at this many tokens, and bills the truncated length.
TOKEN_LIMIT = 16_385
# The cookbook's default-epochs rule (OpenAI's default when n_epochs is "auto").
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def default_epochs(examples: int) -> int:
    """The cookbook's default epochs for `examples` training examples [epochs].

    3, raised so that epochs × examples reaches 100 (at most 25), lowered so that it stays within
    25,000 (at least 1).
    """
    if examples < 1:
        raise ValueError("default epochs need at least one example")
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


def billed_training_tokens(tokens_per_example: list[int] | array, epochs: int) -> int:
    """epochs × Σ min(16,385, tokens of example) [tokens]: longer examples are truncated."""
    return epochs * sum(min(TOKEN_LIMIT, tokens) for tokens in tokens_per_example)


def training_cost(entry: ModelEntry, billed_tokens: int) -> tuple[float | None, float | None, str]:
    """Training cost [USD], the price [USD per 1M tokens] and a note on where it came from."""
    from estimators.catalog import TOKENS_PER_MTOK, models

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
