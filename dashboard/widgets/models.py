"""Models from the price catalogue: which model serves each approach."""

from __future__ import annotations

import streamlit as st

from dashboard import cached, prices
from dashboard.format import md
from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.catalog import ModelEntry, model_ids, prices_as_of
from estimators.scenario import Scenario


def _price(entry: ModelEntry) -> str:
    if not entry.has_api_price:
        return "no hosted price"
    if entry.kind == "embedding":
        return f"${entry.input_usd_per_mtok:,.2f} per 1M tokens"
    return f"${entry.input_usd_per_mtok:,.2f} in / ${entry.output_usd_per_mtok:,.2f} out per 1M"


def describe_model(entry: ModelEntry) -> str:
    """'gpt-4.1-mini · openai · $0.40 in / $1.60 out per 1M · API fine-tuning'."""
    parts = [entry.id, entry.provider, _price(entry)]
    if entry.fine_tuning is not None:
        parts.append("API fine-tuning")
    if entry.open_weights and entry.params_b:
        parts.append(f"open weights, {entry.params_b:g}B")
    return " · ".join(parts)


class ModelLabels(dict[str, str]):
    """Model id → its option label at the session's prices; an id the catalogue lacks says so.

    Its `__getitem__` is the selectboxes' format_func: a plain lookup, so the labels need no
    session (AppTest formats options outside the script run) and pickle as a few strings.
    """

    def __missing__(self, model_id: str) -> str:
        return f"{model_id} (not in the catalogue)"


def labels_in_force() -> ModelLabels:
    """Labels of every catalogue model at the prices in force (uploaded or built-in)."""
    table = cached.price_table(prices.in_force())
    return ModelLabels({model_id: describe_model(entry) for model_id, entry in table.items()})


OPTIMISER_LABELS = {
    "bootstrap_few_shot": "BootstrapFewShot",
    "bootstrap_random_search": "BootstrapFewShot with random search",
    "mipro_light": "MIPROv2, light",
    "mipro_medium": "MIPROv2, medium",
    "mipro_heavy": "MIPROv2, heavy",
}


def show(scenario: Scenario) -> None:
    """Inputs for `models.*`."""
    chat = model_ids("chat")
    label = labels_in_force().__getitem__
    fields.choice(
        "models.general",
        "General model (prompting, DSPy, RAG)",
        chat,
        help="The hosted model that serves the three approaches that leave weights alone.",
        format_func=label,
    )
    left, right = st.columns(2)
    with left:
        fields.choice(
            "models.small",
            "Small model (LoRA fine-tune)",
            chat,
            help="The model the LoRA approach adapts. API hosting needs a provider "
            "fine-tuning offer; self-hosting needs open weights.",
            format_func=label,
        )
    with right:
        fields.choice(
            "models.large",
            "Large model (full fine-tune)",
            chat,
            help="The model the full fine-tune changes in every weight.",
            format_func=label,
        )
    fields.choice(
        "models.embedding",
        "Embedding model (RAG)",
        model_ids("embedding"),
        help="Embeds the knowledge base and each query for retrieval.",
        format_func=label,
    )
    fields.choice(
        "dspy.optimiser",
        "DSPy optimiser",
        list(OPTIMISER_LABELS),
        help="How hard DSPy searches: BootstrapFewShot tries a few demos; MIPROv2 light, medium "
        "and heavy search instructions and demos with more trials and a larger dev set. Sets "
        "the LM calls one optimisation run makes (DSPy's own count).",
        format_func=OPTIMISER_LABELS.__getitem__,
    )
    uploaded = prices.in_force()
    if uploaded is None:
        st.caption(f"Prices from the bundled catalogue, newest as of {prices_as_of()}.")
    else:
        st.caption(
            f"Prices from {md(uploaded.file_name)} (as of {uploaded.as_of}) for the models it "
            "lists, the bundled catalogue for the rest."
        )


GROUP = Group("models", "Models", ":material/smart_toy:", ("models", "dspy.optimiser"), show)
