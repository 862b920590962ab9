"""Result models of the uncertainty analysis: ranges, spreads, tornado rows and flips."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


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


class Uncertainty(MonteCarlo):
    """The Monte Carlo summary with the sensitivity sweep: everything issue 8 reports."""

    cheapest: str | None  # at the likely values, as in `estimate()`
    sensitivity: list[SensitivityRow]
    flips: list[Flip]

    def tornado(self, approach_id: str) -> list[SensitivityRow]:
        """One approach's rows, largest swing first."""
        return [row for row in self.sensitivity if row.approach == approach_id]
