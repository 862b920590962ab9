"""Dashboard display helpers: the break-even tile (the right rival, words when nothing crosses)
and `md()`, which makes user text inert inside Markdown."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard.format import headline_break_even, md, rival_of, table
from estimators.timeline import BreakEven
from tests.hostile import MARKDOWN_CASES
from tests.markdown_check import assert_inert, render


def _approach(id_: str, total: float, available: bool = True) -> SimpleNamespace:
    return SimpleNamespace(id=id_, total_usd=total, available=available)


APPROACHES = [
    _approach("prompting", 13_000),
    _approach("dspy", 22_000),
    _approach("rag", 41_000),
    _approach("lora", 9_000),
    _approach("full", 0, available=False),
]


def test_the_rival_is_the_cheapest_other_available_approach() -> None:
    assert rival_of(APPROACHES, "rag") == "lora"  # full is unavailable, though its total is 0
    assert rival_of(APPROACHES, "lora") == "prompting"  # the cheapest's rival is the next one
    assert rival_of(APPROACHES[:1], "prompting") is None


def test_a_crossing_month_names_the_winner_and_the_month() -> None:
    crossing = BreakEven(
        a="prompting",
        b="lora",
        month=7,
        cheaper_after_month="lora",
        daily_queries=None,
        cheaper_above_daily_queries=None,
    )
    value, sentence = headline_break_even([crossing], "lora", "prompting")
    assert value == "Month 7"
    assert sentence == "LoRA fine-tune is cheaper than Prompting in total from month 7."


def test_a_volume_crossing_is_said_in_queries_per_day() -> None:
    crossing = BreakEven(
        a="prompting",
        b="lora",
        month=None,
        cheaper_after_month=None,
        daily_queries=47_250.4,
        cheaper_above_daily_queries="lora",
    )
    value, sentence = headline_break_even([crossing], "prompting", "lora")
    assert value == "47,250/day"
    assert "above 47,250 queries/day LoRA fine-tune costs less than Prompting" in sentence


def test_no_crossing_is_said_in_words_never_none() -> None:
    apart = BreakEven(
        a="prompting",
        b="dspy",
        month=None,
        cheaper_after_month=None,
        daily_queries=None,
        cheaper_above_daily_queries=None,
    )
    # A crossing with another pair is not this pair's: DSPy's month says nothing of LoRA.
    other = BreakEven(
        a="dspy",
        b="lora",
        month=1,
        cheaper_after_month="lora",
        daily_queries=None,
        cheaper_above_daily_queries=None,
    )
    value, sentence = headline_break_even([apart, other], "prompting", "dspy")
    assert value == "No crossing"
    assert sentence == (
        "Prompting and DSPy keep their order over the whole horizon at any daily volume."
    )
    assert headline_break_even([], "prompting", None)[0] == "—"


def test_md_makes_user_text_inert() -> None:
    assert md("**bold** [x](y) $1") == r"\*\*bold\*\* \[x\](y) \$1"


# --- md(): every piece of user text goes through it (issue 17, item 3) ---------------------------


@pytest.mark.parametrize(("case_id", "text"), MARKDOWN_CASES, ids=[c for c, _ in MARKDOWN_CASES])
def test_md_shows_hostile_text_literally_on_one_line(case_id: str, text: str) -> None:
    assert_inert(md(text), text)


@pytest.mark.parametrize(("case_id", "text"), MARKDOWN_CASES, ids=[c for c, _ in MARKDOWN_CASES])
def test_md_shows_hostile_text_literally_after_a_label_and_in_bold(case_id: str, text: str) -> None:
    assert_inert(f"Loaded from {md(text)}.", text)
    assert_inert(f"**{md(text)}**", text)


def test_md_turns_line_breaks_into_spaces_so_a_name_cannot_open_a_heading() -> None:
    assert md("Acme\n\n# OWNED\r\nCall") == r"Acme \# OWNED Call"


def test_md_breaks_bare_www_scheme_and_e_mail_autolinks_with_a_word_joiner() -> None:
    # remark-gfm finds these after escapes are resolved: an invisible U+2060 breaks them.
    assert md("Call www.evil-example.com") == "Call www\u2060.evil-example.com"
    assert md("WWW.x.com") == "WWW\u2060.x.com"
    assert md("https://x.com") == "https\\:\u2060//x.com"
    assert md(":material/warning:") == "\\:\u2060material/warning\\:"
    assert md("a@b.com") == "a@\u2060b.com"


def test_md_escapes_a_list_marker_or_number_only_at_the_start() -> None:
    assert md("- a - b") == r"\- a - b"
    assert md("+ a") == r"\+ a"
    assert md("2024. A year") == r"2024\. A year"
    assert md("Version 2. Final") == "Version 2. Final"


def test_md_leaves_plain_text_alone() -> None:
    assert md("Acme support chatbot (v2), 5,000/day") == "Acme support chatbot (v2), 5,000/day"
    assert md("客服机器人 🤖 דוגמה") == "客服机器人 🤖 דוגמה"


def test_table_writes_one_markdown_row_per_dict_with_every_cell_escaped() -> None:
    rows = [
        {"Approach": "RAG ★", "Total": "$1,234", "Note": "a | b"},
        {"Approach": "Acme\n# OWNED", "Total": "—", "Note": "www.evil-example.com"},
    ]
    html = render(table(rows)).replace("\u2060", "")  # the invisible joiner md() adds
    assert html.count("<tr>") == 3 and html.count("<th>") == 3
    for cell in ("RAG ★", "$1,234", "a | b", "Acme # OWNED", "—", "www.evil-example.com"):
        assert f"<td>{cell}</td>" in html, (cell, html)
    assert "<h1" not in html and "<a " not in html


def test_table_of_no_rows_is_empty() -> None:
    assert table([]) == ""
