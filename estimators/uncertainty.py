"""How wide the answer is and which assumption drives it: Monte Carlo and one-at-a-time sensitivity.

The article calls its own cost figures "rough orders of magnitude"; every assumption therefore has
a `low` / `value` / `high` (presets/assumptions/*.json) and this module turns them into ranges.

Monte Carlo (`simulate`, `monte_carlo`, `analyse`)
    Each assumption in force is drawn independently, `draws` times, and the *same* approach
    formulas run once on arrays of draws: the context's assumption values are numpy arrays and its
    prices are scaled copies of the catalogue entries, so no cost formula is written twice. The
    horizon is then laid out month by month exactly as `timeline.cumulative_usd` does, with
    `np.maximum` for the usage floor.

Distributions
    triangular(low, value, high): the table gives a likely value and a plausible range, nothing
    more; the triangle is the least-assuming shape with that mode and those bounds.
    log-triangular, i.e. exp(triangular(ln low, ln value, ln high)), when `low > 0` and
    `high / low > 10` (more than an order of magnitude, e.g. `dspy.calls_per_run` 100–3,000):
    such a range states a *factor* of doubt either way, and a linear triangle would put most of its
    mass far above the likely value (100/500/3,000 has mean 1,200 and median ~1,000, twice the
    likely value); in log space the median stays near the likely value (~530). A range that starts
    at 0 cannot be taken in logs and stays triangular.

What is varied
    Not the scenario's own overrides: a value the user typed is theirs, and the table's low/high
    were written around the default, not around it. Not entries with low == high (calendar
    constants). Integer-like counts (top_k, demos) are drawn continuous: the formulas are linear in
    them, so a fractional draw prices the average of the neighbouring integers.
    Prices: providers change list prices, so one factor per price class multiplies every price of
    that class in a draw (a provider-wide move, perfectly correlated within the class):
    `uncertainty.api_price_factor` (hosted per-token prices of the scenario's chat and embedding
    models) and `uncertainty.finetune_price_factor` (training and fine-tuned inference prices).
    They only act here, by scaling the `prices` mapping: `estimate()` never reads them.
    Draws are independent across assumptions (a simplification: e.g. `lora.setup_hours` and
    `full.setup_hours` probably move together, which would widen both totals' spread together).
    The chunk overlap must stay below the chunk size; when one of the two is pinned, the other's
    range is cut 1 token short of it so that every draw is a valid chunking.

Reproducibility
    Each assumption has its own stream, seeded by (seed, crc32 of its id): the same input gives
    the same numbers, and adding, removing or pinning one assumption leaves the others' draws as
    they were.

Sensitivity (`sensitivity`)
    Each drawn input moves to its low, then its high, with the rest at their values; all those
    rows are priced in one vectorised call. Rows whose swing is zero (the approach does not read
    that input) are left out. A flip is an input at whose low or high end another approach
    becomes the cheapest over the horizon.

Formulas that cannot take arrays (they branch on a value or call `float()`, as the self-hosted
fine-tune's memory fit and serving plan do) make the vectorised call raise; that approach is then
priced draw by draw with the same formulas (correct, ~0.25 ms a draw) and named in
`scalar_fallback`. To stay interactive, every approach is then compared on the first
`SCALAR_DRAWS_MAX` (1,000) draws unless the caller asks for all; `draws` reports how many were
used. Draws in which such an approach cannot run (e.g. it no longer fits the GPU) count as missing
for it: `available_share` says how often it could run, and it never wins a draw it could not run.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from estimators.approach import ApproachCost
from estimators.assumptions import Assumption, Assumptions, defaults
from estimators.catalog import ModelEntry, get_model
from estimators.context import Context
from estimators.errors import EstimatorError
from estimators.estimate import _APPROACHES, _price_check, build_context, price_approaches
from estimators.scenario import Scenario
from estimators.timeline import Pricing, queries_per_month

Number: TypeAlias = float | NDArray[np.float64]
Table: TypeAlias = Mapping[str, Assumption]

API_PRICE_FACTOR = "uncertainty.api_price_factor"
FINETUNE_PRICE_FACTOR = "uncertainty.finetune_price_factor"
LOG_SPAN_RATIO = 10.0  # high / low above this: drawn in log space
QUANTILES = (0.1, 0.5, 0.9)
MAX_DRAWS = 100_000  # 5 approaches × draws × (horizon + 1) months of float64 stay under ~0.5 GB
SCALAR_DRAWS_MAX = 1_000  # draws kept when an approach must be priced draw by draw (~0.25 s)
_ROLES = ("general", "small", "large", "embedding")
# (lower, upper): every draw must keep lower < upper (chunks advance by chunk − overlap tokens).
_MUST_STAY_BELOW = (("rag.chunk_overlap_tokens", "rag.chunk_tokens"),)
_MARGIN_TOKENS = 1.0
# Rows of a priced approach: setup [USD], per query [USD], upkeep [USD/month], floor [USD/month].
_SETUP, _PER_QUERY, _UPKEEP, _FLOOR = range(4)


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


@dataclass(frozen=True)
class Simulation:
    """The raw draws: inputs by id and, per available approach, what the formulas gave."""

    draws: int  # draws priced (fewer than requested only when `scalar_fallback` cut them)
    draws_requested: int
    seed: int
    varied: list[InputSpread]
    inputs: dict[str, NDArray[np.float64]]  # (draws,) per varied id
    per_query_usd: dict[str, NDArray[np.float64]]  # (draws,) [USD]
    # (H + 1, draws) [USD]: row m is the cumulative cost at the end of month m (0 = setup).
    # Months are rows so that each month's draws sit together in memory (fast cumsum, quantiles).
    cumulative_usd: dict[str, NDArray[np.float64]]
    scalar_fallback: tuple[str, ...]

    def total_usd(self, approach_id: str) -> NDArray[np.float64]:
        """Horizon totals [USD], one per draw (NaN where the approach could not run)."""
        return self.cumulative_usd[approach_id][-1]


# --- inputs ----------------------------------------------------------------------------------


def input_spreads(scenario: Scenario, table: Table | None = None) -> list[InputSpread]:
    """The inputs the analysis draws for this scenario, with their ranges and distributions.

    `table` gives the low/high ranges (default: the presets); values are the ones in force.
    """
    return _spreads(Assumptions(scenario.assumptions), table)


def _spreads(assumptions: Assumptions, table: Table | None) -> list[InputSpread]:
    table = defaults() if table is None else table
    out = []
    for key, entry in table.items():
        if key in assumptions.overridden:
            continue
        value = assumptions[key]
        low, high = _kept_valid(key, entry.low, entry.high, assumptions, table)
        if low == high:
            continue
        if not low <= value <= high:
            raise EstimatorError(
                f"uncertainty range of {key}: expected low <= value <= high, "
                f"got {low:g}, {value:g}, {high:g}"
            )
        log = low > 0 and high / low > LOG_SPAN_RATIO
        out.append(
            InputSpread(
                id=key,
                low=low,
                value=value,
                high=high,
                distribution="log-triangular" if log else "triangular",
            )
        )
    return out


def _fixed(key: str, assumptions: Assumptions, table: Table) -> bool:
    """Whether an input keeps its value in every draw (pinned, not in the table, or no range)."""
    entry = table.get(key)
    return key in assumptions.overridden or entry is None or entry.low == entry.high


def _kept_valid(
    key: str, low: float, high: float, assumptions: Assumptions, table: Table
) -> tuple[float, float]:
    """The range cut so that every draw keeps the ordered pairs ordered (never past the value)."""
    for lower, upper in _MUST_STAY_BELOW:
        if key == lower:
            fixed = _fixed(upper, assumptions, table)
            smallest_upper = assumptions[upper] if fixed else table[upper].low
            high = max(assumptions[lower], min(high, smallest_upper - _MARGIN_TOKENS))
        elif key == upper:
            fixed = _fixed(lower, assumptions, table)
            largest_lower = assumptions[lower] if fixed else table[lower].high
            low = min(assumptions[upper], max(low, largest_lower + _MARGIN_TOKENS))
    return low, high


def _triangular_ppf(u: NDArray[np.float64], a: float, c: float, b: float) -> NDArray[np.float64]:
    """Inverse CDF of triangular(low a, mode c, high b) at uniform draws u (needs a < b)."""
    width = b - a
    left = a + np.sqrt(u * width * (c - a))
    right = b - np.sqrt((1.0 - u) * width * (b - c))
    return np.where(u < (c - a) / width, left, right)


def draw(spread: InputSpread, draws: int, seed: int) -> NDArray[np.float64]:
    """`draws` values of one input, reproducible from (seed, id) alone."""
    rng = np.random.default_rng([seed, zlib.crc32(spread.id.encode())])
    u = rng.random(draws)
    if spread.distribution == "log-triangular":
        logs = _triangular_ppf(
            u, math.log(spread.low), math.log(spread.value), math.log(spread.high)
        )
        values = np.exp(logs)
    else:
        values = _triangular_ppf(u, spread.low, spread.value, spread.high)
    return np.clip(values, spread.low, spread.high)  # exp(ln x) may miss x by a rounding step


# --- prices ----------------------------------------------------------------------------------


class _PriceDraws(np.ndarray):
    """Draws of one price. The formulas write `price or 0.0` for "0 when no price is listed"; a
    drawn price is listed, so it reads as true. Arithmetic on it gives plain arrays, so every
    derived quantity still refuses to be used as a truth value."""

    def __bool__(self) -> bool:
        return True

    def __array_wrap__(
        self, array: NDArray[np.float64], context: object = None, return_scalar: bool = False
    ) -> NDArray[np.float64]:
        plain = array.view(np.ndarray)
        return plain[()] if return_scalar else plain


def _times(price: float | None, factor: Number) -> Number | None:
    if price is None:
        return None
    if isinstance(factor, np.ndarray):
        return (price * factor).view(_PriceDraws)
    return price * factor


def _scaled_entry(entry: ModelEntry, api_factor: Number, finetune_factor: Number) -> ModelEntry:
    # model_copy(update=...) does not validate, which lets arrays of draws in.
    tuning = entry.fine_tuning
    if tuning is not None:
        tuning = tuning.model_copy(
            update={
                "training_usd_per_mtok": _times(tuning.training_usd_per_mtok, finetune_factor),
                "input_usd_per_mtok": _times(tuning.input_usd_per_mtok, finetune_factor),
                "output_usd_per_mtok": _times(tuning.output_usd_per_mtok, finetune_factor),
            }
        )
    return entry.model_copy(
        update={
            "input_usd_per_mtok": _times(entry.input_usd_per_mtok, api_factor),
            "output_usd_per_mtok": _times(entry.output_usd_per_mtok, api_factor),
            "fine_tuning": tuning,
        }
    )


def scale_prices(
    prices: Mapping[str, ModelEntry],
    scenario: Scenario,
    api_factor: Number = 1.0,
    finetune_factor: Number = 1.0,
) -> dict[str, ModelEntry]:
    """The price mapping with the scenario's models' prices × the price-class factors [USD/1M].

    Hosted per-token prices (chat and embedding) × `api_factor`; training and fine-tuned inference
    prices × `finetune_factor`. Factors may be arrays of draws. With both factors exactly 1.0
    the mapping comes back unchanged, so a caller can apply pinned factors at no cost otherwise.
    """
    out = dict(prices)
    drawn = isinstance(api_factor, np.ndarray) or isinstance(finetune_factor, np.ndarray)
    if not drawn and api_factor == 1.0 and finetune_factor == 1.0:
        return out
    for model_id in dict.fromkeys(getattr(scenario.models, role) for role in _ROLES):
        entry = prices.get(model_id) or get_model(model_id)
        out[model_id] = _scaled_entry(entry, api_factor, finetune_factor)
    return out


# --- pricing the draws -----------------------------------------------------------------------


def _context(base: Context, values: Mapping[str, Number]) -> Context:
    """The base context with these assumption values and the prices their factors imply."""
    prices = scale_prices(
        base.prices,
        base.scenario,
        values.get(API_PRICE_FACTOR, 1.0),
        values.get(FINETUNE_PRICE_FACTOR, 1.0),
    )
    assumptions = Assumptions.of_values(values, base.assumptions.overridden)
    return dataclasses.replace(base, assumptions=assumptions, prices=prices)


def _parts(cost: ApproachCost) -> tuple[Number, Number, Number, Number]:
    p = Pricing.of(cost)
    return p.setup_usd, p.per_query_usd, p.upkeep_usd_per_month, p.min_usage_usd_per_month


def _columns(cost: ApproachCost, rows: int) -> NDArray[np.float64]:
    """(4, rows): setup, per query, upkeep and floor, NaN where the approach cannot run."""
    if not cost.available:
        return np.full((4, rows), np.nan)
    return np.stack([np.broadcast_to(np.asarray(x, dtype=float), (rows,)) for x in _parts(cost)])


def _draw_by_draw(
    base: Context, values: Mapping[str, Number], rows: int, module: ModuleType
) -> NDArray[np.float64]:
    """(4, rows) priced one row at a time with plain floats: the same formulas, ~1,000× slower."""
    fixed = {key: v for key, v in values.items() if not isinstance(v, np.ndarray)}
    drawn = {key: v.tolist() for key, v in values.items() if isinstance(v, np.ndarray)}
    out = np.full((4, rows), np.nan)
    for i in range(rows):
        point = fixed | {key: column[i] for key, column in drawn.items()}
        cost = _price_check(_context(base, point), module.cost, module.PROFILE)
        if cost.available:
            out[:, i] = _parts(cost)
    return out


@dataclass(frozen=True)
class _Priced:
    """Every wanted approach priced on the same rows of draws (fewer rows than asked for when
    an approach had to be priced draw by draw and `scalar_rows_max` cut them)."""

    rows: int
    values: dict[str, Number]
    columns: dict[str, NDArray[np.float64]]  # (4, rows) per approach, article order
    scalar_fallback: tuple[str, ...]


def _price_rows(
    base: Context,
    values: Mapping[str, Number],
    rows: int,
    approach_ids: Iterable[str],
    scalar_rows_max: int | None = None,
) -> _Priced:
    """Price each wanted approach on every row: vectorised where its formulas take arrays, else
    draw by draw on the first `scalar_rows_max` rows (and every approach is cut to those rows,
    so that all of them are compared on the same draws)."""
    wanted = set(approach_ids)
    ctx = _context(base, values)
    columns: dict[str, NDArray[np.float64]] = {}
    slow = []
    for module in _APPROACHES:
        if module.PROFILE.id not in wanted:
            continue
        try:
            columns[module.PROFILE.id] = _columns(
                _price_check(ctx, module.cost, module.PROFILE), rows
            )
        except (TypeError, ValueError):  # branches on a value or calls float(): not array-safe
            slow.append(module)
    kept = dict(values)
    if slow and scalar_rows_max is not None and rows > scalar_rows_max:
        rows = scalar_rows_max
        kept = {k: v[:rows] if isinstance(v, np.ndarray) else v for k, v in values.items()}
        columns = {key: c[:, :rows] for key, c in columns.items()}
    for module in slow:
        columns[module.PROFILE.id] = _draw_by_draw(base, kept, rows, module)
    order = [m.PROFILE.id for m in _APPROACHES if m.PROFILE.id in columns]
    return _Priced(
        rows=rows,
        values=kept,
        columns={key: columns[key] for key in order},
        scalar_fallback=tuple(m.PROFILE.id for m in slow),
    )


def _monthly_queries(scenario: Scenario, days_per_month: Number) -> NDArray[np.float64]:
    """Queries in months 1..H [queries], (H, 1) or (H, rows), computed as `estimate()` does."""
    traffic = scenario.traffic
    months = scenario.horizon_months
    if not isinstance(days_per_month, np.ndarray):
        monthly = queries_per_month(
            traffic.queries_per_day, traffic.monthly_growth_pct, days_per_month, months
        )
        return np.asarray(monthly)[:, None]
    growth = np.asarray(queries_per_month(1.0, traffic.monthly_growth_pct, 1.0, months))
    return growth[:, None] * (traffic.queries_per_day * days_per_month)[None, :]


def _cumulative(columns: NDArray[np.float64], queries: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cumulative cost at the end of months 0..H [USD], (H + 1, rows).

    Month m adds max(per query × queries_m, floor) + upkeep to the running total, in the same
    order of operations as `timeline.cumulative_usd`, so equal inputs give equal bits.
    """
    usage = np.maximum(columns[_PER_QUERY] * queries, columns[_FLOOR])
    out = np.empty((queries.shape[0] + 1, columns.shape[1]))
    out[0] = columns[_SETUP]
    np.add(usage, columns[_UPKEEP], out=out[1:])
    return np.cumsum(out, axis=0, out=out)


