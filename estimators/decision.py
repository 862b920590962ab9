"""The decision tree of "Fine-Tuning: When & Why", walked for every problem a scenario names.

`decide()` turns a scenario and each approach's total cost over the horizon into a verdict per
approach, one recommendation (fit first, cost second) and the path taken through the tree, as
data the dashboard and the PDF can draw. Pure functions; every threshold is a named constant that
says where it comes from. Reasons name the scenario field they rest on, in parentheses, so a
reader can find the input to change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict

from estimators.approach import APPROACH_IDS, ApproachId
from estimators.errors import EstimatorError, UnknownIdError
from estimators.scenario import PROBLEMS, Problem, Scenario

SOURCE = "Fine-Tuning: When & Why"

Verdict = Literal["recommended", "consider", "avoid"]
# How an approach stands on one branch of the tree: the branch's current step (lead), the step
# after it (next), a component of a combined answer (part), a step only after earlier ones fail
# (later), already tried without success (plateaued), unrelated (none), or the tool the article
# warns against for that problem (wrong).
Role = Literal["lead", "next", "part", "later", "plateaued", "none", "wrong"]

APPROACH_NAMES: dict[ApproachId, str] = {
    "prompting": "Prompting",
    "dspy": "DSPy prompt optimisation",
    "rag": "RAG",
    "lora": "LoRA fine-tune (small model)",
    "full": "Full fine-tune (large model)",
}
FINE_TUNES: tuple[ApproachId, ...] = ("lora", "full")
PROBLEM_LABELS: dict[Problem, str] = {
    "style": "Style, tone or format",
    "knowledge": "Proprietary knowledge",
    "schema": "Strict output schema",
    "cost": "Inference cost",
    "latency": "Latency",
}

# --- Data size [labelled examples] -------------------------------------------------------------
# The article: 50–100 good examples at minimum for behavioural fine-tuning, 500+ for reliable
# results, 1,000+ for complex multi-step reasoning; below ~100 a fine-tune memorises its training
# set instead of generalising, so fine-tuning "loses".
MIN_FINE_TUNE_EXAMPLES = 50  # below this: avoid
WORKABLE_FINE_TUNE_EXAMPLES = 100  # 50–99 is the bare floor: risky, never recommended
RELIABLE_FINE_TUNE_EXAMPLES = 500
REASONING_FINE_TUNE_EXAMPLES = 1_000
# DSPy's optimiser docs: the training set "may be very small (i.e., only 5 or 10 examples)".
MIN_DSPY_DEV_EXAMPLES = 10

# --- Change frequency [per year] ---------------------------------------------------------------
# The article: fine-tuning loses when the task changes often, because a retrain takes days where
# a prompt or index update takes minutes. Quarterly changes make retraining a standing cost
# (weighs against); monthly ones leave the model a retrain behind most of the time (never
# recommended).
FREQUENT_TASK_CHANGES_PER_YEAR = 4.0
CONSTANT_TASK_CHANGES_PER_YEAR = 12.0
# The article: a new base model strands a fine-tune on the old one (lock-in), so the investment
# does not compound; quarterly releases mean redoing it at every one.
FREQUENT_BASE_UPDATES_PER_YEAR = 4.0

# No scenario field says "multi-step reasoning" (the 1,000+ tier), so words in task.description
# stand in for it and the reason quotes the word that matched.
REASONING_WORDS = (
    "multi-step",
    "multistep",
    "multi step",
    "step-by-step",
    "step by step",
    "chain of thought",
    "reasoning",
)

# Fit points: the tree's current step counts double a next step or a component; a wrong tool
# cancels a lead. Penalties (frequent changes, lock-in, thin data for reasoning) cost one point.
_ROLE_POINTS: dict[Role, int] = {
    "lead": 2,
    "next": 1,
    "part": 1,
    "later": 0,
    "plateaued": 0,
    "none": 0,
    "wrong": -2,
}
_COMBINED_PHRASES: dict[ApproachId, str] = {
    "prompting": "a hand-tuned prompt",
    "dspy": "a DSPy-optimised prompt",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DecisionStep(_Frozen):
    """One node of the path through the tree; `problem` is None for checks spanning problems."""

    problem: Problem | None
    question: str
    answer: str
    leads_to: list[ApproachId]
    note: str = ""
    inputs: list[str]


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


@dataclass
class _Standing:
    """Working notes on one approach while the tree is walked."""

    roles: dict[Problem, tuple[Role, str]] = field(default_factory=dict)
    gate: Literal["ok", "capped", "avoid"] = "ok"
    gate_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    penalty: int = 0
    against: list[str] = field(default_factory=list)  # the notes behind the penalty
    absorbed_by_rag: bool = False

    def copy(self) -> _Standing:
        return replace(
            self,
            roles=dict(self.roles),
            gate_reasons=list(self.gate_reasons),
            notes=list(self.notes),
            against=list(self.against),
        )

    def weigh_against(self, reason: str) -> None:
        self.penalty += 1
        self.against.append(reason)
        self.notes.append(reason)

    def hold(self, gate: Literal["capped", "avoid"], reason: str) -> None:
        if gate == "avoid" or self.gate == "ok":
            self.gate = gate
        self.gate_reasons.append(reason)

    @property
    def fit(self) -> int:
        return sum(_ROLE_POINTS[role] for role, _ in self.roles.values()) - self.penalty

    @property
    def unsuited(self) -> bool:
        """Wrong for some problem and the tree's answer to none; prompting and DSPy are also
        unsuited to knowledge on their own, since adding retrieval to them is RAG itself."""
        roles = [role for role, _ in self.roles.values()]
        if self.absorbed_by_rag and self.roles.get("knowledge", ("none",))[0] == "wrong":
            return True
        return "wrong" in roles and "lead" not in roles


def _usd(amount: float) -> str:
    return f"${amount:,.0f}" if abs(amount) >= 100 else f"${amount:,.2f}"


def _times(per_year: float) -> str:
    return "once a year" if per_year == 1 else f"{per_year:g} times a year"


def reasoning_word(description: str) -> str | None:
    """The first REASONING_WORDS entry found in a task description, if any."""
    text = description.lower()
    return next((word for word in REASONING_WORDS if word in text), None)


# --- The tree, one branch per problem ----------------------------------------------------------


def _style_roles(
    tried: bool, with_knowledge: bool, with_small_model: bool
) -> dict[ApproachId, tuple[Role, str]]:
    rag: tuple[Role, str] = (
        (
            "part",
            "the tone and format rules go into the same prompt that carries the retrieved text.",
        )
        if with_knowledge
        else ("wrong", "retrieval adds facts to the prompt, not a tone or a format.")
    )
    carried: tuple[Role, str] = (
        "part",
        "the training examples carry the tone and format too; getting them right in a prompt "
        "first gives better examples to train on.",
    )
    if not tried:
        roles: dict[ApproachId, tuple[Role, str]] = {
            "prompting": (
                "lead",
                "write the tone and format rules, with a few examples, into the prompt first: "
                "the cheapest fix, and it can be undone at once.",
            ),
            "dspy": (
                "next",
                "once hand-edited prompts stop improving, let DSPy search for better ones "
                "against a small labelled set, still without touching weights.",
            ),
            "rag": rag,
            "lora": ("later", "fine-tune only if prompting and then DSPy both fail."),
            "full": (
                "later",
                "fine-tune only if prompting and then DSPy both fail; changing every weight of a "
                "large model is the heaviest way to fix style.",
            ),
        }
        return roles | ({"lora": carried} if with_small_model else {})
    roles = {
        "prompting": (
            "plateaued",
            "hand-written prompts have plateaued; keep the best one as the base for the next step.",
        ),
        "dspy": (
            "lead",
            "prompts have plateaued, so search them systematically with DSPy before changing "
            "weights: cheaper, and reversible (Khattab et al. 2023).",
        ),
        "rag": rag,
        "lora": (
            "next",
            "if DSPy also falls short, a LoRA fine-tune can learn the style from examples; "
            "fine-tuning beats few-shot prompting most clearly on unusual formats "
            "(Brown et al. 2020).",
        ),
        "full": (
            "later",
            "style rarely needs every weight of a large model changed; LoRA shifts behaviour "
            "with less forgetting.",
        ),
    }
    return roles | ({"lora": carried} if with_small_model else {})


def _knowledge_roles() -> dict[ApproachId, tuple[Role, str]]:
    fine_tune = (
        "fine-tuning shifts how the model writes, not which facts it can reliably recall "
        "(Kandpal et al. 2022), so it would sound right and invent specifics."
    )
    return {
        "prompting": (
            "wrong",
            "without retrieval the model fills gaps with plausible inventions, such as knowledge-"
            "base IDs that do not exist; its instructions carry over into the RAG prompt.",
        ),
        "dspy": (
            "wrong",
            "a better-searched prompt still cannot supply facts the model never saw.",
        ),
        "rag": (
            "lead",
            "retrieve your documents into the prompt at query time: the model cites what is in "
            "front of it, and updating the index updates the answers.",
        ),
        "lora": ("wrong", fine_tune),
        "full": ("wrong", fine_tune),
    }


def _schema_roles(tried: bool, with_knowledge: bool) -> dict[ApproachId, tuple[Role, str]]:
    rag: tuple[Role, str] = (
        ("part", "structured output applies to the RAG prompt as well.")
        if with_knowledge
        else ("wrong", "retrieval does not change the shape of the output.")
    )
    if not tried:
        return {
            "prompting": (
                "lead",
                "ask for structured output or use constrained decoding first: the schema is "
                "enforced without any training.",
            ),
            "dspy": (
                "next",
                "if conformance still slips, DSPy can search for instructions and examples "
                "that hold the schema.",
            ),
            "rag": rag,
            "lora": ("later", "fine-tune only if the schema is still unreliable after that."),
            "full": ("later", "fine-tune only if the schema is still unreliable after that."),
        }
    return {
        "prompting": (
            "plateaued",
            "structured output alone has not made the schema reliable; keep it switched on.",
        ),
        "dspy": (
            "next",
            "DSPy-optimised prompts often match fine-tuned models on structured tasks: a cheaper, "
            "reversible try before training (Khattab et al. 2023).",
        ),
        "rag": rag,
        "lora": (
            "lead",
            "structured output has been tried and the schema is still unreliable, so fine-tune "
            "on examples of it; fine-tuning beats few-shot prompting on formats unlike "
            "pre-training text (Brown et al. 2020).",
        ),
        "full": (
            "next",
            "a full fine-tune of the large model is the heavier fallback if a small one cannot "
            "hold the schema.",
        ),
    }


def _cost_roles(payback: str | None) -> dict[ApproachId, tuple[Role, str]]:
    distil = (
        "specialise the small model on the task (distillation): it typically keeps over 90% "
        "of a large model's accuracy at about a tenth of the serving cost."
    )
    lora: tuple[Role, str] = ("lead", distil) if payback is None else ("later", payback)
    return {
        "prompting": ("none", "the general model, prompted as today, is the cost to cut."),
        "dspy": (
            "none",
            "the optimised prompt still runs on the general model, and its worked examples "
            "add tokens to every query.",
        ),
        "rag": ("wrong", "retrieved context adds tokens to every query, raising its cost."),
        "lora": lora,
        "full": (
            "wrong",
            "a fine-tuned large model costs as much per token as its base or more, so it does "
            "not cut serving cost.",
        ),
    }


def _latency_roles() -> dict[ApproachId, tuple[Role, str]]:
    return {
        "prompting": ("none", "prompt changes barely move the general model's speed."),
        "dspy": ("none", "DSPy's worked examples lengthen the prompt, if anything adding latency."),
        "rag": ("wrong", "a search and a longer prompt add to every answer's latency."),
        "lora": (
            "lead",
            "a smaller model specialised on the task answers faster: one of fine-tuning's "
            "clearest wins.",
        ),
        "full": ("wrong", "a large model is as slow after fine-tuning as before."),
    }


def _payback(scenario: Scenario, totals: Mapping[ApproachId, float | None]) -> str | None:
    """Why the LoRA fine-tune does not yet pay for itself against prompting, or None if it does."""
    lora, prompting = totals["lora"], totals["prompting"]
    if lora is None or prompting is None or lora < prompting:
        return None
    return (
        f"at {scenario.traffic.queries_per_day:,.0f} queries a day the fine-tune totals "
        f"{_usd(lora)} over {scenario.horizon_months} months against {_usd(prompting)} for "
        "prompting, so it does not pay back within the horizon yet (traffic.queries_per_day, "
        "horizon_months); revisit as volume grows."
    )


def _branch_roles(
    problem: Problem, scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> dict[ApproachId, tuple[Role, str]]:
    tried = scenario.task.prompting_tried
    with_knowledge = "knowledge" in scenario.task.problems
    if problem == "style":
        small = bool({"cost", "latency"} & set(scenario.task.problems))
        return _style_roles(tried, with_knowledge, small)
    if problem == "knowledge":
        return _knowledge_roles()
    if problem == "schema":
        return _schema_roles(tried, with_knowledge)
    if problem == "cost":
        return _cost_roles(_payback(scenario, totals))
    return _latency_roles()


def _reason(problem: Problem, scenario: Scenario, text: str) -> str:
    tried = str(scenario.task.prompting_tried).lower()
    where = (
        f"task.problems; task.prompting_tried is {tried}"
        if problem in ("style", "schema")
        else "task.problems"
    )
    return f"{PROBLEM_LABELS[problem]} ({where}): {text}"


def _branch_steps(
    problem: Problem, scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> list[DecisionStep]:
    tried = scenario.task.prompting_tried
    answer = "Yes (task.prompting_tried is true)" if tried else "No (task.prompting_tried is false)"
    if problem == "style":
        return [
            DecisionStep(
                problem=problem,
                question="Have hand-written prompts been tried and stopped improving?",
                answer=answer,
                leads_to=["dspy"] if tried else ["prompting"],
                note="Fine-tune only if DSPy also fails." if tried else "DSPy next, then LoRA.",
                inputs=["task.prompting_tried"],
            )
        ]
    if problem == "schema":
        return [
            DecisionStep(
                problem=problem,
                question="Has structured output or constrained decoding been tried, and does "
                "the schema still break?",
                answer=answer,
                leads_to=["lora"] if tried else ["prompting"],
                note="DSPy is a cheaper try first." if tried else "Fine-tune only if it breaks.",
                inputs=["task.prompting_tried"],
            )
        ]
    if problem == "knowledge":
        docs = scenario.data.knowledge_base.documents
        return [
            DecisionStep(
                problem=problem,
                question="Does the model need facts from your own data?",
                answer="Yes (task.problems includes knowledge)",
                leads_to=["rag"],
                note=f"{docs:,} documents to index (data.knowledge_base.documents).",
                inputs=["task.problems", "data.knowledge_base.documents"],
            )
        ]
    steps = [
        DecisionStep(
            problem=problem,
            question="Can a smaller model be specialised for this task?",
            answer="Yes: distil the task into the small model (models.small)",
            leads_to=["lora"],
            note="Distillation keeps over 90% of the accuracy at about a tenth of the serving cost."
            if problem == "cost"
            else "A smaller model answers faster; training wins back the quality.",
            inputs=["task.problems", "models.small"],
        )
    ]
    lora, prompting = totals["lora"], totals["prompting"]
    if problem == "cost" and lora is not None and prompting is not None:
        pays = lora < prompting
        steps.append(
            DecisionStep(
                problem=problem,
                question=f"Does the fine-tune pay back within {scenario.horizon_months} months?",
                answer=f"{'Yes' if pays else 'No'}: {_usd(lora)} against {_usd(prompting)} "
                "for prompting",
                leads_to=["lora"] if pays else ["prompting"],
                note="" if pays else "Revisit when traffic grows.",
                inputs=["traffic.queries_per_day", "horizon_months"],
            )
        )
    return steps


# --- Checks that span problems -----------------------------------------------------------------


def _data_check(scenario: Scenario, standing: _Standing) -> DecisionStep:
    """Data size against the article's thresholds (both fine-tunes), and the reasoning hint."""
    n = scenario.data.labelled_examples
    examples = f"{n:,} labelled examples (data.labelled_examples)"
    cost_side = bool({"cost", "latency"} & set(scenario.task.problems))
    if n < MIN_FINE_TUNE_EXAMPLES:
        hint = (
            " The general model's answers on real traffic are a quick source of distillation data."
            if cost_side
            else ""
        )
        standing.hold(
            "avoid",
            f"Only {examples}: below {MIN_FINE_TUNE_EXAMPLES} a fine-tune memorises its examples "
            f"instead of learning the behaviour.{hint}",
        )
        answer = f"No: {n:,}, under {MIN_FINE_TUNE_EXAMPLES}"
    elif n < WORKABLE_FINE_TUNE_EXAMPLES:
        standing.hold(
            "capped",
            f"{examples} is the bare floor for behaviour ({MIN_FINE_TUNE_EXAMPLES}–"
            f"{WORKABLE_FINE_TUNE_EXAMPLES}): risky, so not recommended below "
            f"{WORKABLE_FINE_TUNE_EXAMPLES}.",
        )
        answer = f"Barely: {n:,} is the risky floor"
    elif n < RELIABLE_FINE_TUNE_EXAMPLES:
        standing.notes.append(
            f"{examples} is workable for teaching behaviour; "
            f"{RELIABLE_FINE_TUNE_EXAMPLES}+ gives reliable results."
        )
        answer = f"Workable: {n:,} teaches behaviour"
    else:
        standing.notes.append(f"{examples} is enough for reliable results.")
        answer = f"Yes: {n:,} is enough for reliable results"
    word = reasoning_word(scenario.task.description)
    if word is not None:
        reasoning = (
            f"The task description mentions '{word}' (task.description): multi-step reasoning "
            f"wants {REASONING_FINE_TUNE_EXAMPLES:,}+ examples"
        )
        if n >= REASONING_FINE_TUNE_EXAMPLES:
            standing.notes.append(f"{reasoning}, and there are {n:,}.")
        else:
            standing.weigh_against(f"{reasoning}, and there are only {n:,}.")
    return DecisionStep(
        problem=None,
        question="Are there enough labelled examples to fine-tune?",
        answer=answer,
        leads_to=[] if standing.gate == "avoid" else list(FINE_TUNES),
        note=f"Floors: {MIN_FINE_TUNE_EXAMPLES} / {WORKABLE_FINE_TUNE_EXAMPLES} / "
        f"{RELIABLE_FINE_TUNE_EXAMPLES} / {REASONING_FINE_TUNE_EXAMPLES:,} for reasoning.",
        inputs=["data.labelled_examples", "task.description"],
    )


