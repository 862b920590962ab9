"""The failure-mode checklist: what can go wrong with each approach, scored from the scenario.

The five failure modes named in "Fine-Tuning: When & Why" plus two the same reasoning implies
(too little data; invented citations when knowledge is answered without retrieval). Each level
comes from named thresholds on the scenario's inputs, and `drivers` say which inputs set it,
naming the field, so a user can see what to change. The level is the risk *if* that approach is
taken; `mitigated` only records that the team says it has the mitigation in place.

Size: Twelve scorers, one short function each, with their thresholds; a follow-up could group them
by approach family.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from estimators.assumptions import Assumptions
from estimators.catalog import PRESETS_DIR, get_model
from estimators.decision.recommend import (
    FREQUENT_BASE_UPDATES_PER_YEAR,
    FREQUENT_TASK_CHANGES_PER_YEAR,
    MIN_DSPY_DEV_EXAMPLES,
    REASONING_FINE_TUNE_EXAMPLES,
    RELIABLE_FINE_TUNE_EXAMPLES,
    WORKABLE_FINE_TUNE_EXAMPLES,
    reasoning_word,
)
from estimators.epochs import DEFAULT_EPOCHS, epochs_in_force
from estimators.errors import EstimatorError
from estimators.ids import LEVELS, RISK_IDS, ApproachId, Level, RiskId
from estimators.scenario import Scenario

RISKS_PATH = PRESETS_DIR / "risks.json"
Breadth = Literal["narrow", "mixed", "broad"]

# --- Narrowness, steps and learning rate (forgetting and the distribution cliff) ---------------
# The article: forgetting grows with narrower data, more training steps, a higher learning rate,
# and a full fine-tune rather than LoRA. Each factor adds points; the points set the level.
BREADTH_POINTS: dict[Breadth, int] = {"narrow": 2, "mixed": 1, "broad": 0}
# Passes over the same examples beyond the provider's default of 3 epochs, then far beyond it.
MANY_EPOCHS = DEFAULT_EPOCHS + 1
VERY_MANY_EPOCHS = 10
# Example passes (examples × epochs) stand in for steps: the default-epochs rule stops adding
# passes at 25,000; four times that is a long run by any provider's defaults.
LONG_RUN_EXAMPLE_PASSES = 100_000
# Learning-rate multiplier relative to the provider's default (1.0): above it each step moves the
# weights further; at or below half it moves them gently.
HIGH_LEARNING_RATE = 1.0  # strictly above
VERY_HIGH_LEARNING_RATE = 2.0
LOW_LEARNING_RATE = 0.5
# Updating every weight of a large model forgets more than LoRA's small adapters on a frozen base.
FULL_FINE_TUNE_POINTS = 1
# The distribution cliff: fewer examples cover fewer of the inputs users will send.
FEW_EXAMPLES_CLIFF_POINTS = {WORKABLE_FINE_TUNE_EXAMPLES: 2, RELIABLE_FINE_TUNE_EXAMPLES: 1}
MEDIUM_POINTS = 2
HIGH_POINTS = 3

# --- Change rates [per year] -------------------------------------------------------------------
# A retrain twice a year is already a standing job; from quarterly (the decision engine's
# "frequent") the model spends much of the year behind.
TASK_CHANGES_MEDIUM = 2.0
TASK_CHANGES_HIGH = FREQUENT_TASK_CHANGES_PER_YEAR
# When facts sit in the weights (knowledge problems), a monthly drift in the knowledge base makes
# them stale: from 1% a month they drift noticeably within a year, from 10% within a quarter.
KB_DRIFT_MEDIUM_PCT = 1.0
KB_DRIFT_HIGH_PCT = 10.0
# Each base-model release strands the fine-tune: yearly is a known cost, quarterly a treadmill.
BASE_UPDATES_MEDIUM = 1.0
BASE_UPDATES_HIGH = FREQUENT_BASE_UPDATES_PER_YEAR

# A dataset check may report diversity in its own words; these are read as breadths.
_DIVERSITY_ALIASES: dict[str, Breadth] = {
    "narrow": "narrow",
    "mixed": "mixed",
    "broad": "broad",
    "low": "narrow",
    "medium": "mixed",
    "high": "broad",
}
_FINE_TUNES: list[ApproachId] = ["lora", "full"]
_FORGETTING_BY_BREADTH: dict[Breadth, str] = {
    "narrow": "one domain's data overwrites the most general skill",
    "mixed": "partly varied data still overwrites some general skill",
    "broad": "varied data keeps general skills exercised",
}
_CLIFF_BY_BREADTH: dict[Breadth, str] = {
    "narrow": "a narrow training set leaves a sharp edge around it",
    "mixed": "partly varied data still leaves gaps at the edges",
    "broad": "varied data softens the edge",
}


class Risk(BaseModel):
    """One failure mode scored for one scenario."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: RiskId
    title: str
    description: str
    level: Level  # the highest level over `applies_to`
    level_by_approach: dict[ApproachId, Level]
    applies_to: list[ApproachId]
    drivers: list[str]
    mitigation: str
    how_to_test: str
    mitigated: bool