def _available(base: Context) -> list[str]:
    return [cost.profile.id for cost in price_approaches(base) if cost.available]


def _check_size(draws: int, seed: int) -> None:
    if not 1 <= draws <= MAX_DRAWS:
        raise EstimatorError(f"draws: expected 1 to {MAX_DRAWS:,}, got {draws}")
    if seed < 0:
        raise EstimatorError(f"seed: expected an integer >= 0, got {seed}")


def simulate(
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 0,
    prices: Mapping[str, ModelEntry] | None = None,
    table: Table | None = None,
    scalar_draws_max: int | None = SCALAR_DRAWS_MAX,
) -> Simulation:
    """Draw every unpinned input `draws` times and price every available approach on each draw.

    If an approach's formulas cannot take arrays, every approach is priced on the first
    `scalar_draws_max` draws only (None: all of them), since that approach costs ~0.1–0.3 ms a
    draw; the draws kept are the same the full run would have started with.
    """
    _check_size(draws, seed)
    base = build_context(scenario, prices)
    varied = _spreads(base.assumptions, table)
    inputs = {spread.id: draw(spread, draws, seed) for spread in varied}
    values: dict[str, Number] = dict(base.assumptions.items()) | inputs
    priced = _price_rows(base, values, draws, _available(base), scalar_draws_max)
    queries = _monthly_queries(scenario, priced.values["calendar.days_per_month"])
    return Simulation(
        draws=priced.rows,
        draws_requested=draws,
        seed=seed,
        varied=varied,
        inputs={key: priced.values[key] for key in inputs},
        per_query_usd={key: c[_PER_QUERY] for key, c in priced.columns.items()},
        cumulative_usd={key: _cumulative(c, queries) for key, c in priced.columns.items()},
        scalar_fallback=priced.scalar_fallback,
    )


