"""OpenAI's default-epochs rule for fine-tuning, shared by the cost engine and the dataset check."""

from __future__ import annotations

DEFAULT_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100  # fewer than 100 examples × 3 epochs: more epochs, up to 25
MAX_TARGET_EXAMPLES = 25_000  # more than 25,000 example passes: fewer epochs, at least 1
MAX_DEFAULT_EPOCHS = 25
# Tokens billed per example at most where an offer states no cap (gpt-3.5-turbo's limit); newer
# offers list their own (`FineTuningPrice.max_tokens_per_example`, e.g. 65,536 for gpt-4.1-mini).
BILLING_CAP_TOKENS = 16_385

EPOCHS_RULE = (
    "3 epochs; if examples × 3 < 100 then min(25, 100 // examples); "
    "if examples × 3 > 25,000 then max(1, 25,000 // examples) (OpenAI fine-tuning defaults, as "
    "in its data-preparation cookbook)"
)


def cap_tokens_per_example(max_tokens_per_example: int | None) -> int:
    """Tokens a provider trains on and bills per example at most [tokens]: the offer's cap,
    else 16,385. OpenAI truncates longer examples rather than rejecting them."""
    return max_tokens_per_example or BILLING_CAP_TOKENS


def default_epochs(examples: int) -> int:
    """Epochs the provider picks when none is set [epochs]; needs at least one example."""
    if examples < 1:
        raise ValueError("default epochs need at least one example")
    if examples * DEFAULT_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * DEFAULT_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(1, MAX_TARGET_EXAMPLES // examples)
    return DEFAULT_EPOCHS


def epochs_in_force(chosen: int | None, examples: int) -> tuple[int, bool]:
    """Epochs a run uses [epochs] and whether the scenario set them (else the default rule).

    With no examples the rule has nothing to count, so its base of 3 stands.
    """
    if chosen is not None:
        return chosen, True
    return (default_epochs(examples) if examples >= 1 else DEFAULT_EPOCHS), False
