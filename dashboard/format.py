"""Dashboard-only display: Markdown escaping and tables, line-item inputs, the break-even headline.

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


# What can start emphasis, code, links, images, HTML, entities, tables or strike-through anywhere
# in a line, plus '$' (LaTeX), ':' (Streamlit's :icon: and :colour[] directives) and '#'
# (headings). Escaping any ASCII punctuation is plain CommonMark: the reader sees the character.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$:#&!])")
# Line breaks of every kind become spaces: user text is one line, so it can never start a
# heading, a list, a quote, a code block or a table of its own.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
# GitHub-flavoured autolinks ("www.x.com", "https://x.com", "a@b.com") and Streamlit's
# ":material/icon:" are found in the text *after* escapes are resolved (they rewrite text nodes),
# so a backslash does not stop them: a WORD JOINER (U+2060, invisible) after "www", after "@"
# and after a colon that a letter or "//" follows does.
WORD_JOINER = "\u2060"
_AUTOLINK_START = re.compile(r"(?i)\b(www)(?=\.)|(:)(?=//|[a-z])|(@)")
# A list marker or "1." / "1)" at the start, in case the text opens a Markdown string.
_LINE_START_MARKER = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))")


def md(text: str) -> str:
    """User text made inert inside Markdown: one line, no links (bare or not), images, HTML,
    headings, lists, emphasis or directives; the reader sees the text as typed (with an
    invisible word joiner where a link would otherwise start).

    Every piece of user text (scenario name, file name, error messages quoting input) reaches
    the page through this function.
    """
    flat = _LINE_BREAKS.sub(" ", str(text)).strip()
    joined = _AUTOLINK_START.sub(lambda m: m.group(0) + WORD_JOINER, flat)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", joined)
    return _LINE_START_MARKER.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    indent, bullet, digits, closer = match.groups()
    return f"{indent}\\{bullet}" if bullet else f"{indent}{digits}\\{closer}"


def table(rows: list[dict[str, str]]) -> str:
    """Rows of text as a Markdown table, every cell through `md()`.

    Compare draws its tables this way rather than with `st.table`: that needs pandas on the
    server (pyarrow imports it to build any table) and the Arrow renderer in the browser, which
    together were a third of a fresh server's first load (issue 17). Headers come from the
    first row.
    """
    if not rows:
        return ""
    header = list(rows[0])
    lines = [
        "| " + " | ".join(md(name) for name in header) + " |",
        "|" + " --- |" * len(header),
    ]
    lines += ["| " + " | ".join(md(row[name]) or " " for name in header) + " |" for row in rows]
    return "\n".join(lines)


def rival_of(approaches: list, approach_id: str | None) -> str | None:
    """The approach a reader weighs `approach_id` against: the cheapest other one over the
    horizon (the next cheapest when it is itself the cheapest)."""
    others = [a for a in approaches if a.available and a.id != approach_id]
    return min(others, key=lambda a: a.total_usd).id if others else None


def headline_break_even(
    break_evens: list, approach_id: str | None, rival_id: str | None
) -> tuple[str, str]:
    """(value, sentence) for where `approach_id` and its rival cross: the month one overtakes the
    other at this volume, else the daily volume where their horizon totals cross, else "No
    crossing" in words. Selection and wording only; the crossings come from the engine."""
    if approach_id is None or rival_id is None:
        return "—", "There is no other approach to compare it with."
    pair = next((b for b in break_evens if {b.a, b.b} == {approach_id, rival_id}), None)
    mine, rival = short_name(approach_id), short_name(rival_id)
    if pair is not None and pair.month is not None:
        other = pair.b if pair.cheaper_after_month == pair.a else pair.a
        return (
            f"Month {pair.month}",
            f"{short_name(pair.cheaper_after_month)} is cheaper than {short_name(other)} in total "
            f"from month {pair.month}.",
        )
    if pair is not None and pair.daily_queries is not None:
        winner = short_name(pair.cheaper_above_daily_queries)
        loser = rival if pair.cheaper_above_daily_queries == approach_id else mine
        return (
            f"{pair.daily_queries:,.0f}/day",
            f"{mine} and {rival} do not cross over time at this volume; above "
            f"{pair.daily_queries:,.0f} queries/day {winner} costs less than {loser} in total.",
        )
    return (
        "No crossing",
        f"{mine} and {rival} keep their order over the whole horizon at any daily volume.",
    )