# --- summaries -------------------------------------------------------------------------------


def _range(values: NDArray[np.float64], method: str = "linear") -> Range:
    q = np.sort(np.quantile(values, QUANTILES, method=method))  # sorted: rounding never reorders
    return Range(p10=float(q[0]), p50=float(q[1]), p90=float(q[2]))


def _ran(cumulative: NDArray[np.float64]) -> NDArray[np.float64]:
    """Draws in which the approach could run (all of them unless priced draw by draw)."""
    finite = ~np.isnan(cumulative[-1])
    return cumulative if finite.all() else cumulative[:, finite]


def _cheapest_index(totals: NDArray[np.float64]) -> NDArray[np.intp]:
    """Per column, the row of the smallest total; ties go to the first row (article order), as
    `estimate()`'s `min` does; NaN (could not run) never wins."""
    return np.argmin(np.where(np.isnan(totals), np.inf, totals), axis=0)


def _p_cheapest(sim: Simulation) -> dict[str, float]:
    ids = list(sim.cumulative_usd)
    if not ids:
        return {}
    totals = np.stack([sim.total_usd(key) for key in ids])
    counted = ~np.isnan(totals).all(axis=0)
    wins = np.bincount(_cheapest_index(totals[:, counted]), minlength=len(ids))
    share = wins / max(int(counted.sum()), 1)
    return {key: float(p) for key, p in zip(ids, share, strict=True)}