def _change_check(scenario: Scenario, standing: _Standing) -> list[DecisionStep]:
    changes = scenario.task.changes_per_year
    updates = scenario.base_model_updates_per_year
    task = f"The task changes {_times(changes)} (task.changes_per_year)"
    if changes >= CONSTANT_TASK_CHANGES_PER_YEAR:
        standing.hold(
            "capped",
            f"{task}: each change needs a retrain that takes days, so a fine-tuned model "
            "would be behind most of the time.",
        )
    elif changes >= FREQUENT_TASK_CHANGES_PER_YEAR:
        standing.weigh_against(
            f"{task}: each change means a training run of days, against minutes to edit a "
            "prompt or an index."
        )
    else:
        standing.notes.append(f"{task}: a retrain per change is manageable.")
    base = f"A new base model {_times(updates)} (base_model_updates_per_year)"
    if updates >= FREQUENT_BASE_UPDATES_PER_YEAR:
        standing.weigh_against(
            f"{base} strands the fine-tune each time: it must be redone on the new base, so "
            "the investment does not compound."
        )
    elif updates > 0:
        standing.notes.append(f"{base} means redoing the fine-tune about that often to move on.")
    else:
        standing.notes.append("No base-model updates expected (base_model_updates_per_year).")
    return [
        DecisionStep(
            problem=None,
            question="Does the task change often?",
            answer=f"{_times(changes).capitalize()}",
            leads_to=[] if changes >= CONSTANT_TASK_CHANGES_PER_YEAR else list(FINE_TUNES),
            note=f"Weighs against fine-tuning from {FREQUENT_TASK_CHANGES_PER_YEAR:g} a year; "
            f"rules it out from {CONSTANT_TASK_CHANGES_PER_YEAR:g}.",
            inputs=["task.changes_per_year"],
        ),
        DecisionStep(
            problem=None,
            question="How often does the base model change?",
            answer=f"{_times(updates).capitalize()}",
            leads_to=list(FINE_TUNES),
            note=f"Weighs against fine-tuning from {FREQUENT_BASE_UPDATES_PER_YEAR:g} a year.",
            inputs=["base_model_updates_per_year"],
        ),
    ]


