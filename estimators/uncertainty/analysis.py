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
    "triangular": two half-triangles meeting at the likely value, each holding half the draws
    (rising from low, falling to high). The table gives a likely value and a plausible range,
    nothing more; the likely value is then the mode *and* the median of every input, so an
    estimate at likely values sits near the middle of its own P10–P90 range. (A plain triangle
    has its median above the mode whenever the range is skewed high, as most cost ranges are;
    with it most totals fell below their own P10.)
    "log-triangular": the same in log space, when `low > 0` and `high / low > 10` (more than an
    order of magnitude, e.g. `labels.human_usd_per_example` $0.05–10): such a range states a
    *factor* of doubt either way. A range that starts at 0 cannot be taken in logs.

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

Latency
    The latency assumptions (`latency.*`, presets/assumptions/latency.json) are drawn like every
    other; they move no cost, only each approach's p95 latency, which the same formulas compute
    on the draws (`latency.approach.p95_rows`): `latency_p95_ranges` is its P10/P50/P90 and
    `over_budget_share` the share of draws over `traffic.latency_budget_ms`. This spread is the
    doubt about the inputs; the p95 itself is the spread between requests (DESIGN §12). A
    self-hosted fine-tune keeps the GPUs and replicas sized at the likely values.

Reproducibility
    Each assumption has its own stream, seeded by (seed, crc32 of its id): the same input gives
    the same numbers, and adding, removing or pinning one assumption leaves the others' draws as
    they were.

Sensitivity (`sensitivity`)
    Each drawn input moves to its low, then its high, with the rest at their values; all those
    rows are priced in one vectorised call. Rows whose swing is zero (the approach does not read
    that input) are left out. A flip is an input at whose low or high end another approach
    becomes the cheapest over the horizon.

Discrete choices
    The self-hosted fine-tunes make discrete choices (GPUs and nodes for training, the serving
    GPU, GPUs per replica, replicas at the peak) once, at the likely values, and hold them fixed
    across draws; the draws then move only their money (MFU, overhead, runs, utilisation, peak
    ratio, ...). Inputs that only feed those choices (usable memory, micro-batch, adapter share,
    decode speed, sequences per replica) therefore move nothing in the Monte Carlo and drop out of
    the tornado. A draw that would have tipped a choice (say, one more GPU) is priced with the
    likely choice: the range is of the money, given the plan.

Formulas that cannot take arrays (they branch on a value or call `float()`) make the vectorised
call raise; that approach is then priced draw by draw with the same formulas (correct, ~0.25 ms a
draw) and named in `scalar_fallback`. To stay interactive, every approach is then compared on the
first `SCALAR_DRAWS_MAX` (1,000) draws unless the caller asks for all; `draws` reports how many
were used. Draws in which such an approach cannot run count as missing for it: `available_share`
says how often it could run, and it never wins a draw it could not run. No shipped approach needs
the fallback; it stays as a safety net for formulas added later.

Size: Its docstring is the method's documentation (distributions, what is varied, why); the code
itself is short.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from estimators.catalog import ModelEntry
from estimators.errors import EstimatorError
from estimators.estimate import build_context, price_approaches, price_part
from estimators.latency.approach import p95_rows
from estimators.mix import mix_parts
from estimators.price_factors import Number
from estimators.results import (
    BreakEvenSpread,
    Estimate,
    InputSpread,
    MixResult,
    MixSpread,
    MonteCarlo,
    Range,
    Uncertainty,
)
from estimators.scenario import Scenario
from estimators.timeline import PER_QUERY, cumulative_rows, mix_cumulative_rows
from estimators.uncertainty.draws import Table, draw, spreads
from estimators.uncertainty.sensitivity import sensitivity
from estimators.uncertainty.vectorised import (
    Priced,
    cheapest_index,
    context_with,
    monthly_queries,
    price_rows,
)