def crossing_months(cum_a: NDArray[np.float64], cum_b: NDArray[np.float64]) -> NDArray[np.intp]:
    """Per draw (column of (H + 1, draws) cumulative costs), the first month the cheaper-so-far
    approach changes, or −1 (none).

    Vectorised `timeline.crossing_month`: the order is set by the first month whose difference
    is not zero; the crossing is the first later month whose difference is zero or of the other
    sign.
    """
    diff = cum_a - cum_b
    start = diff[0]
    # Usual case, setups differ: the order is set at month 0. `same` marks months that keep it.
    same = np.where(start > 0, diff > 0, diff < 0)
    same[0] = True
    first_change = same.argmin(axis=0)  # 0 when every month keeps the order
    out = np.where(first_change > 0, first_change, -1)
    tied = np.flatnonzero(start == 0)
    if tied.size:
        out[tied] = _crossing_months_after_ties(diff[:, tied])
    return out


def _crossing_months_after_ties(diff: NDArray[np.float64]) -> NDArray[np.intp]:
    """`crossing_months` for draws whose setups are equal: the order waits for a month that
    differs (rare, so the slower general form is kept apart)."""
    sign = np.sign(diff)
    nonzero = sign != 0
    first = nonzero.argmax(axis=0)
    start = np.take_along_axis(sign, first[None, :], axis=0)
    months = np.arange(sign.shape[0])
    crossed = (sign != start) & (months[:, None] > first[None, :])
    found = crossed.any(axis=0) & nonzero.any(axis=0)
    return np.where(found, crossed.argmax(axis=0), -1)


