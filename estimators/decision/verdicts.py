"""What the decision says: a verdict per approach, the recommendation and the path taken.

Plain data (pydantic) the estimate, the dashboard and the PDF carry; `recommend.decide()` builds it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from estimators.decision.tree import DecisionStep
from estimators.ids import ApproachId, Verdict

SOURCE = "Fine-Tuning: When & Why"


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
