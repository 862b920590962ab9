"""The share popover: a link to the scenario in force that says exactly what it contains.

The address bar always holds the link without the system prompt's text (`state.sync_url`); the
text goes into a link only when the user ticks "Include the prompt text" here. Prices uploaded
in the session are never in a link (a full LiteLLM file is megabytes; the link would not open):
the popover says so while they are in force.
"""

from __future__ import annotations

import streamlit as st

from dashboard import prices, state
from dashboard.format import md
from estimators.scenario import Scenario

INCLUDE_PROMPT_KEY = "share.include_prompt"


def show(scenario: Scenario) -> None:
    """Sync the address bar, then draw the Share link popover for `scenario` (the one in force)."""
    address_bar = state.sync_url()
    with st.popover("Share link", icon=":material/link:", width="stretch"):
        has_text = scenario.traffic.system_prompt is not None
        include = has_text and st.checkbox(
            "Include the prompt text",
            key=INCLUDE_PROMPT_KEY,
            help="Off: the link gives the system prompt's size only, which is all the figures "
            "need. On: whoever opens the link can read your prompt.",
        )
        link = state.share_link_for(state.current_json(), True) if include else address_bar
        st.caption(_contents(scenario, link.prompt_included))
        st.code(state.share_url(link), language=None, wrap_lines=True)
        uploaded = prices.in_force()
        if uploaded is not None:
            st.warning(
                f"Your uploaded prices ({md(uploaded.file_name)}) are **not** in the link: whoever "
                "opens it sees the built-in catalogue's prices, so their figures differ unless "
                "they load the same file under Prices.",
                icon=":material/sell:",
            )
        if link.dropped_system_prompt:
            st.warning(
                "The system prompt text is too long for a link and was left out; its token "
                "count is kept, so the figures are the same."
            )


def _contents(scenario: Scenario, prompt_included: bool) -> str:
    """What the link holds, in the words a user would check before pasting it somewhere."""
    tokens = f"{scenario.traffic.system_prompt_tokens:,} tokens"
    if scenario.traffic.system_prompt is None:
        prompt = f"The system prompt is given by its size ({tokens})."
    elif prompt_included:
        prompt = (
            f"It **includes your system prompt's text** ({len(scenario.traffic.system_prompt):,} "
            "characters): anyone with the link can read it."
        )
    else:
        prompt = (
            f"Your system prompt's text is **not** in it, only its size ({tokens}), so the "
            "figures are the same. The address bar holds this link too."
        )
    return (
        "Anyone who opens this link sees this scenario and its figures. The link holds every "
        "input (the name, task description, traffic, data, models, team rate and assumptions) "
        f"in the URL itself; nothing is stored on a server. {prompt}"
    )
