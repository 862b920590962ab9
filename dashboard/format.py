"""Dashboard-only display: Markdown escaping, line-item inputs, the break-even headline.

Money, counts, tokens and shares come from `report.format` (one rule for the app and the PDF);
labels from `estimators.ids`. No cost arithmetic lives here.
"""

from __future__ import annotations

import re

from estimators.ids import short_name

LEVEL_COLOURS: dict[str, str] = {"high": "red", "medium": "orange", "low": "green"}


def number(value: object) -> str:
    """A line item's input value as a reader would write it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:.6g}"


def inputs_text(inputs: dict[str, object]) -> str:
    """`name = value` pairs of a line item's inputs (table cells do not keep line breaks)."""
    return "; ".join(f"{name} = {number(value)}" for name, value in inputs.items())


# What can start emphasis, code, links, images, HTML, tables or strike-through anywhere in a line,
# plus '$' (LaTeX) and ':' (Streamlit's :icon: and :colour[] directives). A line-start '#', '-'
# or '1.' is harmless here: user text is always placed after a label.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$:])")


def md(text: str) -> str:
    """User text made inert inside Markdown: no links, images, emphasis or directives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def headline_break_even(break_evens: list, approach_id: str | None) -> tuple[str, str]:
    """(value, sentence) for the crossing that matters most to `approach_id`: the earliest month
    another approach overtakes it or it overtakes another, else the lowest daily volume at which
    their horizon totals cross. Selection and wording only; the crossings come from the engine."""
    mine = [b for b in break_evens if approach_id in (b.a, b.b)]
    by_month = sorted((b for b in mine if b.month is not None), key=lambda b: b.month)
    if by_month:
        b = by_month[0]
        other = b.b if b.cheaper_after_month == b.a else b.a
        return (
            f"Month {b.month}",
            f"{short_name(b.cheaper_after_month)} is cheaper than {short_name(other)} in total "
            f"from month {b.month}.",
        )
    by_volume = sorted(
        (b for b in mine if b.daily_queries is not None), key=lambda b: b.daily_queries
    )
    if by_volume:
        b = by_volume[0]
        other = b.b if b.cheaper_above_daily_queries == b.a else b.a
        return (
            f"{b.daily_queries:,.0f}/day",
            f"No crossing over time at this volume; above {b.daily_queries:,.0f} queries/day "
            f"{short_name(b.cheaper_above_daily_queries)} beats {short_name(other)}.",
        )
    return "None", "No other approach crosses it within the horizon at any volume."
