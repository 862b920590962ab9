"""Display formatting, the one home for money, counts, tokens, shares and months.

Estimators keep full-precision floats; rounding happens here only, so the dashboard, the PDF and a
test that reads either back agree on every figure. No formatter raises: None, NaN and ±inf print as
`MISSING`, and negative amounts keep their sign in front of the currency symbol.
"""

from __future__ import annotations

import math
import re

MISSING = "—"


def _finite(value: float | None) -> bool:
    return value is not None and not isinstance(value, bool) and math.isfinite(value)


def usd(amount: float | None) -> str:
    """Money [USD]: whole dollars from $100, cents from $1, three significant digits below.

    $12,345 · $56.70 · $0.50 · $0.0031 · $0.00096 · $0: one rule for totals and per-query prices.
    """
    if not _finite(amount):
        return MISSING
    assert amount is not None
    if amount == 0:
        return "$0"
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    if value >= 100:
        return f"{sign}${value:,.0f}"
    if value >= 1:
        return f"{sign}${value:,.2f}"
    decimals = min(8, max(2, 2 - math.floor(math.log10(value))))
    digits = f"{value:.{decimals}f}".rstrip("0")
    whole, _, fraction = digits.partition(".")
    if not fraction.strip("0"):
        return f"{sign}$0" if whole == "0" else f"{sign}${whole}.00"
    return f"{sign}${whole}.{fraction.ljust(2, '0')}"


def _unit(size: float, decimals: dict[str, int], k_from: float) -> tuple[float, str, int] | None:
    """(divisor, suffix, decimals) for a compact figure, or None below `k_from`.

    A unit takes over where the next smaller one, shown with its decimals, would round to a
    thousand of itself: 999,950 is "1.0M", never "1,000.0k".
    """
    if round(size / 1e6, decimals["M"]) >= 1000:
        return 1e9, "B", decimals["B"]
    if round(size / 1e3, decimals["k"]) >= 1000:
        return 1e6, "M", decimals["M"]
    if round(size) >= k_from:
        return 1e3, "k", decimals["k"]
    return None


def usd_compact(amount: float | None) -> str:
    """$13.4k, $1.25M, $3.00B: headline money where the exact figure is one click away.

    A unit takes over where the smaller one would round to a thousand of itself ($999,950 is
    $1.00M, not $1,000.0k); below $10,000 the exact `usd` rule applies.
    """
    if not _finite(amount):
        return MISSING
    assert amount is not None
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    unit = _unit(value, {"B": 2, "M": 2, "k": 1}, k_from=10_000)
    if unit is None:
        return usd(amount)
    divisor, suffix, decimals = unit
    return f"{sign}${value / divisor:,.{decimals}f}{suffix}"


def count(value: float | None, unit: str = "") -> str:
    """A count of queries or examples: thousands separators; decimals only below 10."""
    if not _finite(value):
        return MISSING
    assert value is not None
    text = f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def tokens(value: float | None) -> str:
    """Token counts: 999 · 1.2k · 342.8k · 4.5M · 1.2B (one decimal past a thousand).

    A unit takes over where the smaller one would round to a thousand of itself (999,950 is 1.0M).
    """
    if not _finite(value):
        return MISSING
    assert value is not None
    unit = _unit(abs(value), {"B": 1, "M": 1, "k": 1}, k_from=1_000)
    if unit is None:
        return f"{value:,.0f}"
    divisor, suffix, decimals = unit
    return f"{value / divisor:,.{decimals}f}{suffix}"


def number(value: float | None) -> str:
    """An assumption's value: integers without decimals, others with up to four significant."""
    if not _finite(value):
        return MISSING
    assert value is not None
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.4g}"


def pct(value: float | None) -> str:
    """A percentage given in percent units (3 → '3%', 2.5 → '2.5%')."""
    if not _finite(value):
        return MISSING
    return f"{value:g}%"


def probability(share: float | None) -> str:
    """A share in [0, 1] as a whole percentage; under half a percent is '<1%', never a false 0%."""
    if not _finite(share):
        return MISSING
    assert share is not None
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share * 100:.0f}%"


def months(value: int) -> str:
    """1 month, 12 months."""
    return f"{value} month" if value == 1 else f"{value} months"


def file_size(size_bytes: int) -> str:
    """23.3 KB, 41.2 MB: a file's size as a person reads it."""
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:,.1f} KB"
    return f"{size_bytes / 1024 / 1024:,.1f} MB"


def file_stem(name: str, fallback: str = "scenario") -> str:
    """A download's file name from a scenario name: letters of any script kept, the rest dashes.

    "Acme 请求 — Ü!" → "acme-请求-ü": a non-Latin name keeps its words instead of collapsing to the
    fallback; path separators, dots and controls never survive.
    """
    stem = re.sub(r"[\W_]+", "-", name).strip("-").lower()[:80].strip("-")
    return stem or fallback


def duration_ms(value: float | None) -> str:
    """A latency: whole milliseconds below a second, seconds to one decimal from there.

    850 → '850 ms', 4,431 → '4.4 s'.
    """
    if not _finite(value):
        return MISSING
    assert value is not None
    if round(abs(value)) < 1_000:
        return f"{value:,.0f} ms"
    return f"{value / 1_000:,.1f} s"


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 22 → '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
