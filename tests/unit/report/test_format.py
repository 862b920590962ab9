"""Every formatter at each boundary, with exact values, and parsed back close to the value.

Last turn a token count of 342,846 showed as "34.3k" because one branch divided by 1e4: each branch
here is pinned at both sides of its threshold.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report.format import (
    MISSING,
    count,
    file_size,
    file_stem,
    months,
    number,
    pct,
    probability,
    tokens,
    usd,
    usd_compact,
)

SUFFIX = {"": 1.0, "k": 1e3, "M": 1e6, "B": 1e9}


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (999, "999"),
        (999.4, "999"),
        (999.96, "1.0k"),  # rounds up into the next unit rather than printing "1,000"
        (1_000, "1.0k"),
        (1_234, "1.2k"),
        (9_999, "10.0k"),
        (10_000, "10.0k"),
        (342_846, "342.8k"),  # the reported bug: was "34.3k"
        (999_949, "999.9k"),
        (999_950, "1.0M"),
        (1_000_000, "1.0M"),
        (4_500_000, "4.5M"),
        (999_949_999, "999.9M"),
        (1_000_000_000, "1.0B"),
        (1_234_567_890_123, "1,234.6B"),
        (-12_345, "-12.3k"),
    ],
)
def test_tokens_at_every_unit_boundary(value: float, shown: str) -> None:
    assert tokens(value) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "$0"),
        (0.00096, "$0.00096"),
        (0.0031, "$0.0031"),
        (0.012345, "$0.0123"),
        (0.5, "$0.50"),
        (0.999, "$0.999"),
        (0.99996, "$1.00"),
        (1, "$1.00"),
        (56.7, "$56.70"),
        (99.99, "$99.99"),
        (100, "$100"),
        (13_415.53, "$13,416"),
        (-250, "-$250"),
        (-0.0031, "-$0.0031"),
        (1e-12, "$0"),
    ],
)
def test_usd_at_every_boundary(amount: float, shown: str) -> None:
    assert usd(amount) == shown


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, -math.inf])
def test_every_formatter_prints_missing_values_as_a_dash(missing: float | None) -> None:
    for fmt in (usd, usd_compact, count, tokens, number, pct, probability):
        assert fmt(missing) == MISSING == "—"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (9_999, "$9,999"),
        (9_999.99, "$10.0k"),  # "$10,000" rolls into the next unit
        (10_000, "$10.0k"),
        (13_415.53, "$13.4k"),
        (999_949, "$999.9k"),
        (999_950, "$1.00M"),  # rounds into the next unit, not "$1,000.0k"
        (1_250_000, "$1.25M"),
        (3.0e9, "$3.00B"),
        (-42_000, "-$42.0k"),
        (55.5, "$55.50"),
    ],
)
def test_usd_compact_at_every_boundary(amount: float, shown: str) -> None:
    assert usd_compact(amount) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (2.5, "2.50"), (9.99, "9.99"), (10, "10"), (10.4, "10"), (1_234_567, "1,234,567")],
)
def test_count_keeps_decimals_only_below_ten(value: float, shown: str) -> None:
    assert count(value) == shown
    assert count(value, "queries") == f"{shown} queries"


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0, "0%"),
        (0.004, "<1%"),
        (0.005, "0%"),
        (0.006, "1%"),
        (0.437, "44%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (1, "100%"),
    ],
)
def test_probability_never_shows_a_false_zero_or_hundred(share: float, shown: str) -> None:
    assert probability(share) == shown


def test_small_helpers() -> None:
    assert number(3) == "3" and number(0.123456) == "0.1235" and number(1234.5) == "1,234"
    assert pct(3) == "3%" and pct(2.5) == "2.5%"
    assert months(1) == "1 month" and months(12) == "12 months"
    assert file_size(23_859) == "23.3 KB" and file_size(43_201_331) == "41.2 MB"


def _parse(text: str) -> float:
    match = re.fullmatch(r"(-?)\$?([\d,]+(?:\.\d+)?)([kMB]?)", text)
    assert match, text
    sign = -1 if match.group(1) else 1
    return sign * float(match.group(2).replace(",", "")) * SUFFIX[match.group(3)]


@given(st.floats(min_value=-1e13, max_value=1e13, allow_nan=False))
def test_tokens_parse_back_within_rounding(value: float) -> None:
    # One decimal of the unit: off by at most 0.05 of it (or 0.5 below a thousand).
    shown = tokens(value)
    unit = SUFFIX.get(shown[-1], 1.0)
    tolerance = 0.5 if unit == 1.0 else 0.05 * unit
    assert abs(_parse(shown) - value) <= tolerance * 1.0001


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_usd_parses_back_within_rounding(amount: float) -> None:
    shown = _parse(usd(amount))
    # Whole dollars from $100, cents from $1, three significant digits below (at most eight
    # decimals: a millionth of a cent is the finest figure shown).
    below_a_dollar = abs(amount) * 0.01 + 0.5e-8
    tolerance = 0.5 if abs(amount) >= 100 else 0.005 if abs(amount) >= 1 else below_a_dollar
    assert abs(shown - amount) <= tolerance + 1e-9


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_usd_compact_parses_back_within_one_percent(amount: float) -> None:
    assert abs(_parse(usd_compact(amount)) - amount) <= max(abs(amount) * 0.01, 0.5)


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Acme support chatbot", "acme-support-chatbot"),
        ("Acme 请求 — Ü!", "acme-请求-ü"),
        ("צ'אטבוט תמיכה", "צ-אטבוט-תמיכה"),
        ("../../etc/passwd", "etc-passwd"),
        ("—!!—", "scenario"),
    ],
)
def test_file_stem_keeps_letters_of_any_script(name: str, stem: str) -> None:
    assert file_stem(name) == stem
