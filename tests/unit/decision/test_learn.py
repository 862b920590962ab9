"""The Learn content: it validates, agrees with the engine's thresholds, and its quiz is sound."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from estimators.decision.learn import LEARN_PATH, LearnContent, learn_content
from estimators.decision.recommend import (
    MIN_FINE_TUNE_EXAMPLES,
    REASONING_FINE_TUNE_EXAMPLES,
    RELIABLE_FINE_TUNE_EXAMPLES,
    WORKABLE_FINE_TUNE_EXAMPLES,
)
from estimators.decision.risks import risk_info
from estimators.ids import APPROACH_IDS, PROBLEMS, RISK_IDS
from estimators.scenario import scenario_paths

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.replace("et al.", "et al")))


def test_the_shipped_file_validates_and_is_read_once() -> None:
    content = learn_content()
    assert isinstance(content, LearnContent)
    assert learn_content() is content
    assert content.source == "Fine-Tuning: When & Why"


def test_there_are_five_questions_of_four_options_each() -> None:
    questions = learn_content().questions
    assert len(questions) == 5
    for question in questions:
        assert len(question.options) == 4
        assert 0 <= question.answer < 4
        assert len(set(question.options)) == 4


@pytest.mark.parametrize(
    ("index", "answer_mentions"),
    [
        (0, "(RAG)"),  # cite only IDs retrieved into the context
        (1, "catastrophic forgetting"),  # regression after a narrow fine-tune
        (2, "small model"),  # distillation for the 12-category classifier
        (3, "searches prompts systematically"),  # DSPy before weights: cheap, reversible
        (4, "another fine-tuning run"),  # retraining lag after a format change
    ],
)
def test_each_answer_is_the_one_the_articles_reasoning_gives(
    index: int, answer_mentions: str
) -> None:
    question = learn_content().questions[index]
    assert answer_mentions in question.options[question.answer]


def test_the_right_answers_are_not_always_in_the_same_place() -> None:
    assert len({q.answer for q in learn_content().questions}) >= 3


@pytest.mark.parametrize("question", learn_content().questions, ids=lambda q: q.id)
def test_each_explanation_is_two_sentences(question: object) -> None:
    assert sentences(question.explanation) == 2, question.explanation  # type: ignore[attr-defined]


def test_approaches_and_tree_cover_every_id_and_problem_in_order() -> None:
    content = learn_content()
    assert tuple(a.id for a in content.approaches) == APPROACH_IDS
    assert tuple(b.problem for b in content.decision_tree) == PROBLEMS
    assert [a.reversible for a in content.approaches] == [True, True, True, False, False, False]


@pytest.mark.parametrize(
    ("approach", "low", "high"),
    [
        ("prompting", 0.001, 0.01),
        ("dspy", None, None),  # the article gives no per-query range for DSPy
        ("rag", 0.005, 0.02),
        ("lora", 0.0001, 0.001),
        ("full", 0.001, 0.005),
    ],
)
def test_per_query_ranges_are_the_articles(
    approach: str, low: float | None, high: float | None
) -> None:
    entry = next(a for a in learn_content().approaches if a.id == approach)
    got = (
        None if entry.per_query_usd is None else (entry.per_query_usd.low, entry.per_query_usd.high)
    )
    assert got == (None if low is None else (low, high))


def test_every_risk_has_its_prose_once_in_presets() -> None:
    # One home for the failure modes' words: presets/risks.json, read by the Risks and Learn
    # pages and the PDF alike.
    assert [risk_info(r).id for r in RISK_IDS] == list(RISK_IDS)
    assert all(risk_info(r).title and risk_info(r).how_to_test for r in RISK_IDS)


def test_data_thresholds_match_the_decision_engine() -> None:
    mins = [t.min_examples for t in learn_content().data_thresholds]
    assert mins == [
        0,
        MIN_FINE_TUNE_EXAMPLES,
        WORKABLE_FINE_TUNE_EXAMPLES,
        RELIABLE_FINE_TUNE_EXAMPLES,
        REASONING_FINE_TUNE_EXAMPLES,
    ]


def test_forgetting_factors_point_at_real_scenario_inputs() -> None:
    factors = learn_content().forgetting_factors
    assert len(factors) == 4
    assert {f.scenario_input for f in factors} <= scenario_paths()


def test_the_three_cited_studies_are_present_and_used() -> None:
    content = learn_content()
    cited = {(c.authors, c.year) for c in content.citations}
    assert cited == {("Brown et al.", 2020), ("Kandpal et al.", 2022), ("Khattab et al.", 2023)}
    used = {k for p in [*content.fine_tuning_wins, *content.fine_tuning_loses] for k in p.citations}
    used |= set(content.middle_path.citations)
    assert used == {c.key for c in content.citations}


def _shipped() -> dict:
    return json.loads(LEARN_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda d: d["questions"][0]["options"].pop(), "at least 4 items"),
        (lambda d: d["questions"][0].update(answer=4), "less than 4"),
        (lambda d: d["questions"].pop(), "at least 5 items"),
        (lambda d: d["approaches"].reverse(), "expected ids"),
        (lambda d: d["fine_tuning_wins"][0]["citations"].append("nobody2099"), "nobody2099"),
        (lambda d: d["questions"][0].update(hint="x"), "Extra inputs"),
    ],
)
def test_a_broken_file_is_rejected_with_a_clear_message(break_it: object, message: str) -> None:
    data = _shipped()
    break_it(data)  # type: ignore[operator]
    with pytest.raises(ValidationError, match=re.escape(message)):
        LearnContent.model_validate(data)
