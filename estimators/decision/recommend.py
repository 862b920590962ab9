"""The decision tree of "Fine-Tuning: When & Why", walked for every problem a scenario names.

`decide()` turns a scenario and each approach's total cost over the horizon into a verdict per
approach, one recommendation (fit first, cost second) and the path taken through the tree, as
data the dashboard and the PDF can draw. Pure functions; what each approach does on each
problem's branch lives in `estimators.decision.roles`, the steps, checks and thresholds in
`estimators.decision.tree` (re-exported here). Reasons name the scenario field they rest on, in
parentheses, so a reader can find the input to change.

The pick lives here; the holds put on after the walk (latency budget, dearer on both counts) in
`holds`, the sentences in `reasons`, the result types in `verdicts`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from estimators.decision.holds import budget_step, hold_dearer_on_both, latency_barred
from estimators.decision.reasons import (
    approach_reasons,
    combined_reason,
    problems_of,
    recommend_for,
)
from estimators.decision.roles import branch_roles
from estimators.decision.tree import (
    CONSTANT_TASK_CHANGES_PER_YEAR,
    FINE_TUNES,
    FREQUENT_BASE_UPDATES_PER_YEAR,
    FREQUENT_TASK_CHANGES_PER_YEAR,
    MIN_DSPY_DEV_EXAMPLES,
    MIN_FINE_TUNE_EXAMPLES,
    REASONING_FINE_TUNE_EXAMPLES,
    REASONING_WORDS,
    RELIABLE_FINE_TUNE_EXAMPLES,
    WORKABLE_FINE_TUNE_EXAMPLES,
    DecisionStep,
    Role,
    Standing,
    branch_steps,
    change_check,
    data_check,
    reasoning_word,
    side_checks,
)
from estimators.decision.verdicts import SOURCE, ApproachVerdict, Decision, Recommendation
from estimators.errors import EstimatorError, UnknownIdError
from estimators.ids import (
    APPROACH_IDS,
    APPROACH_NAMES,
    PROBLEM_LABELS,
    ApproachId,
    Problem,
    Verdict,
)
from estimators.scenario import Scenario

__all__ = [
    "APPROACH_NAMES",
    "CONSTANT_TASK_CHANGES_PER_YEAR",
    "FINE_TUNES",
    "FREQUENT_BASE_UPDATES_PER_YEAR",
    "FREQUENT_TASK_CHANGES_PER_YEAR",
    "MIN_DSPY_DEV_EXAMPLES",
    "MIN_FINE_TUNE_EXAMPLES",
    "PROBLEM_LABELS",
    "REASONING_FINE_TUNE_EXAMPLES",
    "REASONING_WORDS",
    "RELIABLE_FINE_TUNE_EXAMPLES",
    "SOURCE",
    "WORKABLE_FINE_TUNE_EXAMPLES",
    "ApproachVerdict",
    "Decision",
    "DecisionStep",
    "Recommendation",
    "Role",
    "Verdict",
    "decide",
    "reasoning_word",
]


def _availability(
    approach: ApproachId, total: float | None, why: str | None, standing: Standing
) -> None:
    """Rule out an approach the cost engine could not price with the chosen models."""
    if total is not None:
        return
    where = {
        "lora": "models.small, fine_tuning.hosting",
        "full": "models.large, fine_tuning.hosting",
        "rag_lora": "models.small, fine_tuning.hosting, data.knowledge_base",
    }
    fields = where.get(approach, "models.general")
    detail = f": {why}" if why else "; see its cost card."
    standing.hold("avoid", f"Cannot run with the chosen models ({fields}){detail}")


def _check_totals(totals_usd: Mapping[str, float | None]) -> dict[ApproachId, float | None]:
    for key, value in totals_usd.items():
        if key not in APPROACH_IDS:
            raise UnknownIdError("approach", key, list(APPROACH_IDS), field="totals_usd")
        if value is not None and (not math.isfinite(value) or value < 0):
            raise EstimatorError(f"totals_usd.{key}: expected a finite amount >= 0, got {value}")
    return {approach: totals_usd.get(approach) for approach in APPROACH_IDS}


def _rank(
    approach: ApproachId,
    standing: Standing,
    preferred: ApproachId | None,
    totals: Mapping[ApproachId, float | None],
) -> tuple[int, int, int, float, int]:
    """Sort key, best highest: eligible first, then the tree's first stop, fit, cost, order."""
    if standing.gate == "avoid" or standing.unsuited:
        tier = 0
    elif standing.gate == "capped":
        tier = 1
    else:
        tier = 2
    total = totals[approach] or 0.0
    first_stop = int(approach == preferred)
    return (tier, first_stop, standing.fit, -total, -APPROACH_IDS.index(approach))


def _preferred(problems: list[Problem]) -> ApproachId | None:
    """Retrieval comes first for knowledge (nothing else fixes facts, and a fine-tune would need
    it too); with no problem named, the article's cheapest, reversible start is prompting."""
    if "knowledge" in problems:
        return "rag"
    return None if problems else "prompting"