QUANTILES = (0.1, 0.5, 0.9)
_QUANTILES = np.asarray(QUANTILES)
MAX_DRAWS = 100_000  # 5 approaches × draws × (horizon + 1) months of float64 stay under ~0.5 GB
SCALAR_DRAWS_MAX = 1_000  # draws kept when an approach must be priced draw by draw (~0.25 s)


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
    # (draws,) [ms] per available approach: its p95 latency with each draw's assumptions.
    p95_ms: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    latency_budget_ms: float | None = None
    # traffic.routing's mix on the same draws (None without one, or when a part cannot run):
    # (H + 1, draws) cumulative [USD], (draws,) per query [USD] and share-weighted p95 [ms].
    mix_cumulative_usd: NDArray[np.float64] | None = None
    mix_per_query_usd: NDArray[np.float64] | None = None
    mix_p95_ms: NDArray[np.float64] | None = None

    def total_usd(self, approach_id: str) -> NDArray[np.float64]:
        """Horizon totals [USD], one per draw (NaN where the approach could not run)."""
        return self.cumulative_usd[approach_id][-1]


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
    base = build_context(scenario, prices, apply_price_factors=False)
    varied = spreads(base.assumptions, table)
    inputs = {spread.id: draw(spread, draws, seed) for spread in varied}
    values: dict[str, Number] = dict(base.assumptions.items()) | inputs
    costs = [cost for cost in price_approaches(base) if cost.available]
    priced = price_rows(base, values, draws, [c.profile.id for c in costs], scalar_draws_max)
    queries = monthly_queries(scenario, priced.values["calendar.days_per_month"])
    drawn = context_with(base, priced.values)
    latency = {
        cost.profile.id: np.broadcast_to(np.asarray(ms, dtype=float), (priced.rows,))
        for cost in costs
        if (ms := p95_rows(drawn, cost)) is not None
    }
    mix = _mix_rows(scenario, prices, priced, queries)
    return Simulation(
        draws=priced.rows,
        draws_requested=draws,
        seed=seed,
        varied=varied,
        inputs={key: priced.values[key] for key in inputs},
        per_query_usd={key: c[PER_QUERY] for key, c in priced.columns.items()},
        cumulative_usd={key: cumulative_rows(c, queries) for key, c in priced.columns.items()},
        scalar_fallback=priced.scalar_fallback,
        p95_ms=latency,
        latency_budget_ms=scenario.traffic.latency_budget_ms,
        mix_cumulative_usd=mix[0],
        mix_per_query_usd=mix[1],
        mix_p95_ms=mix[2],
    )


def _mix_rows(
    scenario: Scenario,
    prices: Mapping[str, ModelEntry] | None,
    priced: Priced,
    queries: NDArray[np.float64],
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None, NDArray[np.float64] | None]:
    """The mix on the same draws, as `estimate()` prices it (mix.py): each part priced at the
    volume it serves, on the draws its approach was priced on at the full volume."""
    parts = mix_parts(scenario)
    if not parts:
        return None, None, None
    columns, p95 = [], []
    for approach, share in parts:
        # at the likely values; the drawn price factors are applied by `context_with`
        base, cost = price_part(scenario, approach, share, prices, apply_price_factors=False)
        if not cost.available:
            return None, None, None
        part = price_rows(base, priced.values, priced.rows, [approach])
        if part.rows != priced.rows:  # priced draw by draw past the rows kept: not comparable
            return None, None, None
        columns.append((share, part.columns[approach]))
        ms = p95_rows(context_with(base, part.values), cost)
        p95.append(None if ms is None else (share, np.asarray(ms, dtype=float)))
    cumulative = mix_cumulative_rows(columns, queries)
    per_query = sum(share * c[PER_QUERY] for share, c in columns)
    latency = None if any(x is None for x in p95) else sum(share * ms for share, ms in p95)  # type: ignore[misc]
    return cumulative, np.asarray(per_query, dtype=float), latency  # type: ignore[return-value]


def _range(values: NDArray[np.float64], method: str = "linear") -> Range:
    q = (
        row_quantiles(values[None, :])[:, 0]
        if method == "linear"
        else np.quantile(values, QUANTILES, method=method)
    )
    q = np.sort(q)  # sorted: rounding never reorders
    return Range(p10=float(q[0]), p50=float(q[1]), p90=float(q[2]))


def _ran(cumulative: NDArray[np.float64]) -> NDArray[np.float64]:
    """Draws in which the approach could run (all of them unless priced draw by draw)."""
    finite = ~np.isnan(cumulative[-1])
    return cumulative if finite.all() else cumulative[:, finite]


def _p_cheapest(sim: Simulation) -> dict[str, float]:
    ids = list(sim.cumulative_usd)
    if not ids:
        return {}
    totals = np.stack([sim.total_usd(key) for key in ids])
    counted = ~np.isnan(totals).all(axis=0)
    wins = np.bincount(cheapest_index(totals[:, counted]), minlength=len(ids))
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
    start = diff[0].copy()
    # Usual case, setups differ: the order is set at month 0. `same` marks months that keep it:
    # diff > 0 where a started dearer, else diff < 0, written as (diff × ±1) > 0 (exact) so
    # that it takes two passes over the months instead of three and a select.
    np.multiply(diff, np.where(start > 0, 1.0, -1.0), out=diff)
    same = diff > 0
    same[0] = True
    # Most draws keep their order all along: the first change is looked for only where one is.
    out = np.full(same.shape[1], -1, dtype=np.intp)
    changed = np.flatnonzero(~same.all(axis=0))
    if changed.size:
        out[changed] = same[:, changed].argmin(axis=0)
    tied = np.flatnonzero(start == 0)
    if tied.size:  # their diff was negated above, which moves no crossing
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
    q = np.sort(row_quantiles(cumulative), axis=0)
    return [Range(p10=float(lo), p50=float(mid), p90=float(hi)) for lo, mid, hi in q.T]


