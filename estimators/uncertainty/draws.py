"""What the uncertainty analysis draws: each unpinned assumption's range and distribution.

See `estimators.uncertainty.analysis` for the half-triangles and when they are taken in logs.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from estimators.assumptions import Assumption, Assumptions, defaults
from estimators.errors import EstimatorError
from estimators.results import InputSpread
from estimators.scenario import Scenario

Table: TypeAlias = Mapping[str, Assumption]

LOG_SPAN_RATIO = 10.0  # high / low above this: drawn in log space
# (lower, upper): every draw must keep lower < upper (chunks advance by chunk − overlap tokens).
_MUST_STAY_BELOW = (("rag.chunk_overlap_tokens", "rag.chunk_tokens"),)
_MARGIN_TOKENS = 1.0


def input_spreads(scenario: Scenario, table: Table | None = None) -> list[InputSpread]:
    """The inputs the analysis draws for this scenario, with their ranges and distributions.

    `table` gives the low/high ranges (default: the presets); values are the ones in force.
    """
    return spreads(Assumptions(scenario.assumptions), table)


def spreads(assumptions: Assumptions, table: Table | None) -> list[InputSpread]:
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
    """Inverse CDF of two half-triangles meeting at the likely value c, each holding half the
    draws: rising from a to c, falling from c to b (needs a ≤ c ≤ b).

    The likely value is then both the mode and the median of every input. A plain triangle
    (a, c, b) has its median above c whenever the range is skewed high, as most cost ranges are:
    every total's P50 then sat above the estimate at likely values, and the headline fell below
    its own P10–P90 range. With each input's median at its likely value, the estimate sits near
    the middle of its range, as a reader expects of "likely".
    """
    left = a + (c - a) * np.sqrt(2.0 * np.minimum(u, 0.5))
    right = b - (b - c) * np.sqrt(2.0 * (1.0 - np.maximum(u, 0.5)))
    return np.where(u < 0.5, left, right)


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