def _pick(
    standings: dict[ApproachId, Standing],
    problems: list[Problem],
    totals: Mapping[ApproachId, float | None],
    barred: Mapping[ApproachId, float],
) -> ApproachId | None:
    available = [a for a in APPROACH_IDS if totals[a] is not None and a not in barred]
    if not available:
        return None
    preferred = _preferred(problems)
    return max(available, key=lambda a: _rank(a, standings[a], preferred, totals))


def _verdict(
    approach: ApproachId,
    pick: ApproachId | None,
    combine_with: list[ApproachId],
    standing: Standing,
) -> Verdict:
    if approach == pick:
        return "recommended"
    if approach in combine_with:
        return "combined"
    if standing.gate == "avoid" or standing.unsuited:
        return "avoid"
    return "consider"


def _on_fine_tune_path(standings: dict[ApproachId, Standing], problems: list[Problem]) -> bool:
    """Whether the tree reaches a fine-tune for some problem (so its checks belong on the path)."""
    if {"cost", "latency"} & set(problems):
        return True
    return any(standings[a].roles[p][0] in ("lead", "next") for a in FINE_TUNES for p in problems)


def _no_problem_step() -> DecisionStep:
    return DecisionStep(
        problem=None,
        question="Which problem should the approach solve?",
        answer="None selected (task.problems is empty)",
        leads_to=["prompting"],
        note="Start with the cheapest, most reversible approach.",
        inputs=["task.problems"],
    )


def decide(
    scenario: Scenario,
    totals_usd: Mapping[str, float | None],
    unavailable_reasons: Mapping[str, str] | None = None,
    over_budget_ms: Mapping[str, float] | None = None,
    per_query_usd: Mapping[str, float | None] | None = None,
) -> Decision:
    """Walk the tree for each problem, weigh data and change rates, then pick: fit, then cost.

    `totals_usd` is each approach's total over `scenario.horizon_months` [USD]; None (or a missing
    id) means the approach cannot run with the chosen models. `unavailable_reasons` optionally
    says why, per approach id, in the cost engine's words. `over_budget_ms` gives, per approach
    id, how far its p95 latency is over `traffic.latency_budget_ms` [ms]: with `latency` among
    the problems, such an approach is held back and never recommended. `per_query_usd`
    [USD/query], where given, holds back an approach dearer per query and in total than a
    fitting alternative when the scenario names cost or latency.
    """
    totals = _check_totals(totals_usd)
    why = dict(unavailable_reasons or {})
    barred = latency_barred(scenario, over_budget_ms)
    problems = problems_of(scenario)
    # Data size and change rates hold for both fine-tunes alike: check once, copy to each.
    shared = Standing()
    fine_tune_steps = [data_check(scenario, shared), *change_check(scenario, shared)]
    standings = {
        a: shared.copy()
        if a in FINE_TUNES
        else Standing(absorbed_by_rag=a in ("prompting", "dspy"))
        for a in APPROACH_IDS
    }
    steps: list[DecisionStep] = []
    for problem in problems:
        for approach, role in branch_roles(problem, scenario, totals).items():
            standings[approach].roles[problem] = role
        steps.extend(branch_steps(problem, scenario, totals))
    if not problems:
        steps.append(_no_problem_step())
    if "latency" in problems and scenario.traffic.latency_budget_ms is not None:
        steps.append(budget_step(scenario, totals, barred))
    if _on_fine_tune_path(standings, problems):
        steps.extend(fine_tune_steps)
    for approach in APPROACH_IDS:
        side_checks(approach, scenario, standings[approach])
        _availability(approach, totals[approach], why.get(approach), standings[approach])
        if approach in barred:
            budget = scenario.traffic.latency_budget_ms or 0.0
            standings[approach].hold(
                "avoid",
                f"Misses the latency budget (traffic.latency_budget_ms): its p95 is "
                f"{budget + barred[approach]:,.0f} ms against {budget:,.0f} ms "
                f"({barred[approach]:,.0f} ms over); see its latency fixes.",
            )
    steps.extend(hold_dearer_on_both(scenario, standings, totals, per_query_usd))
    pick = _pick(standings, problems, totals, barred)
    recommendation = recommend_for(pick, scenario, standings, totals, barred)
    steps.append(
        DecisionStep(
            problem=None,
            question="What is the combined answer?",
            answer=recommendation.headline,
            leads_to=[pick, *recommendation.combine_with] if pick else [],
            note="Fit first, cost second.",
            inputs=["task.problems"],
        )
    )
    verdicts = [
        ApproachVerdict(
            approach=a,
            name=APPROACH_NAMES[a],
            verdict=_verdict(a, pick, recommendation.combine_with, standings[a]),
            fit=standings[a].fit,
            available=totals[a] is not None,
            reasons=combined_reason(a, recommendation)
            + approach_reasons(a, scenario, standings[a]),
        )
        for a in APPROACH_IDS
    ]
    return Decision(verdicts=verdicts, recommendation=recommendation, steps=steps)