def _availability(
    approach: ApproachId, total: float | None, why: str | None, standing: _Standing
) -> None:
    if total is not None:
        return
    where = {
        "lora": "models.small, fine_tuning.hosting",
        "full": "models.large, fine_tuning.hosting",
    }
    fields = where.get(approach, "models.general")
    detail = f": {why}" if why else "; see its cost card."
    standing.hold("avoid", f"Cannot run with the chosen models ({fields}){detail}")


def _side_checks(approach: ApproachId, scenario: Scenario, standing: _Standing) -> None:
    n = scenario.data.labelled_examples
    if approach == "dspy" and n < MIN_DSPY_DEV_EXAMPLES:
        standing.hold(
            "capped",
            f"Only {n:,} labelled examples (data.labelled_examples): DSPy needs a small dev set "
            f"to score prompts against; label at least {MIN_DSPY_DEV_EXAMPLES} first.",
        )
    docs = scenario.data.knowledge_base.documents
    if approach == "rag" and "knowledge" in scenario.task.problems and docs == 0:
        standing.notes.append(
            "No documents in the knowledge base yet (data.knowledge_base.documents): retrieval "
            "needs them collected and indexed first."
        )


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
    standing: _Standing,
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
    standings: dict[ApproachId, _Standing],
    problems: list[Problem],
    totals: Mapping[ApproachId, float | None],
) -> ApproachId | None:
    available = [a for a in APPROACH_IDS if totals[a] is not None]
    if not available:
        return None
    preferred = _preferred(problems)
    return max(available, key=lambda a: _rank(a, standings[a], preferred, totals))