class _Info(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RiskId
    title: str
    description: str
    applies_to: list[ApproachId]
    mitigation: str
    how_to_test: str


class _RiskFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str
    source: str
    risks: list[_Info]


@cache
def _info() -> dict[RiskId, _Info]:
    """The failure modes' prose, read once from `presets/risks.json` (every id exactly once)."""
    loaded = _RiskFile.model_validate_json(RISKS_PATH.read_bytes()).risks
    table = {info.id: info for info in loaded}
    if sorted(table) != sorted(RISK_IDS) or len(loaded) != len(RISK_IDS):
        raise EstimatorError(f"{RISKS_PATH}: expected each of {', '.join(RISK_IDS)} once")
    return table


def risk_info(risk_id: RiskId) -> _Info:
    """Title, description, approaches, mitigation and test of one failure mode."""
    return _info()[risk_id]


def _level(points: int) -> Level:
    if points >= HIGH_POINTS:
        return "high"
    return "medium" if points >= MEDIUM_POINTS else "low"


def _highest(levels: list[Level]) -> Level:
    return max(levels, key=LEVELS.index)


def _breadth(scenario: Scenario, diversity: str | None) -> tuple[Breadth, str]:
    """The breadth to score with and a driver naming where it came from."""
    stated = scenario.data.domain_breadth
    if diversity is None:
        return stated, f"data.domain_breadth is {stated}"
    measured = _DIVERSITY_ALIASES.get(diversity.lower())
    if measured is None:
        known = ", ".join(sorted(_DIVERSITY_ALIASES))
        raise EstimatorError(f"diversity: unknown value '{diversity}'. Known values: {known}.")
    return measured, (
        f"the training file's measured diversity reads as {measured} "
        f"(it stands in for data.domain_breadth, set to {stated})"
    )


def _epochs(scenario: Scenario) -> tuple[int, str]:
    """Epochs the run will use and how they were set (the provider's rule when unset)."""
    n = scenario.data.labelled_examples
    epochs, chosen = epochs_in_force(scenario.fine_tuning.epochs, n)
    if chosen:
        return epochs, f"fine_tuning.epochs is {epochs}"
    return epochs, (
        f"fine_tuning.epochs is unset, so the default rule picks {epochs} for "
        f"{n:,} examples (data.labelled_examples)"
    )


def _forgetting(
    scenario: Scenario, diversity: str | None
) -> tuple[dict[ApproachId, Level], list[str]]:
    breadth, breadth_driver = _breadth(scenario, diversity)
    points = BREADTH_POINTS[breadth]
    drivers = [f"{breadth_driver}: {_FORGETTING_BY_BREADTH[breadth]}"]
    epochs, epochs_driver = _epochs(scenario)
    if epochs >= MANY_EPOCHS:
        points += 2 if epochs >= VERY_MANY_EPOCHS else 1
        drivers.append(f"{epochs_driver}: every extra pass pulls the weights further")
    passes = epochs * scenario.data.labelled_examples
    if passes >= LONG_RUN_EXAMPLE_PASSES:
        points += 1
        drivers.append(
            f"{passes:,} example passes (data.labelled_examples × {epochs} epochs) make a long "
            "run: more steps, more forgetting"
        )
    rate = scenario.fine_tuning.learning_rate_multiplier
    rate = 1.0 if rate is None else rate
    if rate > HIGH_LEARNING_RATE:
        points += 2 if rate >= VERY_HIGH_LEARNING_RATE else 1
        drivers.append(
            f"fine_tuning.learning_rate_multiplier is {rate:g}: a higher rate moves the weights "
            "further at each step"
        )
    elif rate <= LOW_LEARNING_RATE:
        points -= 1
        drivers.append(
            f"fine_tuning.learning_rate_multiplier is {rate:g}: a low rate moves the weights "
            "gently, which lowers the risk"
        )
    drivers.append(
        f"the full fine-tune of models.large changes every weight, while "
        f"fine_tuning.method ({scenario.fine_tuning.method}) trains small adapters on a frozen "
        "base: the full fine-tune scores one step higher"
    )
    levels: dict[ApproachId, Level] = {
        "lora": _level(points),
        "full": _level(points + FULL_FINE_TUNE_POINTS),
        "rag_lora": _level(points),
    }
    return levels, drivers


def _cliff(scenario: Scenario, diversity: str | None) -> tuple[Level, list[str]]:
    breadth, breadth_driver = _breadth(scenario, diversity)
    points = BREADTH_POINTS[breadth]
    drivers = [f"{breadth_driver}: {_CLIFF_BY_BREADTH[breadth]}"]
    n = scenario.data.labelled_examples
    extra = next((p for limit, p in FEW_EXAMPLES_CLIFF_POINTS.items() if n < limit), 0)
    if extra:
        points += extra
        drivers.append(
            f"data.labelled_examples is {n:,}: fewer examples cover fewer of the inputs users "
            "will send"
        )
    return _level(points), drivers


def _hallucinated_fluency(
    scenario: Scenario, diversity: str | None
) -> tuple[dict[ApproachId, Level], list[str]]:
    breadth, breadth_driver = _breadth(scenario, diversity)
    if "knowledge" in scenario.task.problems:
        return {"lora": "high", "full": "high", "rag_lora": "medium"}, [
            "task.problems includes knowledge: a fine-tune would be asked to carry facts it "
            "cannot reliably hold, and would state them fluently anyway",
            "RAG on the fine-tune reads the facts from chunks of data.knowledge_base, which "
            "lowers its risk one step; when retrieval misses, the trained voice answers as surely",
        ]
    level: Level = "medium" if breadth == "narrow" else "low"
    if breadth == "narrow":
        driver = f"{breadth_driver}: training on one domain's text teaches its voice"
    else:
        driver = f"task.problems does not include knowledge and {breadth_driver}"
    return dict.fromkeys(risk_info("hallucinated_fluency").applies_to, level), [driver]


def _retraining_lag(scenario: Scenario) -> tuple[dict[ApproachId, Level], list[str]]:
    changes = scenario.task.changes_per_year
    levels: list[Level] = ["low"]
    drivers = [f"task.changes_per_year is {changes:g}: each change needs a new training run"]
    if changes >= TASK_CHANGES_HIGH:
        levels.append("high")
    elif changes >= TASK_CHANGES_MEDIUM:
        levels.append("medium")
    # RAG on the fine-tune keeps the facts in the index, so knowledge drift does not wait for
    # a retrain there: only task changes set its level.
    retrieving = _highest(levels)
    drift = scenario.data.knowledge_base.changed_pct_per_month
    if "knowledge" in scenario.task.problems and drift >= KB_DRIFT_MEDIUM_PCT:
        levels.append("high" if drift >= KB_DRIFT_HIGH_PCT else "medium")
        drivers.append(
            f"data.knowledge_base.changed_pct_per_month is {drift:g}% and task.problems "
            "includes knowledge: facts in the weights go stale between retrains (RAG on the "
            "fine-tune reads them from the index instead)"
        )
    level = _highest(levels)
    return {"lora": level, "full": level, "rag_lora": retrieving}, drivers


def _lock_in(scenario: Scenario) -> tuple[Level, list[str]]:
    updates = scenario.base_model_updates_per_year
    if updates >= BASE_UPDATES_HIGH:
        level: Level = "high"
    else:
        level = "medium" if updates >= BASE_UPDATES_MEDIUM else "low"
    return level, [
        f"base_model_updates_per_year is {updates:g}: each new base strands the fine-tune "
        "until it is trained again"
    ]


def _data_insufficiency(scenario: Scenario) -> tuple[dict[ApproachId, Level], list[str]]:
    n = scenario.data.labelled_examples
    if n < WORKABLE_FINE_TUNE_EXAMPLES:
        tune: Level = "high"
        verdict = f"under the {WORKABLE_FINE_TUNE_EXAMPLES} below which a fine-tune memorises"
    elif n < RELIABLE_FINE_TUNE_EXAMPLES:
        tune = "medium"
        verdict = (
            f"workable for behaviour, short of the {RELIABLE_FINE_TUNE_EXAMPLES} "
            "for reliable results"
        )
    else:
        tune = "low"
        verdict = "enough for reliable results"
    drivers = [f"data.labelled_examples is {n:,}: {verdict}"]
    word = reasoning_word(scenario.task.description)
    if word is not None and n < REASONING_FINE_TUNE_EXAMPLES:
        tune = _highest([tune, "medium"])
        drivers.append(
            f"task.description mentions '{word}': multi-step reasoning wants "
            f"{REASONING_FINE_TUNE_EXAMPLES:,}+ examples"
        )
    dspy: Level = "high" if n < MIN_DSPY_DEV_EXAMPLES else "low"
    if dspy == "high":
        drivers.append(
            f"data.labelled_examples is {n:,}: under the {MIN_DSPY_DEV_EXAMPLES} DSPy needs as "
            "a dev set"
        )
    return {"dspy": dspy, "lora": tune, "full": tune, "rag_lora": tune}, drivers


def _fabricated_citations(scenario: Scenario) -> tuple[dict[ApproachId, Level], list[str]]:
    without: list[ApproachId] = ["prompting", "dspy", "lora", "full"]
    retrieves: dict[ApproachId, Level] = {"rag_lora": "low"}
    if "knowledge" in scenario.task.problems:
        return dict.fromkeys(without, "high") | retrieves, [
            "task.problems includes knowledge: without retrieval the model must answer from "
            "memory and will invent references it cannot look up",
            "RAG on the fine-tune retrieves the real references from data.knowledge_base: low",
        ]
    return dict.fromkeys(without, "low") | retrieves, [
        "task.problems does not include knowledge: answers need few facts to cite"
    ]


# RAG's failure modes: thresholds with their reasons.
LARGE_KNOWLEDGE_BASE_DOCUMENTS = 10_000  # beyond this a handful of chunks rarely covers a topic
FEW_CHUNKS = 3  # top_k at or below this leaves little room for a near miss
FAST_CHANGING_PCT = 10.0  # % of documents changed a month: a monthly re-embed lags for weeks
CHANGING_PCT = 3.0
CONTEXT_HIGH_SHARE = 0.5  # models use the middle of very long prompts poorly ("lost in the middle")
CONTEXT_MEDIUM_SHARE = 0.25
LONG_PROMPT_TOKENS = 2_000  # a system prompt this long is a rule book, not an instruction
FREQUENT_PROMPT_CHANGES = 6  # per year: a rule added every other month


def _retrieval_miss(scenario: Scenario) -> tuple[Level, list[str]]:
    documents = scenario.data.knowledge_base.documents
    top_k = Assumptions(scenario.assumptions)["rag.top_k"]
    large, few = documents > LARGE_KNOWLEDGE_BASE_DOCUMENTS, top_k <= FEW_CHUNKS
    level: Level = "high" if large and few else "medium" if large or few else "low"
    return level, [
        f"data.knowledge_base.documents is {documents:,} and assumptions.rag.top_k is "
        f"{top_k:g}: {'many documents' if large else 'a small base'}, "
        f"{'few' if few else 'several'} chunks a query"
    ]


def _stale_index(scenario: Scenario) -> tuple[Level, list[str]]:
    changed = scenario.data.knowledge_base.changed_pct_per_month
    level: Level = (
        "high" if changed >= FAST_CHANGING_PCT else "medium" if changed >= CHANGING_PCT else "low"
    )
    return level, [
        f"data.knowledge_base.changed_pct_per_month is {changed:g}%: re-embedded monthly, a "
        "changed document can be answered from its old text until then"
    ]


def _prompt_injection(scenario: Scenario) -> tuple[Level, list[str]]:
    documents = scenario.data.knowledge_base.documents
    if documents == 0:
        return "low", ["data.knowledge_base.documents is 0: nothing is retrieved"]
    return "medium", [
        f"data.knowledge_base.documents is {documents:,}: whoever can edit an indexed document "
        "can put instructions in front of the model"
    ]


def _context_overflow(scenario: Scenario) -> tuple[Level, list[str]]:
    a = Assumptions(scenario.assumptions)
    traffic = scenario.traffic
    prompt = traffic.system_prompt_tokens + a["rag.top_k"] * a["rag.chunk_tokens"]
    prompt += traffic.input_tokens
    window = get_model(scenario.models.general).context_tokens
    share = prompt / window
    level: Level = (
        "high"
        if share > CONTEXT_HIGH_SHARE
        else "medium"
        if share > CONTEXT_MEDIUM_SHARE
        else "low"
    )
    return level, [
        f"traffic.system_prompt_tokens + assumptions.rag.top_k × assumptions.rag.chunk_tokens + "
        f"traffic.input_tokens is {prompt:,.0f} tokens, {share:.0%} of models.general's "
        f"{window:,}-token window"
    ]


def _prompt_sprawl(scenario: Scenario) -> tuple[Level, list[str]]:
    tokens = scenario.traffic.system_prompt_tokens
    changes = scenario.task.changes_per_year
    long, frequent = tokens >= LONG_PROMPT_TOKENS, changes >= FREQUENT_PROMPT_CHANGES
    level: Level = "high" if long and frequent else "medium" if long or frequent else "low"
    return level, [
        f"traffic.system_prompt_tokens is {tokens:,} and task.changes_per_year is {changes:g}: "
        f"{'a long' if long else 'a short'} prompt, {'often' if frequent else 'rarely'} changed"
    ]


def _risk(
    risk_id: RiskId,
    levels: dict[ApproachId, Level] | Level,
    drivers: list[str],
    scenario: Scenario,
) -> Risk:
    info = risk_info(risk_id)
    by_approach = levels if isinstance(levels, dict) else dict.fromkeys(info.applies_to, levels)
    return Risk(
        id=risk_id,
        title=info.title,
        description=info.description,
        level=_highest(list(by_approach.values())),
        level_by_approach=by_approach,
        applies_to=info.applies_to,
        drivers=drivers,
        mitigation=info.mitigation,
        how_to_test=info.how_to_test,
        mitigated=risk_id in scenario.mitigations_in_place,
    )


def assess_risks(scenario: Scenario, diversity: str | None = None) -> list[Risk]:
    """Every failure mode, in RISK_IDS order, scored from the scenario's inputs.

    `diversity` is the dataset check's narrowness signal for an uploaded training file
    (narrow/mixed/broad, or low/medium/high); when given it replaces data.domain_breadth for
    forgetting, the distribution cliff and hallucinated fluency, since it is measured.
    """
    forgetting, forgetting_drivers = _forgetting(scenario, diversity)
    data, data_drivers = _data_insufficiency(scenario)
    scored: dict[RiskId, tuple[dict[ApproachId, Level] | Level, list[str]]] = {
        "hallucinated_fluency": _hallucinated_fluency(scenario, diversity),
        "distribution_cliff": _cliff(scenario, diversity),
        "base_capability_regression": (forgetting, forgetting_drivers),
        "retraining_lag": _retraining_lag(scenario),
        "base_model_lock_in": _lock_in(scenario),
        "data_insufficiency": (data, data_drivers),
        "fabricated_citations": _fabricated_citations(scenario),
        "retrieval_miss": _retrieval_miss(scenario),
        "stale_index": _stale_index(scenario),
        "prompt_injection": _prompt_injection(scenario),
        "context_overflow": _context_overflow(scenario),
        "prompt_sprawl": _prompt_sprawl(scenario),
    }
    return [_risk(risk_id, *scored[risk_id], scenario) for risk_id in RISK_IDS]
