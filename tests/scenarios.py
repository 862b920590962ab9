"""Test scenarios: a small one whose every assumption is pinned, so hand arithmetic holds."""

from __future__ import annotations

from estimators.catalog import ModelEntry, models
from estimators.scenario import Scenario, parse_scenario

# Every assumption a formula reads is set here: the expected figures in the tests are computed
# from these numbers and the catalogue prices they name, not from the shipped defaults.
PINNED_ASSUMPTIONS = {
    "calendar.days_per_month": 30,
    "prompting.setup_hours": 10,
    "prompting.upkeep_hours_per_month": 2,
    "prompting.hours_per_task_change": 6,
    "eval.hours_per_model_update": 12,
    "eval.set_examples": 100,
    "cache.lifetime_seconds": 300,
    "reasoning.tokens_per_query": 500,
    "dspy.setup_hours": 20,
    "dspy.program_modules": 1,
    "dspy.runs_per_setup": 2,
    "dspy.proposer_call_input_tokens": 2000,
    "dspy.proposer_call_output_tokens": 200,
    "dspy.bootstrap_success_rate": 0.5,
    "dspy.random_search_candidates": 7,
    "dspy.demos_per_prompt": 2,
    "dspy.upkeep_hours_per_month": 1,
    "dspy.hours_per_rerun": 3,
    "rag.setup_hours": 40,
    "rag.chunk_tokens": 500,
    "rag.chunk_overlap_tokens": 100,
    "rag.top_k": 2,
    "rag.vector_store_usd_per_month": 30,
    "rag.store_usd_per_million_read_units": 16,
    "rag.store_usd_per_gb_month": 0.33,
    "rag.store_min_usd_per_month": 50,
    "rag.embedding_dimensions": 1536,
    "rag.metadata_bytes_per_chunk": 1000,
    "rag.upkeep_hours_per_month": 5,
    "rag.hours_per_task_change": 4,
    "finetune.system_prompt_tokens": 50,
    "finetune.drift_retrains_per_year": 1,
    "finetune.retrain_hours": 10,
    "finetune.curation_minutes_per_example": 3,
    "labels.review_sample_examples": 100,
    "labels.scripted_check_hours": 4,
    "labels.human_usd_per_example": 2,
    "labels.teacher_attempts_per_example": 1.5,
    "lora.setup_hours": 100,
    "lora.upkeep_hours_per_month": 8,
    "full.setup_hours": 200,
    "full.upkeep_hours_per_month": 16,
}

# Catalogue prices used below [USD per 1M tokens]: gpt-4.1 2.00 in / 8.00 out / 0.50 cached /
# 1.00 and 4.00 batch (no cache-write price, not a reasoning model, OpenAI's 1,024-token cache
# minimum); fine-tuned gpt-4.1-mini 5.00 training, 0.80 in / 3.20 out; fine-tuned gpt-4.1 25.00
# training, 3.00 / 12.00 (both capped at 65,536 tokens per example); text-embedding-3-small 0.02.
SMALL = {
    "name": "Hand-checked",
    "task": {"problems": ["style"], "changes_per_year": 2},
    "traffic": {
        "queries_per_day": 1000,
        "monthly_growth_pct": 0,
        "input_tokens": 100,
        "output_tokens": 200,
        "system_prompt_tokens": 300,
    },
    "data": {
        "labelled_examples": 200,
        "tokens_per_example": 500,
        "knowledge_base": {
            "documents": 100,
            "tokens_per_document": 1000,
            "changed_pct_per_month": 10,
        },
    },
    "models": {
        "general": "gpt-4.1",
        "small": "gpt-4.1-mini",
        "large": "gpt-4.1",
        "embedding": "text-embedding-3-small",
    },
    "base_model_updates_per_year": 1,
    "team": {"hourly_rate_usd": 100},
    "horizon_months": 12,
    "assumptions": PINNED_ASSUMPTIONS,
}


def scenario_with(**changes: object) -> Scenario:
    """The small scenario with top-level sections replaced or merged (dicts merge one level)."""
    data = {
        key: (dict(value) if isinstance(value, dict) else value) for key, value in SMALL.items()
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = data[key] | value
        else:
            data[key] = value
    return parse_scenario(data)


def catalogue_on(day: str) -> dict[str, ModelEntry]:
    """The bundled catalogue dated `day` (every price's `as_of`): the engine prices a model only
    up to its shutdown date by the prices' own date, so a test of a model its provider has since
    retired (a published run, a billing rule it had) prices it as of a day it still ran."""
    out = {}
    for model_id, entry in models().items():
        offer = entry.fine_tuning and entry.fine_tuning.model_copy(update={"as_of": day})
        out[model_id] = entry.model_copy(update={"as_of": day, "fine_tuning": offer})
    return out


# Before the first shutdown in the catalogue (gemini-2.5-pro and -flash, 2026-10-20).
BEFORE_RETIREMENTS = catalogue_on("2026-10-01")