def _verdict(approach: ApproachId, pick: ApproachId | None, standing: _Standing) -> Verdict:
    if approach == pick:
        return "recommended"
    if standing.gate == "avoid" or standing.unsuited:
        return "avoid"
    return "consider"


def _headline(pick: ApproachId | None, combine_with: list[ApproachId]) -> str:
    if pick is None:
        return "No approach can run with the chosen models"
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
    return ["prompting"]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _problem_reason(
    problem: Problem,
    pick: ApproachId,
    scenario: Scenario,
    standings: dict[ApproachId, _Standing],
) -> str:
    """How the combined answer handles one problem: the pick itself, or a step to add later."""
    role, text = standings[pick].roles[problem]
    if role in ("lead", "part", "next"):
        return _reason(problem, scenario, text)
    ranked = sorted(
        APPROACH_IDS,
        key=lambda a: (
            _ROLE_POINTS[standings[a].roles[problem][0]]
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
    standings: dict[ApproachId, _Standing],
    totals: Mapping[ApproachId, float | None],
) -> tuple[str, ApproachId, float]:
    """The cost sentence, the cheapest approach and how much more the pick costs [USD]."""
    known = {a: t for a, t in totals.items() if t is not None}
    cheapest = min(known, key=lambda a: (known[a], APPROACH_IDS.index(a)))
    months = f"{scenario.horizon_months} months (horizon_months)"
    if cheapest == pick:
        sentence = f"It is also the cheapest approach over {months}: {_usd(known[pick])}."
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
        f"at {_usd(known[cheapest])}, {_usd(extra)} less than {APPROACH_NAMES[pick]} "
        f"({_usd(known[pick])}), but {why}"
    )
    return sentence, cheapest, extra


