"""The five-question self-check: one radio per question, feedback as soon as it is answered."""

from __future__ import annotations

import streamlit as st

from dashboard.format import md
from estimators.decision.learn import Question

_PREFIX = "learn.quiz."


def _key(question: Question) -> str:
    return f"{_PREFIX}{question.id}"


def _reset(questions: list[Question]) -> None:
    for question in questions:
        st.session_state[_key(question)] = None


def show(questions: list[Question]) -> int:
    """Ask every question; returns how many are answered correctly so far."""
    correct = 0
    answered = 0
    for number, question in enumerate(questions, start=1):
        with st.container(border=True):
            choice = st.radio(
                f"**{number}. {md(question.question)}**",
                range(len(question.options)),
                index=None,
                key=_key(question),
                format_func=question.options.__getitem__,
            )
            if choice is None:
                continue
            answered += 1
            if choice == question.answer:
                correct += 1
                st.success(f"**Right.** {md(question.explanation)}", icon=":material/check_circle:")
            else:
                right = question.options[question.answer]
                st.error(
                    f"**Not quite — the answer is “{md(right)}”.** {md(question.explanation)}",
                    icon=":material/cancel:",
                )
    left, right = st.columns([3, 1], vertical_alignment="center")
    if answered == len(questions):
        left.markdown(f"**You answered {correct} of {len(questions)} correctly.**")
    else:
        left.caption(f"{answered} of {len(questions)} answered.")
    right.button(
        "Start again",
        icon=":material/restart_alt:",
        on_click=_reset,
        args=(questions,),
        disabled=answered == 0,
        width="stretch",
    )
    return correct
