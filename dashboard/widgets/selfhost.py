"""Self-hosting at a glance: training run, serving GPUs and replicas, the floor, memory, crossover.

Shown on Compare for every fine-tune priced on your own GPUs. It lays out the engine's `training`
block in sentences and a small stacked memory bar; it computes nothing (a GPU-hour total is the
engine's `fine_tune_gpu_hours`, a floor its `floor_usd_per_month`).
"""

from __future__ import annotations

import streamlit as st

from dashboard.format import md
from estimators.results import ApproachResult, Estimate
from report.format import count, usd

_PARTS = {
    "weights": "Weights",
    "kv_cache": "KV cache",
    "activations": "Activations",
    "gradients_and_optimiser": "Gradients + optimiser",
    "framework_overhead": "Framework overhead",
}


def _memory_rows(by_part: dict[str, float], where: str) -> list[tuple[str, str, float]]:
    return [(where, _PARTS.get(k, k), round(v, 2)) for k, v in by_part.items()]


def _summary(approach: ApproachResult) -> None:
    t = approach.training
    assert t is not None
    training_gpus = f"{t.gpus_needed or 1} × {t.gpu}"
    if (t.nodes or 1) > 1:
        training_gpus += f" ({t.nodes} nodes of 8)"
    st.markdown(
        f"**{approach.name}** — {md(t.model)}, {t.method or 'full'} fine-tune, "
        f"self-hosted\n\n"
        f"- **Training:** {t.fine_tune_gpu_hours or t.gpu_hours or 0:,.2f} GPU-hours on "
        f"{md(training_gpus)} for one successful fine-tune "
        f"({t.runs_per_fine_tune or 1:g} runs at an effective MFU of {t.mfu or 0:.0%}); "
        f"{count(t.tokens)} training tokens.\n"
        f"- **Serving:** {t.serving_gpus_per_replica or 1} × {md(t.serving_gpu or t.gpu or '')} "
        f"per replica in {(t.serving_precision or 'bf16').upper()}, "
        f"{t.serving_replicas_at_peak or 1} replica(s) at the busiest hour; "
        f"{t.serving_tokens_per_s_per_gpu or 0:,.0f} output tokens/s per GPU, "
        f"{t.serving_decode_bound or 'memory'}-bound decoding.\n"
        f"- **Always-on floor:** {usd(t.floor_usd_per_month)} a month, paid at any volume: a "
        f"month's usage is never less (the Usage column above includes it).\n"
        f"- **Against a provider:** {md(_first_sentence(t.self_hosting_break_even_note))}"
    )
    if t.serving_precision_note:
        st.caption(md(t.serving_precision_note))
    rows = []
    if t.training_memory_gb_by_part:
        rows += _memory_rows(t.training_memory_gb_by_part, "Training, per GPU")
    if t.serving_memory_gb_by_part:
        rows += _memory_rows(t.serving_memory_gb_by_part, "Serving, per replica")
    if rows:
        st.bar_chart(
            {"Use": [r[0] for r in rows], "Part": [r[1] for r in rows], "GB": [r[2] for r in rows]},
            x="Use",
            y="GB",
            color="Part",
            horizontal=True,
            height=170,
            x_label="",
            y_label="Memory (GB)",
        )


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + ("." if dot else "")


def show(result: Estimate) -> None:
    """The summary of each available self-hosted fine-tune; nothing when none is self-hosted."""
    hosted = [
        a
        for a in result.approaches
        if a.available and a.training is not None and a.training.hosting == "self_hosted"
    ]
    if not hosted:
        return
    st.subheader("Self-hosting", anchor=False)
    for approach in hosted:
        with st.container(border=True):
            _summary(approach)