def _break_even_spread(sim: Simulation) -> list[BreakEvenSpread]:
    out = []
    for a, b in itertools.combinations(sim.cumulative_usd, 2):
        cum_a, cum_b = sim.cumulative_usd[a], sim.cumulative_usd[b]
        both = ~(np.isnan(cum_a[-1]) | np.isnan(cum_b[-1]))
        if not both.all():  # draw-by-draw pricing only: compare the draws where both could run
            cum_a, cum_b = cum_a[:, both], cum_b[:, both]
        months = crossing_months(cum_a, cum_b)
        crossed = months[months >= 0]
        # A crossing month is an observed month: quantiles pick one rather than interpolate.
        month = _range(crossed, "inverted_cdf") if crossed.size else None
        share = 1.0 - crossed.size / months.size if months.size else 1.0
        out.append(BreakEvenSpread(a=a, b=b, month=month, no_crossing_share=share))
    return out


def _band(cumulative: NDArray[np.float64]) -> list[Range]:
    """P10/P50/P90 of the cumulative cost at each month end [USD], months 0..H."""
    q = np.sort(np.quantile(cumulative, QUANTILES, axis=1), axis=0)
    return [Range(p10=float(lo), p50=float(mid), p90=float(hi)) for lo, mid, hi in q.T]


