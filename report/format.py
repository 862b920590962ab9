"""Display formatting of money and counts, shared by the PDF, its tests and any table view.

Estimators keep full-precision floats; rounding happens here only, once, so the PDF and a test
that reads it back agree on every figure.
"""

from __future__ import annotations

import math

MISSING = "n/a"


def usd(amount: float | None) -> str:
    """Money for totals, setup and monthly figures: whole dollars from $100, cents below."""
    if amount is None or not math.isfinite(amount):
        return MISSING
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 100:
        return f"{sign}${value:,.0f}"
    return f"{sign}${value:,.2f}"


def usd_per_query(amount: float | None) -> str:
    """A per-query price to three significant digits, trailing zeros dropped.

    $0.0031, $0.00096, $0.0245, $0.000074: narrow enough for a table column.
    """
    if amount is None or not math.isfinite(amount):
        return MISSING
    if amount == 0:
        return "$0"
    if abs(amount) >= 1:
        return usd(amount)
    decimals = min(8, max(2, 2 - math.floor(math.log10(abs(amount)))))
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):.{decimals}f}".rstrip("0")
    whole, _, fraction = digits.partition(".")
    return f"{sign}${whole}.{fraction.ljust(2, '0')}"


def count(value: float | None) -> str:
    """A count of queries, tokens or examples: thousands separators, no decimals."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:,.0f}"


def number(value: float | None) -> str:
    """An assumption's value: integers without decimals, others with up to four significant."""
    if value is None or not math.isfinite(value):
        return MISSING
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def pct(value: float | None) -> str:
    """A percentage given in percent units (3 → '3%', 2.5 → '2.5%')."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:g}%"


def probability(value: float | None) -> str:
    """A probability in [0, 1] as a whole percentage."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value * 100:.0f}%"


def duration_ms(value: float | None) -> str:
    """A latency: whole milliseconds below a second, seconds to one decimal from there.

    850 → '850 ms', 4,431 → '4.4 s'.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    if abs(value) < 1_000:
        return f"{value:,.0f} ms"
    return f"{value / 1_000:,.1f} s"
