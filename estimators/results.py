"""What `estimate()` returns: the Estimate, each approach's result, and the uncertainty results.

The uncertainty analysis fills the ranges, spreads, tornado rows and flips later; keeping every
output shape here lets `estimate.py` and `uncertainty/` both import them without a cycle.

Size: Every output model in one place on purpose: `estimate.py` and `uncertainty/` both import them
without a cycle.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from estimators.approaches.base import Training
from estimators.decision.recommend import DecisionStep, Recommendation
from estimators.decision.risks import Risk
from estimators.lineitems import LatencyItem, LineItems
from estimators.scenario import Scenario
from estimators.timeline import BreakEven


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Range(_Frozen):
    """P10, P50 and P90 of a drawn quantity, in the quantity's own unit."""

    p10: float
    p50: float
    p90: float


class InputSpread(_Frozen):
    """One drawn input: its range and the distribution it is drawn from (see module notes)."""

    id: str
    low: float
    value: float
    high: float
    distribution: Literal["triangular", "log-triangular"]


class MixSpread(_Frozen):
    """The mix over the Monte Carlo's draws (the same draws as the approaches)."""

    range: Range  # horizon total [USD]
    per_query_range: Range  # [USD per query]
    cumulative_ranges: list[Range]  # months 0..H [USD]
    latency_p95_range: Range | None  # share-weighted p95 [ms]


class BreakEvenSpread(_Frozen):
    """When two approaches' cumulative costs cross, over the draws (same rule as `estimate()`)."""

    a: str
    b: str
    month: Range | None  # [month] over the draws that cross; None when none does
    no_crossing_share: float  # share of draws with no crossing within the horizon [0..1]


class SensitivityRow(_Frozen):
    """A tornado bar: an approach's horizon total with one input at its low and at its high."""

    approach: str
    assumption: str
    low_value: float
    high_value: float
    base_total: float  # [USD] every input at its value
    low_total: float  # [USD]
    high_total: float  # [USD]
    swing: float  # |high_total − low_total| [USD]


class Flip(_Frozen):
    """An input at one end of whose range another approach becomes the cheapest."""

    assumption: str
    at: Literal["low", "high"]
    value: float
    cheapest: str
    instead_of: str


class Sensitivity(_Frozen):
    """One-at-a-time sensitivity of every available approach's horizon total."""

    cheapest: str | None
    base_totals: dict[str, float]  # [USD]
    rows: list[SensitivityRow]  # by approach (article order), largest swing first
    flips: list[Flip]


class MonteCarlo(_Frozen):
    """Summary of the draws; approaches that cannot run at the likely values are left out."""

    draws: int  # draws priced (fewer than requested only when `scalar_fallback` cut them)
    draws_requested: int
    seed: int
    varied: list[InputSpread]
    ranges: dict[str, Range]  # horizon total [USD]
    per_query_ranges: dict[str, Range]  # [USD per query]
    cumulative_ranges: dict[str, list[Range]]  # cumulative cost at the end of months 0..H [USD]
    p_cheapest: dict[str, float]  # share of draws in which the approach is cheapest; sums to 1
    available_share: dict[str, float]  # share of draws in which it could run (e.g. GPU memory)
    break_even_spread: list[BreakEvenSpread]
    scalar_fallback: list[str]  # approaches priced draw by draw (formulas not array-safe)
    # P10/P50/P90 over the draws of each approach's p95 latency [ms], and the share of draws in
    # which that p95 exceeds traffic.latency_budget_ms (empty without a budget).
    latency_p95_ranges: dict[str, Range] = Field(default_factory=dict)
    over_budget_share: dict[str, float] = Field(default_factory=dict)
    # `traffic.routing`'s mix, kept apart so that the approaches' figures (P(cheapest) above
    # all) stay those of the approaches alone; None without a mix or when a part cannot run.
    mix: MixSpread | None = None


class Uncertainty(MonteCarlo):
    """The Monte Carlo summary with the sensitivity sweep: everything issue 8 reports."""

    cheapest: str | None  # at the likely values, as in `estimate()`
    sensitivity: list[SensitivityRow]
    flips: list[Flip]

    def tornado(self, approach_id: str) -> list[SensitivityRow]:
        """One approach's rows, largest swing first."""
        return [row for row in self.sensitivity if row.approach == approach_id]


class RateLimitCheck(_Frozen):
    """The plan's busiest minute against a provider's usage tiers for the model's family.

    Per minute at the peak: queries/day (the horizon's last month, batch queries left out)
    ÷ 1,440 × `selfhost.peak_to_average_ratio`; tokens counted by the provider's rule.
    """

    provider: str
    family: str
    counting: Literal["input_plus_output", "input_and_output_separately"]
    rule: str  # the provider's counting rule in words
    queries_per_day: float  # [queries/day] the horizon's last month, interactive only
    peak_to_average: float  # [x]
    requests_per_min: float  # [requests/min] at the peak
    requests_per_day: float  # [requests/day]
    input_tokens_per_min: float  # [tokens/min] at the peak
    output_tokens_per_min: float  # [tokens/min] at the peak, reasoning included
    tier: str  # the lowest tier whose every limit covers the peak, or the provider's beyond text
    within_published_tiers: bool
    tier_limits: dict[str, float]  # that tier's limits (the top tier's when beyond): rpm, tpm...
    top_tier: str
    indicative: bool  # limits from secondary sources: warn, do not rely on them
    qualification: str
    source: str
    as_of: str


