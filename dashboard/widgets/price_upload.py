"""The sidebar's Prices panel: load a LiteLLM price file for this session, or go back.

Next to the scenario file upload because prices, like the scenario, hold for every page of the
session; the Compare page's price notice says which prices are in force and points here. The
file is checked as the CLI's `--prices` checks it (size cap, JSON object, usable prices) and, in
the dashboard, refused as a whole when it reprices no catalogue model or lists a price that
cannot be used: the prices in force stay as they were and the message names the problem.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import cached, prices, state
from dashboard.format import md
from dashboard.widgets.upload_round import UploadRound
from estimators.catalog import prices_as_of
from estimators.errors import EstimatorError
from estimators.price_import import MAX_PRICE_FILE_BYTES, check_price_file_size

UPLOAD = UploadRound("prices")
ERROR_KEY = "prices.upload_error"
# The browser refuses bigger files (Streamlit's MB is 2^20 bytes, so 20 MB lets through a little
# more than the code's own cap, MAX_PRICE_FILE_BYTES, which answers the rest).
MAX_UPLOAD_MB = MAX_PRICE_FILE_BYTES // 1_000_000


def _uploaded() -> None:
    uploaded = st.session_state.get(UPLOAD.key())
    if uploaded is None:
        return
    try:
        check_price_file_size(uploaded.size)  # before the bytes are copied out
        new = prices.read_upload(uploaded.name, uploaded.getvalue(), date.today())
    except EstimatorError as error:
        st.session_state[ERROR_KEY] = (uploaded.name, str(error))
        return
    prices.use(new)
    st.session_state[ERROR_KEY] = None
    UPLOAD.next()
    total = len(cached.price_table(None))
    fine_tuned = (
        f", and fine-tuned inference prices for {len(new.fine_tuned)}" if new.fine_tuned else ""
    )
    state.notify(
        "success",
        f"Repriced from {md(new.file_name)} (as of {new.as_of}): {len(new.repriced)} of the "
        f"catalogue's {total} models{fine_tuned}. Every page now uses these prices; the other "
        "models keep the built-in catalogue's.",
    )


def _back_to_built_in() -> None:
    prices.clear()
    st.session_state[ERROR_KEY] = None
    UPLOAD.next()
    state.notify(
        "info",
        f"Back to the built-in catalogue prices (newest as of {prices_as_of()}).",
    )


def _in_force_caption() -> str:
    uploaded = prices.in_force()
    if uploaded is None:
        return f"In force: the built-in catalogue, newest as of {prices_as_of()}."
    total = len(cached.price_table(None))
    return (
        f"In force: {md(uploaded.file_name)} (as of {uploaded.as_of}) for "
        f"{len(uploaded.repriced)} of the catalogue's {total} models; the built-in catalogue "
        "for the rest."
    )


def show() -> None:
    """The panel; changes take effect through callbacks before the page runs."""
    uploaded = prices.in_force()
    failed = st.session_state.get(ERROR_KEY)
    label = "Prices: uploaded file" if uploaded else "Prices: built-in catalogue"
    with st.expander(label, icon=":material/sell:", expanded=bool(failed)):
        st.caption(_in_force_caption())
        st.file_uploader(
            "Load a LiteLLM price file",
            type=["json"],
            key=UPLOAD.key(),
            max_upload_size=MAX_UPLOAD_MB,
            help="LiteLLM's model_prices_and_context_window.json, or any JSON object in its "
            "shape: USD per token keyed by model id. Reprices the catalogue models it lists, "
            "for this session only (share links do not carry it); training prices are kept.",
            on_change=_uploaded,
        )
        if failed:
            name, message = failed
            st.error(
                f"{md(name)} was not applied; the prices in force are unchanged.\n\n"
                f"- {md(message)}",
                icon=":material/warning:",
            )
        if uploaded is not None:
            st.button(
                "Back to the built-in prices",
                icon=":material/undo:",
                on_click=_back_to_built_in,
                width="stretch",
            )
