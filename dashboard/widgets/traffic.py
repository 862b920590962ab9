"""Traffic: queries per day, growth, and the tokens each query carries."""

from __future__ import annotations

import streamlit as st

from dashboard.format import md
from dashboard.widgets import fields
from estimators.errors import EstimatorError
from estimators.scenario import Scenario
from estimators.tokens import encoding_for_model, prompt_tokens


def show(scenario: Scenario) -> None:
    """Inputs for `traffic.*`."""
    st.subheader("Traffic", divider="gray")
    left, right = st.columns(2)
    with left:
        fields.number(
            "traffic.queries_per_day",
            "Queries per day",
            help="Average daily requests in the first month [queries/day].",
            min_value=0,
            max_value=1e9,
            step=500,
            format="%.0f",
        )
        fields.number(
            "traffic.input_tokens",
            "User input per query (tokens)",
            help="The user's message and any context your code adds, without the system "
            "prompt [tokens].",
            min_value=0,
            max_value=1_000_000,
            step=50,
            integer=True,
        )
    with right:
        fields.number(
            "traffic.monthly_growth_pct",
            "Growth per month (%)",
            help="Compounded monthly: month m serves queries × (1 + growth)^(m−1) [% per month].",
            min_value=0,
            max_value=100,
            step=1,
            format="%.1f",
        )
        fields.number(
            "traffic.output_tokens",
            "Answer per query (tokens)",
            help="Average length of the model's reply [tokens].",
            min_value=0,
            max_value=200_000,
            step=50,
            integer=True,
        )
    _system_prompt(scenario)
    left, middle, right = st.columns(3)
    with left:
        fields.number(
            "traffic.latency_budget_ms",
            "p95 latency budget (ms)",
            help="The slowest answer in twenty you can accept [ms]. Empty: no budget. Approaches "
            "over it are flagged with what would fix them; with latency among the problems they "
            "are never recommended.",
            min_value=1,
            max_value=3_600_000,
            step=500,
            placeholder="no budget",
            format="%.0f",
        )
    with middle:
        fields.number(
            "traffic.batch_share",
            "Share sent as batch (0–1)",
            help="Queries that can wait up to 24 h go through the provider's batch API at its "
            "batch prices (about half). Left out of latency and rate limits.",
            min_value=0,
            max_value=1,
            step=0.05,
            format="%.2f",
        )
    with right:
        fields.number(
            "traffic.reasoning_tokens",
            "Reasoning tokens per query",
            help="Hidden thinking tokens a reasoning model spends per answer, billed as output "
            "[tokens]. Empty: the reasoning.tokens_per_query assumption on models the catalogue "
            "marks as reasoning, 0 on others.",
            min_value=0,
            max_value=200_000,
            step=100,
            integer=True,
            placeholder="model default",
        )


def _system_prompt(scenario: Scenario) -> None:
    """Prompt text (counted exactly with the general model's tokenizer) or just its size."""
    text = fields.text(
        "traffic.system_prompt",
        "System prompt (optional)",
        help="Paste the prompt to count its tokens exactly with the general model's tokenizer "
        "(tiktoken). Leave empty and give its size below instead. Counted when you click away "
        "or press Ctrl+Enter.",
        max_chars=400_000,
        height=110,
        placeholder="You are Acme's support assistant. Answer in a calm, friendly tone…",
    )
    if text.strip():
        try:
            tokens = prompt_tokens(text, scenario.models.general)
            encoding = encoding_for_model(scenario.models.general)
        except EstimatorError as error:
            st.error(md(str(error)))
        else:
            st.caption(
                f"System prompt size: **{tokens:,} tokens**, counted with `{encoding}` "
                f"(the tokenizer of {scenario.models.general}). Clear the text to enter a size "
                "instead."
            )
        return
    fields.number(
        "traffic.system_prompt_tokens",
        "System prompt size (tokens)",
        help="Instructions and examples sent with every query [tokens]. A fine-tuned model "
        "needs a much shorter one (the assumption finetune.system_prompt_tokens).",
        min_value=0,
        max_value=1_000_000,
        step=50,
        integer=True,
    )
