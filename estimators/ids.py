"""The literal ids every layer shares (approach, problem, risk, verdict, level) and their labels.

One home: the scenario validates against these, the engine keys its results by them, and the
dashboard and the PDF print the labels beside them, so a new id or a reworded label lands once.
"""

from __future__ import annotations

from typing import Literal, get_args

ApproachId = Literal["prompting", "dspy", "rag", "lora", "full", "rag_lora"]
APPROACH_IDS: tuple[ApproachId, ...] = get_args(ApproachId)
APPROACH_NAMES: dict[ApproachId, str] = {
    "prompting": "Prompting",
    "dspy": "DSPy prompt optimisation",
    "rag": "RAG",
    "lora": "LoRA fine-tune (small model)",
    "full": "Full fine-tune (large model)",
    "rag_lora": "RAG on a LoRA fine-tune (small model)",
}
APPROACH_SHORT_NAMES: dict[ApproachId, str] = {
    "prompting": "Prompting",
    "dspy": "DSPy",
    "rag": "RAG",
    "lora": "LoRA fine-tune",
    "full": "Full fine-tune",
    "rag_lora": "RAG + LoRA",
}

Problem = Literal["style", "knowledge", "schema", "cost", "latency"]
PROBLEMS: tuple[Problem, ...] = get_args(Problem)
PROBLEM_LABELS: dict[Problem, str] = {
    "style": "Style, tone or format",
    "knowledge": "Proprietary knowledge",
    "schema": "Strict output schema",
    "cost": "Inference cost",
    "latency": "Latency",
}

RiskId = Literal[
    "hallucinated_fluency",
    "distribution_cliff",
    "base_capability_regression",
    "retraining_lag",
    "base_model_lock_in",
    "data_insufficiency",
    "fabricated_citations",
    "retrieval_miss",
    "stale_index",
    "prompt_injection",
    "context_overflow",
    "prompt_sprawl",
]
RISK_IDS: tuple[RiskId, ...] = get_args(RiskId)

Level = Literal["low", "medium", "high"]
LEVELS: tuple[Level, ...] = get_args(Level)

# `combined`: not the answer on its own, but part of the recommended combination (RAG carries a
# hand-tuned or DSPy-optimised prompt), so it is never "avoid" beside a recommendation using it.
Verdict = Literal["recommended", "combined", "consider", "avoid"]
VERDICT_LABELS: dict[Verdict, str] = {
    "recommended": "Recommended",
    "combined": "Part of the recommendation",
    "consider": "Consider",
    "avoid": "Avoid",
}


def short_name(approach_id: str | None) -> str:
    """A short approach name for headlines ('LoRA fine-tune'); the id itself if unknown."""
    if approach_id is None:
        return "—"
    return APPROACH_SHORT_NAMES.get(approach_id, approach_id)  # type: ignore[call-overload]