class Latency(_Frozen):
    """How long one query takes with an approach: p50 line items, the first token, the p95.

    `p95_ms` = `p50_ms` × `latency.p95_over_p50`: the spread between requests at fixed prompt and
    answer lengths (DESIGN §12), not the Monte Carlo over assumptions, whose P10–P90 of the p95
    is `p95_ms_range`.
    """

    model: str
    hosting: Literal["api", "self_hosted"]
    ttft_ms: float  # [ms] p50 until the first answer token, retrieval and reasoning included
    p50_ms: float  # [ms] the sum of the items
    p95_ms: float  # [ms]
    p95_over_p50: float
    output_tokens_per_s: float  # [tok/s] one user's decode speed
    items: list[LatencyItem]
    basis: str  # where the speed figures come from
    concurrency: float | None  # self-hosted: requests sharing one replica at the peak
    budget_ms: float | None  # traffic.latency_budget_ms (a p95 budget)
    over_budget_ms: float | None  # p95 − budget when over it, else None
    fixes: list[str]  # what would bring an over-budget p95 down, largest share first
    rate_limit_tier: str | None  # None where no limit applies or no tiers are on file
    rate_limit: RateLimitCheck | None
    rate_limit_note: str
    p95_ms_range: Range | None = None  # filled by the uncertainty analysis


class ApproachResult(BaseModel):
    """One approach priced over the horizon; costs are None when it cannot run."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    what_changes: str
    reversible: bool
    time_to_ship: str
    available: bool
    unavailable_reason: str
    setup_usd: float | None
    per_query_usd: float | None
    maintenance_usd_per_month: float | None
    min_usage_usd_per_month: float | None
    usage_usd: float | None
    upkeep_usd: float | None
    total_usd: float | None
    cumulative_usd: list[float] | None
    line_items: LineItems
    training: Training | None
    verdict: str
    reasons: list[str]
    # Filled by `uncertainty.with_uncertainty`: P10/P50/P90 of the horizon total [USD] and the
    # share of draws in which this approach is the cheapest.
    range: Range | None = None
    p_cheapest: float | None = None
    # Per query; None when the approach cannot run.
    latency: Latency | None = None


class MixPart(_Frozen):
    """One approach in a mix: its share of the queries and its own per-query cost at that share
    of the volume."""

    id: str
    name: str
    share: float  # of the queries [0..1]
    per_query_usd: float | None  # [USD] the part's own at its volume; None when it cannot run


class MixLatency(_Frozen):
    """The share-weighted mean of the parts' latency figures [ms].

    A weighted mean, not a percentile of the mixed traffic: the p95 of a mix of a fast and a
    slow path lies between theirs, and is usually nearer the slow one's than this mean.
    """

    ttft_ms: float
    p50_ms: float
    p95_ms: float
    budget_ms: float | None
    over_budget_ms: float | None  # weighted p95 − budget when over it
    note: str
    p95_ms_range: Range | None = None  # filled by the uncertainty analysis


class MixResult(_Frozen):
    """Traffic split between approaches (`traffic.routing`): every part is built and maintained,
    each query is answered by one of them. A separate entry ranked beside the approaches, never
    one of them; costs are None when a part cannot run.

    Each part is priced at the volume it serves (`mix.part_scenario`): per query = Σ share × the
    part's per query; setup and upkeep = the sum of the parts'; the timeline adds up each part
    serving its share of the queries (a self-hosted part keeps its whole always-on floor).
    """

    id: Literal["mix"] = "mix"
    name: str
    parts: list[MixPart]
    available: bool
    unavailable_reason: str
    setup_usd: float | None
    per_query_usd: float | None
    maintenance_usd_per_month: float | None
    min_usage_usd_per_month: float | None
    usage_usd: float | None
    upkeep_usd: float | None
    total_usd: float | None
    cumulative_usd: list[float] | None
    line_items: LineItems
    # 1 + the approaches that cost less over the horizon; None when it cannot run.
    rank: int | None
    rank_of: int  # how many entries it is ranked among (the approaches that run + the mix)
    # The failure modes that apply to some part, each at its highest level among the parts.
    risks: dict[str, str]
    latency: MixLatency | None
    notes: list[str]
    # Filled by `uncertainty.with_uncertainty`.
    range: Range | None = None
    per_query_range: Range | None = None
    cumulative_ranges: list[Range] | None = None


class AssumptionUsed(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    note: str
    overridden: bool


class Estimate(BaseModel):
    """Everything the tool says about one scenario."""

    model_config = ConfigDict(frozen=True)

    scenario: Scenario
    approaches: list[ApproachResult]
    cheapest: str | None
    recommendation: Recommendation
    decision_path: list[DecisionStep]
    break_even: list[BreakEven]
    risks: list[Risk]
    assumptions: list[AssumptionUsed]
    prices_as_of: str
    queries_per_month: list[float]
    # Filled by `uncertainty.with_uncertainty` (the CLI and the dashboard ask for it).
    p_cheapest: dict[str, float] | None = None
    sensitivity: list[SensitivityRow] | None = None
    uncertainty: Uncertainty | None = None
    # `traffic.routing`'s mix, ranked beside the approaches; None without routing.
    mix: MixResult | None = None

    def approach(self, approach_id: str) -> ApproachResult:
        return next(a for a in self.approaches if a.id == approach_id)
