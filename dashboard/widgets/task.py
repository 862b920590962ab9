"""Task and problems: what the feature must do, which of the decision tree's branches apply."""

from __future__ import annotations

import streamlit as st

from dashboard.widgets import fields
from dashboard.widgets.input_groups import Group
from estimators.ids import PROBLEM_LABELS, PROBLEMS
from estimators.scenario import Scenario


def show(scenario: Scenario) -> None:
    """Inputs for `task.*`."""
    fields.line(
        "name",
        "Scenario name",
        help="Shown on the exports and the PDF.",
        max_chars=200,
    )
    fields.text(
        "task.description",
        "What should the feature do?",
        help="A sentence or two. Words such as 'multi-step reasoning' raise the data the "
        "decision tree asks for before a fine-tune.",
        max_chars=5_000,
        height=80,
    )
    fields.many(
        "task.problems",
        "Which problems must it solve?",
        PROBLEMS,
        help="The five branches of the decision tree: style → prompting then DSPy; proprietary "
        "knowledge → RAG; strict schema → structured output first; cost or latency → a "
        "fine-tuned smaller model.",
        format_func=PROBLEM_LABELS.__getitem__,
    )
    left, right = st.columns(2, vertical_alignment="center")
    with left:
        fields.flag(
            "task.prompting_tried",
            "Prompts already tried",
            help="On: prompts were tried and stopped improving, so the tree moves on to DSPy "
            "and then a fine-tune.",
        )
    with right:
        fields.number(
            "task.changes_per_year",
            "Task changes per year",
            help="How often the instructions or output format change. Each change means a "
            "prompt edit, a DSPy re-run, or a retrain for a fine-tune.",
            min_value=0,
            max_value=365,
            step=1,
            format="%.1f",
        )


GROUP = Group("task", "Task and problems", ":material/assignment:", ("name", "task"), show)