_NO_PROBLEM = (
    "No problem is selected (task.problems is empty): start with prompting, the cheapest "
    "approach and the one undone most easily."
)


def _why_not_fine_tune(standings: dict[ApproachId, _Standing], said: list[str]) -> list[str]:
    """When the tree led to a fine-tune that was not picked: the checks that held it back."""
    led = [a for a in FINE_TUNES if any(r == "lead" for r, _ in standings[a].roles.values())]
    if not led:
        return []
    standing = standings[led[0]]
    text = " ".join(said).lower()
    return [r for r in [*standing.gate_reasons, *standing.against] if _lower_first(r) not in text]


def _fallback_reason(pick: ApproachId, standing: _Standing) -> str:
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


def _recommendation(
    pick: ApproachId | None,
    scenario: Scenario,
    standings: dict[ApproachId, _Standing],
    totals: Mapping[ApproachId, float | None],
) -> Recommendation:
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
    combine_with = _combine_with(pick, scenario, totals)
    return Recommendation(
        approach=pick,
        headline=_headline(pick, combine_with),
        combine_with=combine_with,
        reasons=reasons,
        cheapest=cheapest,
        extra_cost_usd=extra,
    )


def _problems(scenario: Scenario) -> list[Problem]:
    """The scenario's problems in the article's order, so equal inputs read the same."""
    return [p for p in PROBLEMS if p in scenario.task.problems]


