"""The dataset upload: size-capped, checked once with a progress bar, kept in session state as
the report's JSON (never the file)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from dashboard import state
from dashboard.format import md
from dashboard.widgets.models import labels_in_force
from dashboard.widgets.upload_round import UploadRound
from estimators.catalog import models
from estimators.dataset.check import DatasetReport, check_dataset, scenario_fields
from estimators.errors import EstimatorError
from estimators.scenario import ScenarioError
from report.format import file_size

UPLOAD = UploadRound("dataset")
MODEL_KEY = "dataset.model"
REPORT_KEY = "dataset.report"
ERROR_KEY = "dataset.error"
CHECKED_KEY = "dataset.checked"
# The same cap as server.maxUploadSize in .streamlit/config.toml, enforced again here.
MAX_UPLOAD_MB = 50
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
_FIELD_LABELS = {
    "labelled_examples": "Labelled examples",
    "tokens_per_example": "Tokens per example",
    "domain_breadth": "Domain breadth",
}


def _model_picker(default: str) -> str:
    options = [m.id for m in models().values() if m.kind == "chat"]
    if st.session_state.get(MODEL_KEY) not in options:
        st.session_state[MODEL_KEY] = default if default in options else options[0]
    return str(
        st.selectbox(
            "Price the training for",
            options,
            key=MODEL_KEY,
            format_func=labels_in_force().__getitem__,
            help="Tokens are counted with this model's tokenizer and priced at its fine-tuning "
            "price (the scenario's small model by default). Choose it before uploading.",
        )
    )


def _check(uploaded: UploadedFile, model: str) -> None:
    """Run the check with a progress bar; keep the report's JSON or the error message."""
    bar = st.progress(0.0, text=f"Checking {md(uploaded.name)}…")

    def progress(bytes_read: int, total_bytes: int | None) -> None:
        if total_bytes:
            bar.progress(min(1.0, bytes_read / total_bytes), text=f"Checked {bytes_read:,} bytes")

    try:
        report = check_dataset(uploaded, model=model, on_progress=progress, name=uploaded.name)
    except EstimatorError as error:
        st.session_state[REPORT_KEY] = None
        st.session_state[ERROR_KEY] = str(error)
    else:
        # `valid` is computed: left out so the JSON validates back into a report.
        st.session_state[REPORT_KEY] = report.model_dump_json(exclude={"valid"})
        st.session_state[ERROR_KEY] = None
    st.session_state[CHECKED_KEY] = [uploaded.name, uploaded.size, model]
    bar.empty()


def show(default_model: str) -> DatasetReport | None:
    """The model picker and uploader; returns the report of the last file checked, if readable.

    The file is checked once, then dropped from the session (a new uploader key, and a rerun):
    only the report's figures stay, so a 50 MB upload does not sit in memory for the session.
    """
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with right:
        model = _model_picker(default_model)
    with left:
        uploaded = st.file_uploader(
            "Training file (JSONL)",
            type=["jsonl"],
            key=UPLOAD.key(),
            max_upload_size=MAX_UPLOAD_MB,
            help='One {"messages": [...]} object per line, as for OpenAI chat fine-tuning. '
            "The file is read once and not kept.",
        )
    if uploaded is not None:
        if uploaded.size > MAX_UPLOAD_BYTES:
            st.error(
                f"{md(uploaded.name)} is larger than the {MAX_UPLOAD_MB} MB limit "
                f"({uploaded.size:,} bytes). Check a sample of it instead."
            )
            return None
        _check(uploaded, model)
        UPLOAD.next()
        st.rerun()
    checked = st.session_state.get(CHECKED_KEY)
    if checked is None:
        return None
    name, size, checked_model = checked
    note = f"Last checked: {md(name)} ({file_size(size)}), priced for {checked_model}."
    if checked_model != model:
        note += f" Upload it again to price it for {model}."
    st.caption(note)
    if st.session_state.get(ERROR_KEY):
        st.error(md(st.session_state[ERROR_KEY]), icon=":material/warning:")
        return None
    return DatasetReport.model_validate_json(st.session_state[REPORT_KEY])


def _apply(fields: dict[str, object]) -> None:
    try:
        state.update({f"data.{k}": v for k, v in fields.items()}, new_origin="dataset")
    except ScenarioError as error:
        state.notify("error", f"The dataset figures were not applied: {md(str(error))}")
        return
    state.notify("success", "The scenario now uses the dataset's figures.")


def apply_button(report: DatasetReport) -> None:
    """Show what the dataset implies for the scenario, and a button that puts it there."""
    try:
        fields = scenario_fields(report)
    except EstimatorError as error:
        st.info(md(str(error)))
        return
    data = state.current().data
    changes = [
        f"{_FIELD_LABELS[name]}: {getattr(data, name):,} → {value:,}"
        if isinstance(value, int)
        else f"{_FIELD_LABELS[name]}: {getattr(data, name)} → {value}"
        for name, value in fields.items()
        if getattr(data, name) != value
    ]
    if not changes:
        st.success(
            "The scenario already uses this dataset's figures.", icon=":material/check_circle:"
        )
        return
    st.markdown("**Use this dataset in the scenario**")
    st.markdown("\n".join(f"- {change}" for change in changes))
    st.button(
        "Use these figures",
        type="primary",
        icon=":material/input:",
        on_click=_apply,
        args=(fields,),
    )
