"""Display formatting only: money, counts and labels. No cost arithmetic lives here."""

from __future__ import annotations

import re

APPROACH_SHORT_NAMES: dict[str, str] = {
    "prompting": "Prompting",
    "dspy": "DSPy",
    "rag": "RAG",
    "lora": "LoRA fine-tune",
    "full": "Full fine-tune",
}
PROBLEM_LABELS: dict[str, str] = {
    "style": "Style, tone or format",
    "knowledge": "Proprietary knowledge",
    "schema": "Strict output schema",
    "cost": "Inference cost",
    "latency": "Latency",
}
VERDICT_LABELS: dict[str, str] = {
    "recommended": "Recommended",
    "consider": "Consider",
    "avoid": "Avoid",
}
LEVEL_COLOURS: dict[str, str] = {"high": "red", "medium": "orange", "low": "green"}


def short_name(approach_id: str | None) -> str:
    """A short approach name for headlines ('LoRA fine-tune'); the id itself if unknown."""
    if approach_id is None:
        return "—"
    return APPROACH_SHORT_NAMES.get(approach_id, approach_id)


def usd(amount: float | None) -> str:
    """Whole dollars above $100, cents below, fractions of a cent for per-query prices."""
    if amount is None:
        return "—"
    size = abs(amount)
    if size >= 100:
        return f"${amount:,.0f}"
    if size >= 1 or size == 0:
        return f"${amount:,.2f}"
    if size >= 0.01:
        return f"${amount:.4f}"
    return f"${amount:.5f}"


def usd_compact(amount: float | None) -> str:
    """$13.4k, $1.2M: for headline metrics where the exact figure is one click away."""
    if amount is None:
        return "—"
    size = abs(amount)
    if size >= 1e6:
        return f"${amount / 1e6:,.2f}M"
    if size >= 1e4:
        return f"${amount / 1e3:,.1f}k"
    return usd(amount)


def count(value: float | None, unit: str = "") -> str:
    """A count with thousands separators and an optional unit."""
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def tokens(value: float | None) -> str:
    """Token counts: 1,234 / 12.3k / 4.5M / 1.2B."""
    if value is None:
        return "—"
    size = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e4, "k")):
        if size >= limit:
            return f"{value / limit:,.1f}{suffix}"
    return f"{value:,.0f}"


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


def months(value: int) -> str:
    return f"{value} month" if value == 1 else f"{value} months"


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


def file_size(size_bytes: int) -> str:
    """23.3 KB, 41.2 MB: a file's size as a person reads it."""
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:,.1f} KB"
    return f"{size_bytes / 1024 / 1024:,.1f} MB"


def percent(share: float | None) -> str:
    """0.437 → '44%'; under half a percent shows as '<1%' rather than a misleading 0%."""
    if share is None:
        return "—"
    if 0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"