def summarise(sim: Simulation) -> MonteCarlo:
    """P10/P50/P90 per approach, probability of being cheapest and break-even spread."""
    ran = {key: _ran(c) for key, c in sim.cumulative_usd.items()}
    ran = {key: c for key, c in ran.items() if c.size}
    return MonteCarlo(
        draws=sim.draws,
        draws_requested=sim.draws_requested,
        seed=sim.seed,
        varied=sim.varied,
        ranges={key: _range(c[-1]) for key, c in ran.items()},
        per_query_ranges={
            key: _range(q[~np.isnan(q)]) for key, q in sim.per_query_usd.items() if key in ran
        },
        cumulative_ranges={key: _band(c) for key, c in ran.items()},
        p_cheapest=_p_cheapest(sim),
        available_share={
            key: float(np.mean(~np.isnan(c[-1]))) for key, c in sim.cumulative_usd.items()
        },
        break_even_spread=_break_even_spread(sim),
        scalar_fallback=list(sim.scalar_fallback),
    )


def monte_carlo(
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 0,
    prices: Mapping[str, ModelEntry] | None = None,
    table: Table | None = None,
    scalar_draws_max: int | None = SCALAR_DRAWS_MAX,
) -> MonteCarlo:
    """`summarise(simulate(...))`: the Monte Carlo half of `analyse`."""
    return summarise(simulate(scenario, draws, seed, prices, table, scalar_draws_max))


