"""The knowledge base RAG would index: its size and how fast it changes."""

from __future__ import annotations

import streamlit as st

from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.scenario import Scenario

STORE_LABELS = {"managed": "Managed (serverless)", "self_hosted": "Self-hosted VM"}


def show(scenario: Scenario) -> None:
    """Inputs for `data.knowledge_base.*`."""
    st.caption("The documents RAG retrieves from; embedded once, re-embedded as they change.")
    first, second, third = st.columns(3, vertical_alignment="bottom")
    with first:
        fields.number(
            "data.knowledge_base.documents",
            "Documents",
            help="Articles, pages or records the answers draw on [documents].",
            min_value=0,
            max_value=100_000_000,
            step=100,
        )
    with second:
        fields.number(
            "data.knowledge_base.tokens_per_document",
            "Tokens per document",
            help="Average document length [tokens]; chunked by the rag.chunk_tokens assumption.",
            min_value=0,
            max_value=10_000_000,
            step=100,
        )
    with third:
        fields.number(
            "data.knowledge_base.changed_pct_per_month",
            "Changed per month (%)",
            help="Share of documents edited or added each month, re-embedded monthly "
            "[% per month].",
            min_value=0,
            max_value=100,
            step=1,
            format="%.1f",
        )
    fields.choice(
        "data.knowledge_base.vector_store",
        "Vector store",
        list(STORE_LABELS),
        help="Managed: a serverless store billed per GB stored and per read unit, with a monthly "
        "minimum (Pinecone Standard's price page). Self-hosted: one VM at a flat monthly price "
        "(the rag.vector_store_usd_per_month assumption).",
        format_func=STORE_LABELS.__getitem__,
        control="segmented",
    )


GROUP = Group(
    "knowledge_base", "Knowledge base", ":material/menu_book:", ("data.knowledge_base",), show
)