def _approach_reasons(approach: ApproachId, scenario: Scenario, standing: _Standing) -> list[str]:
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


def _on_fine_tune_path(standings: dict[ApproachId, _Standing], problems: list[Problem]) -> bool:
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
) -> Decision:
    """Walk the tree for each problem, weigh data and change rates, then pick: fit, then cost.

    `totals_usd` is each approach's total over `scenario.horizon_months` [USD]; None (or a missing
    id) means the approach cannot run with the chosen models. `unavailable_reasons` optionally
    says why, per approach id, in the cost engine's words.
    """
    totals = _check_totals(totals_usd)
    why = dict(unavailable_reasons or {})
    problems = _problems(scenario)
    # Data size and change rates hold for both fine-tunes alike: check once, copy to each.
    shared = _Standing()
    fine_tune_steps = [_data_check(scenario, shared), *_change_check(scenario, shared)]
    standings = {
        a: shared.copy()
        if a in FINE_TUNES
        else _Standing(absorbed_by_rag=a in ("prompting", "dspy"))
        for a in APPROACH_IDS
    }
    steps: list[DecisionStep] = []
    for problem in problems:
        for approach, role in _branch_roles(problem, scenario, totals).items():
            standings[approach].roles[problem] = role
        steps.extend(_branch_steps(problem, scenario, totals))
    if not problems:
        steps.append(_no_problem_step())
    if _on_fine_tune_path(standings, problems):
        steps.extend(fine_tune_steps)
    for approach in APPROACH_IDS:
        _side_checks(approach, scenario, standings[approach])
        _availability(approach, totals[approach], why.get(approach), standings[approach])
    pick = _pick(standings, problems, totals)
    recommendation = _recommendation(pick, scenario, standings, totals)
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
            verdict=_verdict(a, pick, standings[a]),
            fit=standings[a].fit,
            available=totals[a] is not None,
            reasons=_approach_reasons(a, scenario, standings[a]),
        )
        for a in APPROACH_IDS
    ]
    return Decision(verdicts=verdicts, recommendation=recommendation, steps=steps)
