"""The framework of "Fine-Tuning: When & Why" as typed data for the Learn page and its quiz.

The text lives in `presets/learn.json` (data only, our own words); this module validates it once
so the dashboard, the PDF and the tests read the same checked structure.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from estimators.catalog import PRESETS_DIR
from estimators.ids import APPROACH_IDS, PROBLEMS, ApproachId, Problem

LEARN_PATH = PRESETS_DIR / "learn.json"
OPTIONS_PER_QUESTION = 4
QUESTIONS = 5


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CostRange(_Frozen):
    """The article's rough per-query range [USD per query]."""

    low: float = Field(gt=0)
    high: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> CostRange:
        if self.low > self.high:
            raise ValueError(f"expected low <= high, got {self.low} > {self.high}")
        return self


class LearnApproach(_Frozen):
    id: ApproachId
    name: str
    what_changes: str
    cost_level: Literal["trivial", "low", "medium", "high", "very high"]
    reversible: bool
    reversibility: str
    time_to_ship: Literal["hours", "days", "weeks"]
    setup: str
    per_query_usd: CostRange | None  # None where the article gives no range
    maintenance: str
    summary: str


class TreeBranch(_Frozen):
    problem: Problem
    symptom: str
    steps: list[str] = Field(min_length=1)
    leads_to: list[ApproachId] = Field(min_length=1)
    why: str


class Point(_Frozen):
    """A claim with the keys of the studies behind it (see `LearnContent.citations`)."""

    title: str
    detail: str
    citations: list[str]


class ForgettingFactor(_Frozen):
    factor: str
    effect: str
    scenario_input: str  # the dotted scenario field that sets this factor


class DataThreshold(_Frozen):
    min_examples: int = Field(ge=0)
    label: str
    meaning: str


class Question(_Frozen):
    """A self-check question: four options, the index of the right one, two sentences of why."""

    id: str
    question: str
    options: list[str] = Field(min_length=OPTIONS_PER_QUESTION, max_length=OPTIONS_PER_QUESTION)
    answer: int = Field(ge=0, lt=OPTIONS_PER_QUESTION)
    explanation: str


class Citation(_Frozen):
    key: str
    authors: str
    year: int
    title: str
    finding: str


class LearnContent(_Frozen):
    title: str
    source: str
    source_note: str
    intro: str
    approaches: list[LearnApproach]
    decision_tree: list[TreeBranch]
    fine_tuning_wins: list[Point]
    fine_tuning_loses: list[Point]
    middle_path: Point
    forgetting_factors: list[ForgettingFactor]
    data_thresholds: list[DataThreshold]
    questions: list[Question] = Field(min_length=QUESTIONS, max_length=QUESTIONS)
    citations: list[Citation]

    @model_validator(mode="after")
    def _consistent(self) -> LearnContent:
        """Every approach and problem once, in order; citations resolve; thresholds ascend."""
        if tuple(a.id for a in self.approaches) != APPROACH_IDS:
            raise ValueError(f"approaches: expected ids {list(APPROACH_IDS)} in that order")
        if tuple(b.problem for b in self.decision_tree) != PROBLEMS:
            raise ValueError(f"decision_tree: expected problems {list(PROBLEMS)} in that order")
        keys = {c.key for c in self.citations}
        points = [*self.fine_tuning_wins, *self.fine_tuning_loses, self.middle_path]
        unknown = {key for point in points for key in point.citations} - keys
        if unknown:
            raise ValueError(f"unknown citation keys {sorted(unknown)}; known: {sorted(keys)}")
        mins = [t.min_examples for t in self.data_thresholds]
        if mins != sorted(set(mins)):
            raise ValueError("data_thresholds: min_examples must strictly ascend")
        return self

    def citation(self, key: str) -> Citation:
        return next(c for c in self.citations if c.key == key)


@cache
def learn_content() -> LearnContent:
    """The validated Learn content (read once per process; the file ships with the app)."""
    return LearnContent.model_validate_json(LEARN_PATH.read_bytes())
