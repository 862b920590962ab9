"""The decision tree of "Fine-Tuning: When & Why", walked for every problem a scenario names.

`decide()` turns a scenario and each approach's total cost over the horizon into a verdict per
approach, one recommendation (fit first, cost second) and the path taken through the tree, as
data the dashboard and the PDF can draw. Pure functions; what each approach does on each
problem's branch lives in `estimators.decision.roles`, the steps, checks and thresholds in
`estimators.decision.tree` (re-exported here). Reasons name the scenario field they rest on, in
parentheses, so a reader can find the input to change.

Size: Too long: the pick, the holds (cost, budget) and the reasons should be split; left for a
follow-up issue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from estimators.decision.roles import branch_roles, far_cheaper_rag_lora
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
    ROLE_POINTS,
    WORKABLE_FINE_TUNE_EXAMPLES,
    DecisionStep,
    Role,
    Standing,
    branch_steps,
    change_check,
    data_check,
    reasoning_word,
    side_checks,
    usd_text,
)
from estimators.errors import EstimatorError, UnknownIdError
from estimators.ids import (
    APPROACH_IDS,
    APPROACH_NAMES,
    PROBLEM_LABELS,
    PROBLEMS,
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

SOURCE = "Fine-Tuning: When & Why"

_COMBINED_PHRASES: dict[ApproachId, str] = {
    "prompting": "a hand-tuned prompt",
    "dspy": "a DSPy-optimised prompt",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ApproachVerdict(_Frozen):
    """What the framework says about one approach for this scenario, and why."""

    approach: ApproachId
    name: str
    verdict: Verdict
    fit: int  # fit points over all problems, penalties included
    available: bool
    reasons: list[str]


class Recommendation(_Frozen):
    """The one approach to start with; cost only decides between equally fitting ones."""

    approach: ApproachId | None
    headline: str
    combine_with: list[ApproachId]
    reasons: list[str]
    cheapest: ApproachId | None
    extra_cost_usd: float | None  # recommended total − cheapest total over the horizon [USD]


class Decision(_Frozen):
    """Verdicts in the article's order, the recommendation and the path taken through the tree."""

    verdicts: list[ApproachVerdict]
    recommendation: Recommendation
    steps: list[DecisionStep]
    source: str = SOURCE

    def verdict(self, approach: ApproachId) -> ApproachVerdict:
        return next(v for v in self.verdicts if v.approach == approach)


# --- Reading the standings ---------------------------------------------------------------------


def _reason(problem: Problem, scenario: Scenario, text: str) -> str:
    """A branch's sentence, led by its problem and the scenario fields behind it."""
    tried = str(scenario.task.prompting_tried).lower()
    where = (
        f"task.problems; task.prompting_tried is {tried}"
        if problem in ("style", "schema")
        else "task.problems"
    )
    return f"{PROBLEM_LABELS[problem]} ({where}): {text}"


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


# --- Putting it together -----------------------------------------------------------------------


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


def _combined_reason(approach: ApproachId, recommendation: Recommendation) -> list[str]:
    if approach not in recommendation.combine_with:
        return []
    return [
        f"Part of the recommendation ({recommendation.headline}; task.problems): it is used "
        "inside it, not on its own; the reasons below judge it alone."
    ]


def _headline(pick: ApproachId, combine_with: list[ApproachId]) -> str:
    if not combine_with:
        return APPROACH_NAMES[pick]
    return f"{APPROACH_NAMES[pick]} with " + " and ".join(
        _COMBINED_PHRASES[a] for a in combine_with
    )


