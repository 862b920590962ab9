"""Holds the tree puts on approaches after the walk: a latency budget missed, or an approach
dearer per query and in total than a fitting one when cost or latency is the problem.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from estimators.decision.tree import DecisionStep, Standing, usd_text
from estimators.errors import EstimatorError, UnknownIdError
from estimators.ids import APPROACH_IDS, APPROACH_NAMES, ApproachId
from estimators.scenario import Scenario


def per_query_text(amount: float) -> str:
    """A per-query amount with two significant digits ($0.0031, $0.00096)."""
    if amount <= 0:
        return "$0"
    digits = max(2, 1 - math.floor(math.log10(amount)))
    return f"${amount:,.{digits}f}"


def wrong_where_right(alternative: Standing, approach: Standing) -> bool:
    """Whether the alternative is the wrong tool for a named problem the approach is not wrong
    for (LoRA alone cannot stand in for retrieval on a knowledge problem, however cheap)."""
    return any(
        role == "wrong" and approach.roles.get(problem, ("none", ""))[0] != "wrong"
        for problem, (role, _) in alternative.roles.items()
    )


def hold_dearer_on_both(
    scenario: Scenario,
    standings: dict[ApproachId, Standing],
    totals: Mapping[ApproachId, float | None],
    per_query: Mapping[str, float | None] | None,
) -> list[DecisionStep]:
    """A cost or latency problem is never answered with an approach that costs more per query
    and over the horizon than a fitting alternative: one the tree does not hold back or rule
    out, and that leads, follows or takes part on some named problem (a prompt that has
    plateaued does not fit), and is not the wrong tool for a problem this one answers. Such an
    approach is held back; the step says by which one."""
    named = [p for p in ("cost", "latency") if p in scenario.task.problems]
    if not named or per_query is None:
        return []
    known = {
        a: (per_query[a], totals[a])
        for a in APPROACH_IDS
        if totals[a] is not None and per_query.get(a) is not None
    }
    fitting = [
        a
        for a in known
        if standings[a].gate == "ok"
        and not standings[a].unsuited
        and any(role in ("lead", "next", "part") for role, _ in standings[a].roles.values())
    ]
    held: list[ApproachId] = []
    by: list[ApproachId] = []
    months = f"{scenario.horizon_months} months"
    for approach, (query_usd, total_usd) in known.items():
        cheaper = [
            b
            for b in fitting
            if b != approach
            and known[b][0] < query_usd  # type: ignore[operator]
            and known[b][1] < total_usd  # type: ignore[operator]
            and not wrong_where_right(standings[b], standings[approach])
        ]
        if not cheaper or standings[approach].gate != "ok" or standings[approach].unsuited:
            continue
        best = min(cheaper, key=lambda b: (known[b][1], APPROACH_IDS.index(b)))
        standings[approach].hold(
            "capped",
            f"{APPROACH_NAMES[approach]} costs more per query ({per_query_text(query_usd)}) "  # type: ignore[arg-type]
            f"and over {months} ({usd_text(total_usd)}) than {APPROACH_NAMES[best]} "  # type: ignore[arg-type]
            f"({per_query_text(known[best][0])}, {usd_text(known[best][1])}), and "  # type: ignore[arg-type]
            f"{' and '.join(named)} is a problem to solve (task.problems): it would not cut it.",
        )
        held.append(approach)
        by.append(best)
    if not held:
        return []
    return [
        DecisionStep(
            problem=None,
            question="Does any approach cost more per query and in total than a fitting one?",
            answer="Yes: "
            + ", ".join(
                f"{APPROACH_NAMES[a]} (dearer than {APPROACH_NAMES[b]})"
                for a, b in zip(held, by, strict=True)
            ),
            leads_to=list(dict.fromkeys(by)),
            note=f"With {' and '.join(named)} named, one dearer on both counts is held back.",
            inputs=["task.problems", "traffic.queries_per_day", "horizon_months"],
        )
    ]


def latency_barred(
    scenario: Scenario, over_budget_ms: Mapping[str, float] | None
) -> dict[ApproachId, float]:
    """Approaches whose p95 misses the budget [ms over], when latency is a problem to solve."""
    misses = dict(over_budget_ms or {})
    for key, value in misses.items():
        if key not in APPROACH_IDS:
            raise UnknownIdError("approach", key, list(APPROACH_IDS), field="over_budget_ms")
        if not math.isfinite(value) or value <= 0:
            raise EstimatorError(f"over_budget_ms.{key}: expected a finite amount > 0, got {value}")
    if "latency" not in scenario.task.problems or scenario.traffic.latency_budget_ms is None:
        return {}
    return {a: misses[a] for a in APPROACH_IDS if a in misses}


def budget_step(
    scenario: Scenario,
    totals: Mapping[ApproachId, float | None],
    barred: Mapping[ApproachId, float],
) -> DecisionStep:
    budget = scenario.traffic.latency_budget_ms or 0.0
    within = [a for a in APPROACH_IDS if totals[a] is not None and a not in barred]
    missing = ", ".join(f"{APPROACH_NAMES[a]} by {ms:,.0f} ms" for a, ms in barred.items())
    return DecisionStep(
        problem="latency",
        question=f"Which approaches answer within {budget:,.0f} ms at p95?",
        answer=", ".join(APPROACH_NAMES[a] for a in within) or "None",
        leads_to=within,
        note=f"Over budget: {missing}." if missing else "Every approach that can run is within it.",
        inputs=["traffic.latency_budget_ms"],
    )
