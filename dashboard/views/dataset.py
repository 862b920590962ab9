"""Dataset: check a chat fine-tuning JSONL file and carry its figures into the scenario."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.format import md
from dashboard.widgets import dataset_upload
from estimators.dataset.report import FORMAT_ERRORS_WARNING
from report.format import tokens, usd

scenario = state.current()

st.title("Dataset check")
st.caption(
    "Is the training file valid, how many tokens, how many epochs, what will training cost, is "
    "it enough data, and is it so narrow that the model will forget general skills? Checked the "
    "way OpenAI's data-preparation cookbook does, with its error names."
)

report = dataset_upload.show(scenario.models.small)
if report is None:
    st.info(
        "Upload a JSONL file to see its report. Nothing is stored: the file is read once and "
        "only the figures stay in this session.",
        icon=":material/upload_file:",
    )
    st.stop()

if report.valid:
    st.success(
        f"**{md(report.source)}** is valid: a provider would accept it.",
        icon=":material/check_circle:",
    )
else:
    st.error(
        f"**{md(report.source)}** has {report.line_errors_total:,} line(s) with format errors "
        f"(of {report.lines:,} lines); a provider rejects the whole file until they are fixed.",
        icon=":material/warning:",
    )

first, second, third, fourth, fifth = st.columns(5)
first.metric("Valid examples", f"{report.examples:,}", border=True)
second.metric(
    "Tokens per example",
    tokens(report.tokens.mean),
    help=f"Mean; median {report.tokens.p50:,.0f}, 90th percentile {report.tokens.p90:,.0f}, "
    f"longest {report.tokens.max:,}.",
    border=True,
)
third.metric(
    "Default epochs",
    report.default_epochs if report.default_epochs is not None else "—",
    help="3; more for small sets (epochs × examples ≥ 100), fewer for large ones (≤ 25,000).",
    border=True,
)
fourth.metric("Billed training tokens", tokens(report.billed_training_tokens), border=True)
fifth.metric(
    "Training cost",
    usd(report.training_cost_usd),
    help=report.cost_note or None,
    border=True,
)
st.caption(md(report.cost_note))

# The red alert above already says how many lines have format errors: the report's warning that
# repeats it is not shown a second time.
for warning in report.warnings:
    if not (report.line_errors_total and warning.startswith(FORMAT_ERRORS_WARNING)):
        st.warning(md(warning))

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Tokens per example", anchor=False)
    if report.token_histogram:
        histogram = pd.DataFrame(
            {
                "Tokens per example (from)": [b.lo_tokens for b in report.token_histogram],
                "Examples": [b.examples for b in report.token_histogram],
            }
        )
        st.bar_chart(histogram, x="Tokens per example (from)", y="Examples", height=260)
    else:
        st.caption("No valid examples to count.")
    if report.over_limit:
        st.caption(
            f"{report.over_limit:,} example(s) over {report.token_limit:,} tokens are truncated "
            "for training and billing."
        )
with right:
    st.subheader("Diversity", anchor=False)
    diversity = report.diversity
    st.metric(
        "Domain breadth",
        diversity.domain_breadth.capitalize(),
        help="Narrow data makes a fine-tune forget general skills faster.",
    )
    st.markdown(md(diversity.reason))
    st.caption(
        f"distinct-2 {diversity.distinct_2 if diversity.distinct_2 is not None else '—'} · "
        f"vocabulary overlap "
        f"{diversity.vocabulary_overlap if diversity.vocabulary_overlap is not None else '—'} · "
        f"{diversity.sample_examples:,} examples sampled · confidence {diversity.confidence}"
    )

with st.container(border=True):
    dataset_upload.apply_button(report)

st.subheader("Errors by line", anchor=False)
if report.format_errors:
    errors_col, lines_col = st.columns([1, 2], gap="large")
    errors_col.dataframe(
        pd.DataFrame(
            {"Error": list(report.format_errors), "Count": list(report.format_errors.values())}
        ),
        hide_index=True,
        width="stretch",
    )
    lines_col.dataframe(
        pd.DataFrame(
            {"Line": list(report.line_errors), "Problem": list(report.line_errors.values())}
        ),
        hide_index=True,
        width="stretch",
    )
    if report.line_errors_total > len(report.line_errors):
        st.caption(f"First {len(report.line_errors):,} of {report.line_errors_total:,} shown.")
else:
    st.caption("No format errors.")

st.subheader("Duplicates and quality", anchor=False)
quality = report.quality
outliers = quality.length_outliers
st.dataframe(
    pd.DataFrame(
        [
            ("Exact duplicates", quality.exact_duplicates),
            ("Near duplicates (case, punctuation, spacing ignored)", quality.near_duplicates),
            ("Examples without a system message", quality.missing_system),
            ("Examples without a user message", quality.missing_user),
            ("Empty assistant replies", quality.empty_assistant_replies),
            ("Examples sharing a repeated reply", quality.repeated_reply_examples),
            ("Unusually long examples", outliers.long),
            ("Unusually short examples", outliers.short),
        ],
        columns=["Check", "Examples"],
    ),
    hide_index=True,
    width="stretch",
)
if quality.duplicate_pairs:
    st.caption(
        "Duplicates: "
        + ", ".join(
            f"line {p.line} repeats line {p.duplicate_of_line}" for p in quality.duplicate_pairs
        )
    )
if outliers.lines:
    st.caption(
        f"Length outliers ({md(outliers.rule)}): lines " + ", ".join(str(n) for n in outliers.lines)
    )
st.caption(
    f"{report.lines + report.blank_lines:,} lines read ({report.blank_lines:,} blank, "
    f"{report.invalid_lines:,} "
    f"invalid), {report.bytes_read:,} bytes; tokenizer {report.encoding} for {report.model}."
)
