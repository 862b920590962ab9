"""The decision in words: the recommendation's reasons and each approach's, from the standings.

Every sentence names the scenario field it rests on, in parentheses, so a reader can find the
input to change. `recommend_for` assembles the recommendation once the pick is made.
"""

from __future__ import annotations

from collections.abc import Mapping

from estimators.decision.roles import far_cheaper_rag_lora
from estimators.decision.tree import FINE_TUNES, ROLE_POINTS, Standing, usd_text
from estimators.decision.verdicts import Recommendation
from estimators.ids import (
    APPROACH_IDS,
    APPROACH_NAMES,
    PROBLEM_LABELS,
    PROBLEMS,
    ApproachId,
    Problem,
)
from estimators.scenario import Scenario

_COMBINED_PHRASES: dict[ApproachId, str] = {
    "prompting": "a hand-tuned prompt",
    "dspy": "a DSPy-optimised prompt",
}


def led_by_problem(problem: Problem, scenario: Scenario, text: str) -> str:
    """A branch's sentence, led by its problem and the scenario fields behind it."""
    tried = str(scenario.task.prompting_tried).lower()
    where = (
        f"task.problems; task.prompting_tried is {tried}"
        if problem in ("style", "schema")
        else "task.problems"
    )
    return f"{PROBLEM_LABELS[problem]} ({where}): {text}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def problems_of(scenario: Scenario) -> list[Problem]:
    """The scenario's problems in the article's order, so equal inputs read the same."""
    return [p for p in PROBLEMS if p in scenario.task.problems]


def problem_reason(
    problem: Problem,
    pick: ApproachId,
    scenario: Scenario,
    standings: dict[ApproachId, Standing],
) -> str:
    """How the combined answer handles one problem: the pick itself, or a step to add later."""
    role, text = standings[pick].roles[problem]
    if role in ("lead", "part", "next"):
        return led_by_problem(problem, scenario, text)
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
        return led_by_problem(problem, scenario, text)
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
        gate_reason = lower_first(standings[target].gate_reasons[0])
        sentence += f" It is{also} held back: {gate_reason}"
    return led_by_problem(problem, scenario, sentence)


def cost_reason(
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
        for p in problems_of(scenario)
        if standing.roles[p][0] in ("wrong", "none", "later", "plateaued")
        and standings[pick].roles[p][0] in ("lead", "part", "next")
    ]
    tried = [
        PROBLEM_LABELS[p].lower()
        for p in problems_of(scenario)
        if standing.roles[p][0] == "plateaued"
    ]
    if standing.gate != "ok":
        why = f"it is held back: {lower_first(standing.gate_reasons[0])}"
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


NO_PROBLEM = (
    "No problem is selected (task.problems is empty): start with prompting, the cheapest "
    "approach and the one undone most easily."
)


def why_not_fine_tune(standings: dict[ApproachId, Standing], said: list[str]) -> list[str]:
    """When the tree led to a fine-tune that was not picked: the checks that held it back."""
    led = [a for a in FINE_TUNES if any(r == "lead" for r, _ in standings[a].roles.values())]
    if not led:
        return []
    standing = standings[led[0]]
    text = " ".join(said).lower()
    return [r for r in [*standing.gate_reasons, *standing.against] if lower_first(r) not in text]


def fallback_reason(pick: ApproachId, standing: Standing) -> str:
    """Why a held-back or unsuited approach still comes out on top: nothing better can run."""
    if standing.gate_reasons:
        caveat = lower_first(standing.gate_reasons[0])
    else:
        wrong = [PROBLEM_LABELS[p].lower() for p, (r, _) in standing.roles.items() if r == "wrong"]
        caveat = (
            f"on its own {APPROACH_NAMES[pick]} does not address {' or '.join(wrong)} "
            "(task.problems)."
        )
    return f"Picked only because nothing that fits better can run; mind that {caveat}"


def rag_lora_offer(
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
        f" It is held back for now: {lower_first(own.gate_reasons[0])}"
        if own.gate == "capped"
        else ""
    )
    return [
        f"Cost at this volume: {APPROACH_NAMES[pick]} totals {usd_text(theirs)} over "
        f"{scenario.horizon_months} months (traffic.queries_per_day, horizon_months), "
        f"{usd_text(theirs - mine)} more than {APPROACH_NAMES['rag_lora']} ({usd_text(mine)}), "
        f"which answers from the same retrieval: consider it once RAG is in place.{held}"
    ]


def combined_reason(approach: ApproachId, recommendation: Recommendation) -> list[str]:
    if approach not in recommendation.combine_with:
        return []
    return [
        f"Part of the recommendation ({recommendation.headline}; task.problems): it is used "
        "inside it, not on its own; the reasons below judge it alone."
    ]


def headline_for(pick: ApproachId, combine_with: list[ApproachId]) -> str:
    if not combine_with:
        return APPROACH_NAMES[pick]
    return f"{APPROACH_NAMES[pick]} with " + " and ".join(
        _COMBINED_PHRASES[a] for a in combine_with
    )


def prompts_to_combine(
    pick: ApproachId | None, scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> list[ApproachId]:
    """RAG carries a prompt: hand-tuned first, DSPy-optimised once hand-tuning has plateaued."""
    if pick != "rag" or not {"style", "schema"} & set(scenario.task.problems):
        return []
    if scenario.task.prompting_tried and totals["dspy"] is not None:
        return ["dspy"]
    return ["prompting"] if totals["prompting"] is not None else []


def approach_reasons(approach: ApproachId, scenario: Scenario, standing: Standing) -> list[str]:
    """Blocking reasons first, then one sentence per problem, then the data and change notes."""
    reasons = list(standing.gate_reasons)
    reasons += [led_by_problem(p, scenario, text) for p, (_, text) in standing.roles.items()]
    if not standing.roles:
        reasons.append(
            NO_PROBLEM
            if approach == "prompting"
            else "No problem is selected (task.problems is empty), so nothing calls for it yet."
        )
    return reasons + standing.notes


def recommend_for(
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
    problems = problems_of(scenario)
    reasons = [problem_reason(p, pick, scenario, standings) for p in problems]
    if not problems:
        reasons.append(NO_PROBLEM)
    if pick in FINE_TUNES:
        reasons.extend(standing.notes)
    else:
        reasons.extend(why_not_fine_tune(standings, reasons))
    if standing.gate != "ok" or standing.unsuited:
        reasons.append(fallback_reason(pick, standing))
    cost_sentence, cheapest, extra = cost_reason(pick, scenario, standings, totals)
    reasons.append(cost_sentence)
    reasons.extend(rag_lora_offer(pick, scenario, standings, totals))
    combine_with = prompts_to_combine(pick, scenario, totals)
    return Recommendation(
        approach=pick,
        headline=headline_for(pick, combine_with),
        combine_with=combine_with,
        reasons=reasons,
        cheapest=cheapest,
        extra_cost_usd=extra,
    )