# --- sensitivity -----------------------------------------------------------------------------


def sensitivity(
    scenario: Scenario,
    prices: Mapping[str, ModelEntry] | None = None,
    table: Table | None = None,
) -> Sensitivity:
    """Every drawn input at its low and at its high, the rest at their values (tornado, flips).

    Row 0 holds every input at its value; rows 2j+1 and 2j+2 move input j to its low and high.
    """
    base = build_context(scenario, prices)
    varied = _spreads(base.assumptions, table)
    rows = 1 + 2 * len(varied)
    values: dict[str, Number] = dict(base.assumptions.items())
    for j, spread in enumerate(varied):
        column = np.full(rows, spread.value)
        column[1 + 2 * j], column[2 + 2 * j] = spread.low, spread.high
        values[spread.id] = column
    priced = _price_rows(base, values, rows, _available(base))
    queries = _monthly_queries(scenario, values["calendar.days_per_month"])
    totals = {key: _cumulative(c, queries)[-1] for key, c in priced.columns.items()}
    ids = list(totals)
    winner = _cheapest_index(np.stack([totals[key] for key in ids])) if ids else None
    cheapest = ids[winner[0]] if winner is not None else None
    table_rows = [
        row
        for key in ids
        for row in _tornado(key, totals[key], varied)
        if row.swing > 0  # inputs the approach does not read move nothing
    ]
    return Sensitivity(
        cheapest=cheapest,
        base_totals={key: float(t[0]) for key, t in totals.items()},
        rows=table_rows,
        flips=_flips(varied, ids, winner) if winner is not None else [],
    )


def _flips(varied: list[InputSpread], ids: list[str], winner: NDArray[np.intp]) -> list[Flip]:
    """Inputs at whose low or high end the cheapest approach (`ids[winner[row]]`) changes."""
    flips = []
    for j, spread in enumerate(varied):
        for at, row, value in (("low", 1 + 2 * j, spread.low), ("high", 2 + 2 * j, spread.high)):
            if winner[row] != winner[0]:
                flips.append(
                    Flip(
                        assumption=spread.id,
                        at=at,
                        value=value,
                        cheapest=ids[winner[row]],
                        instead_of=ids[winner[0]],
                    )
                )
    return flips


def _tornado(
    approach_id: str, totals: NDArray[np.float64], varied: list[InputSpread]
) -> list[SensitivityRow]:
    rows = []
    for j, spread in enumerate(varied):
        low_total, high_total = float(totals[1 + 2 * j]), float(totals[2 + 2 * j])
        if math.isnan(low_total) or math.isnan(high_total):
            continue
        rows.append(
            SensitivityRow(
                approach=approach_id,
                assumption=spread.id,
                low_value=spread.low,
                high_value=spread.high,
                base_total=float(totals[0]),
                low_total=low_total,
                high_total=high_total,
                swing=abs(high_total - low_total),
            )
        )
    return sorted(rows, key=lambda row: -row.swing)  # stable: ties keep the table's order


# --- everything ------------------------------------------------------------------------------


def analyse(
    scenario: Scenario,
    draws: int = 10_000,
    seed: int = 0,
    prices: Mapping[str, ModelEntry] | None = None,
    table: Table | None = None,
    scalar_draws_max: int | None = SCALAR_DRAWS_MAX,
) -> Uncertainty:
    """Ranges, probability of being cheapest, break-even spread, tornado rows and flips.

    Reproducible: the same scenario, prices, table, draws and seed give the same numbers.
    `table` replaces the presets' low/high ranges (values stay the ones in force).
    """
    mc = monte_carlo(scenario, draws, seed, prices, table, scalar_draws_max)
    sweep = sensitivity(scenario, prices, table)
    return Uncertainty(
        **dict(mc),
        cheapest=sweep.cheapest,
        sensitivity=sweep.rows,
        flips=sweep.flips,
    )
