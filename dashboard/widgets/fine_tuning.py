"""Fine-tuning: where it runs, which method, which GPU, how many epochs, what learning rate."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.format import md
from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.catalog import models
from estimators.scenario import Scenario
from estimators.selfhost.gpus import gpus

HOSTING_LABELS = {"api": "Provider API", "self_hosted": "Self-hosted"}
METHOD_LABELS = {"lora": "LoRA", "qlora": "QLoRA"}
PRECISION_LABELS = {"bf16": "BF16", "fp8": "FP8", "int8": "INT8", "int4": "INT4"}


def _gpu_label(gpu_id: str) -> str:
    entry = gpus().get(gpu_id)
    if entry is None:
        return f"{gpu_id} (not in the GPU catalogue)"
    return f"{entry.name} · {entry.bf16_tflops:g} TFLOPS BF16 · ${entry.usd_per_hour:,.2f}/hour"


def _serving_gpu_label(gpu_id: str | None) -> str:
    return "Cheapest that fits" if gpu_id is None else _gpu_label(gpu_id)


# The self-hosted example's small model, and a current 70B for the full fine-tune.
_PREFERRED = {"small": "llama-3.1-8b-instruct", "large": "llama-3.3-70b-instruct"}
_ROLES = {"small": "LoRA fine-tune (small model)", "large": "full fine-tune (large model)"}


def _open_models() -> list[str]:
    """Open-weights chat models with a known size, smallest first: what can be self-hosted."""
    table = models()
    found = [m for m in table.values() if m.kind == "chat" and m.open_weights and m.params_b]
    return [m.id for m in sorted(found, key=lambda m: m.params_b or 0)]


def _use_model(role: str, model_id: str) -> None:
    state.update({f"models.{role}": model_id}, new_origin=state.origin())
    state.notify("success", f"The {_ROLES[role]} now uses {md(model_id)} (open weights).")


def _closed_weights_notice(scenario: Scenario) -> None:
    """Self-hosting needs open weights: say which chosen model cannot be, and offer a fix."""
    table = models()
    options = _open_models()
    for role, approach in _ROLES.items():
        model_id = getattr(scenario.models, role)
        entry = table.get(model_id)
        if entry is None or (entry.open_weights and entry.params_b):
            continue
        why = "has closed weights" if not entry.open_weights else "has no known parameter count"
        preferred = _PREFERRED[role]
        pick = (
            preferred if preferred in options else (options[0] if role == "small" else options[-1])
        )
        st.warning(
            f"The {approach} cannot be self-hosted: {md(model_id)} {why}. Open-weights models: "
            f"{md(', '.join(options))}.",
            icon=":material/lock:",
        )
        st.button(
            f"Use {pick} for the {approach}",
            key=f"open-weights-{role}",
            on_click=_use_model,
            args=(role, pick),
        )


def show(scenario: Scenario) -> None:
    """Inputs for `fine_tuning.*`."""
    left, right = st.columns(2)
    with left:
        fields.choice(
            "fine_tuning.hosting",
            "Hosting",
            list(HOSTING_LABELS),
            help="Provider API: priced per training token and per fine-tuned token. "
            "Self-hosted: GPU hours to train, always-on GPUs to serve (open-weights models).",
            format_func=HOSTING_LABELS.__getitem__,
            control="segmented",
        )
    with right:
        fields.choice(
            "fine_tuning.method",
            "Method (small model)",
            list(METHOD_LABELS),
            help="LoRA trains small adapters on frozen weights; QLoRA also quantises the frozen "
            "weights to 4 bits: less memory, slower steps. Self-hosted only.",
            format_func=METHOD_LABELS.__getitem__,
            control="segmented",
        )
    self_hosted = scenario.fine_tuning.hosting == "self_hosted"
    if self_hosted:
        _closed_weights_notice(scenario)
    fields.choice(
        "fine_tuning.gpu",
        "GPU",
        list(gpus()),
        help="Used only when self-hosted: training time follows its BF16 peak, serving its "
        "hourly price.",
        format_func=_gpu_label,
        disabled=not self_hosted,
    )
    left, right = st.columns(2)
    with left:
        fields.number(
            "fine_tuning.epochs",
            "Epochs",
            help="Empty: the provider's default rule (3, more for small sets, fewer for large "
            "ones). More epochs cost more and raise the forgetting risk.",
            min_value=1,
            max_value=50,
            step=1,
            placeholder="auto (default rule)",
        )
    with right:
        fields.number(
            "fine_tuning.learning_rate_multiplier",
            "Learning-rate multiplier",
            help="Empty: the provider's default (1.0). Higher rates forget general skills faster.",
            min_value=0.01,
            max_value=10.0,
            step=0.1,
            placeholder="provider default (1.0)",
            format="%.2f",
        )
    left, right = st.columns(2)
    with left:
        fields.choice(
            "fine_tuning.serving_gpu",
            "Serving GPU",
            [None, *gpus()],
            help="Self-hosted only. Empty: the cheapest catalogue GPU that holds the weights and "
            "the KV cache at the traffic's peak, chosen apart from the training GPU.",
            format_func=_serving_gpu_label,
            disabled=not self_hosted,
        )
    with right:
        fields.choice(
            "fine_tuning.serving_precision",
            "Serving precision",
            list(PRECISION_LABELS),
            help="Bytes per weight on the model servers: FP8 and INT8 halve BF16's memory, INT4 "
            "quarters it; smaller weights fit cheaper GPUs and decode faster, at a small, "
            "task-dependent quality cost (see the self-hosting summary). Self-hosted only.",
            format_func=PRECISION_LABELS.__getitem__,
            control="segmented",
            disabled=not self_hosted,
        )


GROUP = Group("fine_tuning", "Fine-tuning", ":material/model_training:", ("fine_tuning",), show)
