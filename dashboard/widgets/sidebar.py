"""The sidebar: start from an example, load a scenario file, load prices, copy a share link."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.format import md
from dashboard.widgets import price_upload, share
from dashboard.widgets.upload_round import UploadRound
from estimators.errors import EstimatorError
from estimators.presets import presets
from estimators.scenario import Scenario, ScenarioError

PRESET_KEY = "sidebar.preset"
UPLOAD = UploadRound("sidebar")
UPLOAD_ERROR_KEY = "sidebar.upload_error"
MAX_UPLOAD_MB = 1


def _picked_preset() -> None:
    preset_id = st.session_state[PRESET_KEY]
    if preset_id is None:
        return
    state.load_preset(preset_id)
    st.session_state[UPLOAD_ERROR_KEY] = None
    state.notify("success", f"Loaded the example “{md(presets()[preset_id].title)}”.")


def _start_from_scratch() -> None:
    state.replace(Scenario(name="My scenario"), origin="scratch")
    st.session_state[UPLOAD_ERROR_KEY] = None
    state.notify(
        "info",
        "A blank scenario with every input at its default: describe your feature on Describe. "
        "Undo last change brings the previous one back.",
    )


def _reset_to_preset(preset_id: str) -> None:
    state.load_preset(preset_id)
    state.notify("info", f"Back to the example “{md(presets()[preset_id].title)}” as shipped.")


def _uploaded() -> None:
    uploaded = st.session_state.get(UPLOAD.key())
    if uploaded is None:
        return
    try:
        state.load_file(uploaded.name, uploaded.getvalue())
    except ScenarioError as error:
        st.session_state[UPLOAD_ERROR_KEY] = (uploaded.name, list(error.problems))
        return
    except (EstimatorError, UnicodeDecodeError) as error:
        st.session_state[UPLOAD_ERROR_KEY] = (uploaded.name, [("", str(error))])
        return
    st.session_state[UPLOAD_ERROR_KEY] = None
    UPLOAD.next()
    state.notify("success", f"Loaded the scenario from {md(uploaded.name)}.")


def _origin_caption() -> str:
    kind, _, name = state.origin().partition(":")
    preset_id = state.preset_id_in_force()
    if preset_id is not None:
        edited = presets()[preset_id].scenario.model_dump_json() != state.current_json()
        return "Example scenario, edited." if edited else "Example scenario, as shipped."
    return {
        "file": f"Loaded from {md(name)}.",
        "link": "Opened from a share link.",
        "dataset": "Edited with dataset figures.",
        "scratch": "Your own scenario, started blank.",
    }.get(kind, "")


def _preset_title(preset_id: str) -> str:
    # A module-level function: widget callbacks and formatters must pickle (AppTest keeps them
    # in session state, which this app requires to be serializable).
    return presets()[preset_id].title


def _preset_picker() -> None:
    table = presets()
    st.session_state[PRESET_KEY] = state.preset_id_in_force()
    st.selectbox(
        "Start from an example",
        list(table),
        key=PRESET_KEY,
        format_func=_preset_title,
        placeholder="Choose an example…",
        help="Each example is a realistic team and feature; every input stays editable.",
        on_change=_picked_preset,
    )
    preset_id = state.preset_id_in_force()
    if preset_id is not None:
        st.caption(table[preset_id].story)
        if table[preset_id].scenario.model_dump_json() != state.current_json():
            st.button(
                "Back to the example as shipped",
                icon=":material/undo:",
                on_click=_reset_to_preset,
                args=(preset_id,),
                width="stretch",
            )


def _scratch_and_undo() -> None:
    # One button a row: side by side their labels were cut ("Start fro…") in a 300-px sidebar.
    st.button(
        "Start from scratch",
        icon=":material/note_add:",
        on_click=_start_from_scratch,
        help="Every input at its default, nothing from an example.",
        width="stretch",
    )
    st.button(
        "Undo last change",
        icon=":material/undo:",
        on_click=state.undo,
        disabled=not state.can_undo(),
        help="Bring back the scenario in force before the last change (an example loaded, a "
        "file, an input).",
        width="stretch",
    )


def _file_loader() -> None:
    st.file_uploader(
        "Load a scenario file",
        type=["json"],
        key=UPLOAD.key(),
        max_upload_size=MAX_UPLOAD_MB,
        help="A scenario JSON, as exported from this app or written by hand (every field has a "
        "default, so {} is valid).",
        on_change=_uploaded,
    )
    failed = st.session_state.get(UPLOAD_ERROR_KEY)
    if failed:
        name, problems = failed
        lines = [f"- **{md(path or 'file')}**: {md(message)}" for path, message in problems[:8]]
        more = f"\n- … and {len(problems) - 8} more" if len(problems) > 8 else ""
        st.error(
            f"{md(name)} was not loaded; the scenario in force is unchanged.\n\n"
            + "\n".join(lines)
            + more,
            icon=":material/warning:",
        )


def show() -> None:
    """Draw the sidebar; changes take effect through callbacks before the page runs."""
    with st.sidebar:
        st.markdown("## finetune-or-not")
        st.caption("Prompting, DSPy, RAG or fine-tuning? Costs, break-even and risks.")
        scenario = state.current()
        st.markdown(f"**{md(scenario.name)}**")
        st.caption(_origin_caption())
        _preset_picker()
        _scratch_and_undo()
        _file_loader()
        price_upload.show()
        share.show(scenario)
