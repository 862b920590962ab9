"""Traffic: queries per day, growth, and the tokens each query carries."""

from __future__ import annotations

import streamlit as st

from dashboard import inputs
from dashboard.format import md
from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.errors import EstimatorError
from estimators.ids import APPROACH_IDS, APPROACH_NAMES, short_name
from estimators.scenario import Scenario
from estimators.tokens import encoding_for_model, prompt_tokens


def show(scenario: Scenario) -> None:
    """Inputs for `traffic.*`."""
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
            placeholder="model default",
        )
    _routing(scenario)


_ON = "routing:on"


def _share_key(approach_id: str) -> str:
    return inputs.editor_key(f"routing:{approach_id}")


def _routing(scenario: Scenario) -> None:
    """`traffic.routing`: a switch, then the percent of queries each approach answers.

    The inputs hold percents under editor keys (never committed as fields themselves); each
    change turns them into the shares the scenario stores and commits the whole scenario, so
    the engine's check (at least two approaches, shares adding up to 100%) speaks for them.
    """
    current = scenario.traffic.routing or {}
    on_key = inputs.editor_key(_ON)
    if on_key not in st.session_state:
        st.session_state[on_key] = bool(current)
    on = st.toggle(
        "Split the traffic between approaches (a mix)",
        key=on_key,
        on_change=_commit_routing,
        help="E.g. 80% answered by a fine-tuned small model and 20% escalated to RAG. Every "
        "approach in the mix is built and kept running; Compare prices the mix beside them.",
    )
    if on:
        columns = st.columns(3)
        for index, approach_id in enumerate(APPROACH_IDS):
            key = _share_key(approach_id)
            if key not in st.session_state:
                st.session_state[key] = round(100 * current.get(approach_id, 0.0), 6)
            with columns[index % 3]:
                st.number_input(
                    f"{short_name(approach_id)} (% of queries)",
                    key=key,
                    step=5.0,
                    format="%.1f",
                    on_change=_commit_routing,
                    help=f"{APPROACH_NAMES[approach_id]}: the share of queries it answers [%]. "
                    "0 leaves it out of the mix. Allowed: 0 to 100.",
                )
        total = sum(_percents().values())
        st.caption(f"Shares entered: {total:g}% of 100%, in at least two approaches.")
    fields.show_error("traffic.routing")


def _percents() -> dict[str, float]:
    return {a: float(st.session_state.get(_share_key(a)) or 0.0) for a in APPROACH_IDS}


def _commit_routing() -> None:
    """Turn the percents into `traffic.routing` and commit; switched off, no mix."""
    routing: dict[str, float] | None = None
    if st.session_state.get(inputs.editor_key(_ON)):
        routing = {a: pct / 100 for a, pct in _percents().items() if pct}
        if not routing:
            return  # just switched on: nothing to price until a share is entered
    st.session_state[inputs.input_key("traffic.routing")] = routing
    inputs.commit()


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
    )


GROUP = Group("traffic", "Traffic", ":material/trending_up:", ("traffic",), show)
