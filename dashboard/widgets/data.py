"""Labelled data: how many examples, how long, how broad (feeds epochs, cost and forgetting)."""

from __future__ import annotations

import streamlit as st

from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.scenario import Scenario

BREADTH_LABELS = {"narrow": "Narrow", "mixed": "Mixed", "broad": "Broad"}
LABELS_SOURCE_LABELS = {
    "existing": "We have them",
    "human": "Paid labelling",
    "distilled": "A teacher model",
}


def show(scenario: Scenario) -> None:
    """Inputs for `data.*` except the knowledge base."""
    st.caption(
        "For DSPy's dev set and a fine-tune's training set. The Dataset page can fill these "
        "from a real JSONL file."
    )
    left, right = st.columns(2)
    with left:
        fields.number(
            "data.labelled_examples",
            "Labelled examples",
            help="Good input → output pairs you have or can write. Fine-tuning wants 50–100 at "
            "the very least, 500+ for reliable results, 1,000+ for multi-step reasoning.",
            min_value=0,
            max_value=100_000_000,
            step=50,
        )
    with right:
        fields.number(
            "data.tokens_per_example",
            "Tokens per example",
            help="Average length of one training conversation, all messages included [tokens].",
            min_value=1,
            max_value=1_000_000,
            step=50,
        )
    fields.choice(
        "data.domain_breadth",
        "How broad is the data?",
        list(BREADTH_LABELS),
        help="Narrow data (one task, one style) makes a fine-tune forget general skills faster "
        "(catastrophic forgetting).",
        format_func=BREADTH_LABELS.__getitem__,
        control="segmented",
    )
    fields.choice(
        "data.labels_source",
        "Where do the labels come from?",
        list(LABELS_SOURCE_LABELS),
        help="We have them: a sample is reviewed by hand and the rest checked by scripts. Paid "
        "labelling: a cost per labelled example. A teacher model: a large model writes the "
        "answers (distillation), and a sample is reviewed. Prices the fine-tunes' labels.",
        format_func=LABELS_SOURCE_LABELS.__getitem__,
        control="segmented",
    )


GROUP = Group(
    "data",
    "Labelled examples",
    ":material/dataset:",
    (
        "data.labelled_examples",
        "data.tokens_per_example",
        "data.domain_breadth",
        "data.labels_source",
    ),
    show,
)