def _combine_with(
    pick: ApproachId | None, scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> list[ApproachId]:
    """RAG carries a prompt: hand-tuned first, DSPy-optimised once hand-tuning has plateaued."""
    if pick != "rag" or not {"style", "schema"} & set(scenario.task.problems):
        return []
    if scenario.task.prompting_tried and totals["dspy"] is not None:
        return ["dspy"]
    return ["prompting"] if totals["prompting"] is not None else []


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _problem_reason(
    problem: Problem,
    pick: ApproachId,
    scenario: Scenario,
    standings: dict[ApproachId, Standing],
) -> str:
    """How the combined answer handles one problem: the pick itself, or a step to add later."""
    role, text = standings[pick].roles[problem]
    if role in ("lead", "part", "next"):
        return _reason(problem, scenario, text)
    ranked = sorted(
        APPROACH_IDS,
        key=lambda a: (
            ROLE_POINTS[standings[a].roles[problem][0]]
            + (1 if standings[a].roles[problem][0] == "later" else 0)
        ),
        reverse=True,
    )
    target = ranked[0]
    target_role, target_text = standings[target].roles[problem]
    if target == pick or target_role in ("none", "wrong"):
        return _reason(problem, scenario, text)
    sentence = f"the tree points to {APPROACH_NAMES[target]}"
    held = standings[target].gate != "ok"
    if target_role == "later":
        sentence += f", but {target_text}"
    elif held:
        sentence += "."
    else:
        fed = ", fed by the same retrieval," if target in FINE_TUNES and pick == "rag" else ""
        sentence += f"; add it{fed} once {APPROACH_NAMES[pick]} is in place."
    if held:
        also = " also" if target_role == "later" else ""
        gate_reason = _lower_first(standings[target].gate_reasons[0])
        sentence += f" It is{also} held back: {gate_reason}"
    return _reason(problem, scenario, sentence)


def _cost_reason(
    pick: ApproachId,
    scenario: Scenario,
    standings: dict[ApproachId, Standing],
    totals: Mapping[ApproachId, float | None],
) -> tuple[str, ApproachId, float]:
    """The cost sentence, the cheapest approach and how much more the pick costs [USD]."""
    known = {a: t for a, t in totals.items() if t is not None}
    cheapest = min(known, key=lambda a: (known[a], APPROACH_IDS.index(a)))
    months = f"{scenario.horizon_months} months (horizon_months)"
    if cheapest == pick:
        sentence = f"It is also the cheapest approach over {months}: {usd_text(known[pick])}."
        return sentence, cheapest, 0.0
    extra = known[pick] - known[cheapest]
    standing = standings[cheapest]
    missing = [
        PROBLEM_LABELS[p].lower()
        for p in _problems(scenario)
        if standing.roles[p][0] in ("wrong", "none", "later", "plateaued")
        and standings[pick].roles[p][0] in ("lead", "part", "next")
    ]
    tried = [
        PROBLEM_LABELS[p].lower()
        for p in _problems(scenario)
        if standing.roles[p][0] == "plateaued"
    ]
    if standing.gate != "ok":
        why = f"it is held back: {_lower_first(standing.gate_reasons[0])}"
    elif tried:
        why = f"it has already been tried and plateaued ({'; '.join(tried)})."
    elif missing:
        why = "it does not address " + " or ".join(missing) + "."
    else:
        why = "it fits the problems less well (see its reasons)."
    sentence = (
        f"Fit comes first, cost second: {APPROACH_NAMES[cheapest]} is the cheapest over {months} "
        f"at {usd_text(known[cheapest])}, {usd_text(extra)} less than {APPROACH_NAMES[pick]} "
        f"({usd_text(known[pick])}), but {why}"
    )
    return sentence, cheapest, extra


_NO_PROBLEM = (
    "No problem is selected (task.problems is empty): start with prompting, the cheapest "
    "approach and the one undone most easily."
)


def _why_not_fine_tune(standings: dict[ApproachId, Standing], said: list[str]) -> list[str]:
    """When the tree led to a fine-tune that was not picked: the checks that held it back."""
    led = [a for a in FINE_TUNES if any(r == "lead" for r, _ in standings[a].roles.values())]
    if not led:
        return []
    standing = standings[led[0]]
    text = " ".join(said).lower()
    return [r for r in [*standing.gate_reasons, *standing.against] if _lower_first(r) not in text]


def _fallback_reason(pick: ApproachId, standing: Standing) -> str:
    """Why a held-back or unsuited approach still comes out on top: nothing better can run."""
    if standing.gate_reasons:
        caveat = _lower_first(standing.gate_reasons[0])
    else:
        wrong = [PROBLEM_LABELS[p].lower() for p, (r, _) in standing.roles.items() if r == "wrong"]
        caveat = (
            f"on its own {APPROACH_NAMES[pick]} does not address {' or '.join(wrong)} "
            "(task.problems)."
        )
    return f"Picked only because nothing that fits better can run; mind that {caveat}"


def _rag_lora_offer(
    pick: ApproachId,
    scenario: Scenario,
    standings: dict[ApproachId, Standing],
    totals: Mapping[ApproachId, float | None],
) -> list[str]:
    """Issue 16: when the pick costs far more than RAG on the fine-tuned small model, which
    answers from the same retrieval and is not held back or ruled out, say so and offer it."""
    own = standings["rag_lora"]
    if (
        pick == "rag_lora"
        or "knowledge" not in scenario.task.problems
        or own.gate == "avoid"
        or own.unsuited
        or not far_cheaper_rag_lora(totals, pick)
    ):
        return []
    mine, theirs = totals["rag_lora"] or 0.0, totals[pick] or 0.0
    held = (
        f" It is held back for now: {_lower_first(own.gate_reasons[0])}"
        if own.gate == "capped"
        else ""
    )
    return [
        f"Cost at this volume: {APPROACH_NAMES[pick]} totals {usd_text(theirs)} over "
        f"{scenario.horizon_months} months (traffic.queries_per_day, horizon_months), "
        f"{usd_text(theirs - mine)} more than {APPROACH_NAMES['rag_lora']} ({usd_text(mine)}), "
        f"which answers from the same retrieval: consider it once RAG is in place.{held}"
    ]


def _recommendation(
    pick: ApproachId | None,
    scenario: Scenario,
    standings: dict[ApproachId, Standing],
    totals: Mapping[ApproachId, float | None],
    barred: Mapping[ApproachId, float],
) -> Recommendation:
    if pick is None and barred:
        return Recommendation(
            approach=None,
            headline="No approach meets the latency budget",
            combine_with=[],
            reasons=[
                f"Every approach that can run misses traffic.latency_budget_ms "
                f"({scenario.traffic.latency_budget_ms:,.0f} ms at p95), and latency is one of "
                "the problems to solve (task.problems). Each approach's latency lists what would "
                "bring it down; or loosen the budget."
            ],
            cheapest=None,
            extra_cost_usd=None,
        )
    if pick is None:
        return Recommendation(
            approach=None,
            headline="No approach can run with the chosen models",
            combine_with=[],
            reasons=[
                "None of the approaches has a cost with the chosen models (models.general, "
                "models.small, models.large); choose catalogue models that can run."
            ],
            cheapest=None,
            extra_cost_usd=None,
        )
    standing = standings[pick]
    problems = _problems(scenario)
    reasons = [_problem_reason(p, pick, scenario, standings) for p in problems]
    if not problems:
        reasons.append(_NO_PROBLEM)
    if pick in FINE_TUNES:
        reasons.extend(standing.notes)
    else:
        reasons.extend(_why_not_fine_tune(standings, reasons))
    if standing.gate != "ok" or standing.unsuited:
        reasons.append(_fallback_reason(pick, standing))
    cost_sentence, cheapest, extra = _cost_reason(pick, scenario, standings, totals)
    reasons.append(cost_sentence)
    reasons.extend(_rag_lora_offer(pick, scenario, standings, totals))
    combine_with = _combine_with(pick, scenario, totals)
    return Recommendation(
        approach=pick,
        headline=_headline(pick, combine_with),
        combine_with=combine_with,
        reasons=reasons,
        cheapest=cheapest,
        extra_cost_usd=extra,
    )


def _per_query_text(amount: float) -> str:
    """A per-query amount with two significant digits ($0.0031, $0.00096)."""
    if amount <= 0:
        return "$0"
    digits = max(2, 1 - math.floor(math.log10(amount)))
    return f"${amount:,.{digits}f}"


def _wrong_where_right(alternative: Standing, approach: Standing) -> bool:
    """Whether the alternative is the wrong tool for a named problem the approach is not wrong
    for (LoRA alone cannot stand in for retrieval on a knowledge problem, however cheap)."""
    return any(
        role == "wrong" and approach.roles.get(problem, ("none", ""))[0] != "wrong"
        for problem, (role, _) in alternative.roles.items()
    )


def _hold_dearer_on_both(
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
            and not _wrong_where_right(standings[b], standings[approach])
        ]
        if not cheaper or standings[approach].gate != "ok" or standings[approach].unsuited:
            continue
        best = min(cheaper, key=lambda b: (known[b][1], APPROACH_IDS.index(b)))
        standings[approach].hold(
            "capped",
            f"{APPROACH_NAMES[approach]} costs more per query ({_per_query_text(query_usd)}) "  # type: ignore[arg-type]
            f"and over {months} ({usd_text(total_usd)}) than {APPROACH_NAMES[best]} "  # type: ignore[arg-type]
            f"({_per_query_text(known[best][0])}, {usd_text(known[best][1])}), and "  # type: ignore[arg-type]
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


def _problems(scenario: Scenario) -> list[Problem]:
    """The scenario's problems in the article's order, so equal inputs read the same."""
    return [p for p in PROBLEMS if p in scenario.task.problems]


def _approach_reasons(approach: ApproachId, scenario: Scenario, standing: Standing) -> list[str]:
    """Blocking reasons first, then one sentence per problem, then the data and change notes."""
    reasons = list(standing.gate_reasons)
    reasons += [_reason(p, scenario, text) for p, (_, text) in standing.roles.items()]
    if not standing.roles:
        reasons.append(
            _NO_PROBLEM
            if approach == "prompting"
            else "No problem is selected (task.problems is empty), so nothing calls for it yet."
        )
    return reasons + standing.notes


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


def _latency_barred(
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


def _budget_step(
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
    barred = _latency_barred(scenario, over_budget_ms)
    problems = _problems(scenario)
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
        steps.append(_budget_step(scenario, totals, barred))
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
    steps.extend(_hold_dearer_on_both(scenario, standings, totals, per_query_usd))
    pick = _pick(standings, problems, totals, barred)
    recommendation = _recommendation(pick, scenario, standings, totals, barred)
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
            reasons=_combined_reason(a, recommendation)
            + _approach_reasons(a, scenario, standings[a]),
        )
        for a in APPROACH_IDS
    ]
    return Decision(verdicts=verdicts, recommendation=recommendation, steps=steps)
