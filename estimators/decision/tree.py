"""The tree of "Fine-Tuning: When & Why" itself: one branch per problem, and the checks across them.

Each branch gives every approach a role (lead, next, part, later, plateaued, none, wrong) with the
sentence that explains it (the tables are in `estimators.decision.roles`), and a step on the path
a reader can follow; the data-size and change-rate checks hold back or weigh against the
fine-tunes. Every threshold is a named constant that says where it comes from.
`estimators.decision.recommend` scores the walk and picks the answer.

Size: The article's tree as named thresholds and steps, each with its reason; the reasons are most
of its length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict

from estimators.ids import ApproachId, Problem
from estimators.scenario import Scenario

# How an approach stands on one branch of the tree: the branch's current step (lead), the step
# after it (next), a component of a combined answer (part), a step only after earlier ones fail
# (later), already tried without success (plateaued), unrelated (none), or the tool the article
# warns against for that problem (wrong).
Role = Literal["lead", "next", "part", "later", "plateaued", "none", "wrong"]


FINE_TUNES: tuple[ApproachId, ...] = ("lora", "full", "rag_lora")

# --- Cost against RAG on the fine-tuned small model [ratio of horizon totals] -------------------
# Issue 16: at 1e9 queries/day RAG on the general model cost $3.0B more than a fine-tuned small
# model, and the tool had nothing to offer in between. When the approach that fits costs at
# least this many times RAG on the fine-tune (which answers from the same retrieval), the
# recommendation says so and offers it.
FAR_MORE_RATIO = 2.0

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
ROLE_POINTS: dict[Role, int] = {
    "lead": 2,
    "next": 1,
    "part": 1,
    "later": 0,
    "plateaued": 0,
    "none": 0,
    "wrong": -2,
}


class DecisionStep(BaseModel):
    """One node of the path through the tree; `problem` is None for checks spanning problems."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    problem: Problem | None
    question: str
    answer: str
    leads_to: list[ApproachId]
    note: str = ""
    inputs: list[str]


@dataclass
class Standing:
    """Working notes on one approach while the tree is walked."""

    roles: dict[Problem, tuple[Role, str]] = field(default_factory=dict)
    gate: Literal["ok", "capped", "avoid"] = "ok"
    gate_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    penalty: int = 0
    against: list[str] = field(default_factory=list)  # the notes behind the penalty
    absorbed_by_rag: bool = False

    def copy(self) -> Standing:
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
        return sum(ROLE_POINTS[role] for role, _ in self.roles.values()) - self.penalty

    @property
    def unsuited(self) -> bool:
        """Wrong for some problem and the tree's answer to none; prompting and DSPy are also
        unsuited to knowledge on their own, since adding retrieval to them is RAG itself."""
        roles = [role for role, _ in self.roles.values()]
        if self.absorbed_by_rag and self.roles.get("knowledge", ("none",))[0] == "wrong":
            return True
        return "wrong" in roles and "lead" not in roles


def usd_text(amount: float) -> str:
    return f"${amount:,.0f}" if abs(amount) >= 100 else f"${amount:,.2f}"


def _times(per_year: float) -> str:
    return "once a year" if per_year == 1 else f"{per_year:g} times a year"


def reasoning_word(description: str) -> str | None:
    """The first REASONING_WORDS entry found in a task description, if any."""
    text = description.lower()
    return next((word for word in REASONING_WORDS if word in text), None)


# --- The tree's steps, one branch per problem (roles: estimators.decision.roles) ---------------


def branch_steps(
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
                answer=f"{'Yes' if pays else 'No'}: {usd_text(lora)} against {usd_text(prompting)} "
                "for prompting",
                leads_to=["lora"] if pays else ["prompting"],
                note="" if pays else "Revisit when traffic grows.",
                inputs=["traffic.queries_per_day", "horizon_months"],
            )
        )
    return steps


# --- Checks that span problems -----------------------------------------------------------------


def data_check(scenario: Scenario, standing: Standing) -> DecisionStep:
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


def change_check(scenario: Scenario, standing: Standing) -> list[DecisionStep]:
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


def side_checks(approach: ApproachId, scenario: Scenario, standing: Standing) -> None:
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