def row_quantiles(rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """`np.quantile(rows, QUANTILES, axis=1)` ("linear"), the same figures bit for bit (a zero
    always +0.0), (3, rows).

    numpy partitions each row (introselect, one element at a time); sorting the rows instead
    uses numpy's vectorised sort and took 6 ms where the partition took 10 on 37 months × 10,000
    draws, and the monthly bands were a third of a Monte Carlo. The order statistics read are the
    same, and numpy's own interpolation (`_lerp`, written out below) is applied to them.
    Rows holding NaN go to numpy, which answers NaN for them.
    """
    n = rows.shape[1]
    if n == 0 or np.isnan(rows).any():
        return np.quantile(rows, QUANTILES, axis=1) + 0.0
    virtual = (n - 1) * _QUANTILES  # numpy's virtual index for "linear"
    # Past the last index (only when n == 1) numpy reads the last value twice and takes the
    # weight from a "previous index" of -1; kept, so that even -0.0 comes out as numpy's.
    past_end = virtual >= n - 1
    previous = np.where(past_end, -1.0, np.floor(virtual))
    gamma = (virtual - previous)[:, None]
    low = np.where(past_end, n - 1, previous).astype(np.intp)
    high = np.where(past_end, n - 1, previous + 1).astype(np.intp)
    ordered = np.sort(rows, axis=1)
    a, b = ordered[:, low].T, ordered[:, high].T
    diff = b - a
    out = np.add(a, diff * gamma)
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    # A sort and a partition may order 0.0 and -0.0 differently; a cost of "-$0" means nothing.
    return np.add(out, 0.0, out=out)


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
        latency_p95_ranges={key: _range(ms) for key, ms in sim.p95_ms.items()},
        over_budget_share=(
            {}
            if sim.latency_budget_ms is None
            else {key: float(np.mean(ms > sim.latency_budget_ms)) for key, ms in sim.p95_ms.items()}
        ),
        mix=_mix_spread(sim),
    )


def _mix_spread(sim: Simulation) -> MixSpread | None:
    if sim.mix_cumulative_usd is None or sim.mix_per_query_usd is None:
        return None
    cumulative = _ran(sim.mix_cumulative_usd)
    if not cumulative.size:
        return None
    per_query = sim.mix_per_query_usd
    return MixSpread(
        range=_range(cumulative[-1]),
        per_query_range=_range(per_query[~np.isnan(per_query)]),
        cumulative_ranges=_band(cumulative),
        latency_p95_range=None if sim.mix_p95_ms is None else _range(sim.mix_p95_ms),
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


def with_uncertainty(
    result: Estimate,
    draws: int = 10_000,
    seed: int = 0,
    prices: Mapping[str, ModelEntry] | None = None,
) -> Estimate:
    """The estimate with its ranges: each approach's P10/P50/P90 and chance of being cheapest,
    and the tornado rows. `prices` must be the table the estimate was made with."""
    analysis = analyse(result.scenario, draws, seed, prices)
    approaches = [
        a.model_copy(
            update={
                "range": analysis.ranges.get(a.id),
                "p_cheapest": analysis.p_cheapest.get(a.id),
                "latency": a.latency
                and a.latency.model_copy(
                    update={"p95_ms_range": analysis.latency_p95_ranges.get(a.id)}
                ),
            }
        )
        for a in result.approaches
    ]
    return result.model_copy(
        update={
            "approaches": approaches,
            "p_cheapest": analysis.p_cheapest,
            "sensitivity": analysis.sensitivity,
            "uncertainty": analysis,
            "mix": _mix_with_ranges(result.mix, analysis.mix),
        }
    )


def _mix_with_ranges(mix: MixResult | None, spread: MixSpread | None) -> MixResult | None:
    if mix is None or spread is None:
        return mix
    latency = mix.latency and mix.latency.model_copy(
        update={"p95_ms_range": spread.latency_p95_range}
    )
    return mix.model_copy(
        update={
            "range": spread.range,
            "per_query_range": spread.per_query_range,
            "cumulative_ranges": spread.cumulative_ranges,
            "latency": latency,
        }
    )
