"""OpenAI's default-epochs rule for fine-tuning, shared by the cost engine and the dataset check."""

from __future__ import annotations

DEFAULT_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100  # fewer than 100 examples × 3 epochs: more epochs, up to 25
MAX_TARGET_EXAMPLES = 25_000  # more than 25,000 example passes: fewer epochs, at least 1
MAX_DEFAULT_EPOCHS = 25
BILLING_CAP_TOKENS = 16_385  # tokens billed per example at most (longer examples are truncated)

EPOCHS_RULE = (
    "3 epochs; if examples × 3 < 100 then min(25, 100 // examples); "
    "if examples × 3 > 25,000 then max(1, 25,000 // examples) (OpenAI fine-tuning defaults, as "
    "in its data-preparation cookbook)"
)


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
