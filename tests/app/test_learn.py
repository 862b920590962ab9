"""Learn page: this scenario's path through the tree, the framework, the five-question quiz."""

from __future__ import annotations

from estimators.decision.learn import learn_content
from tests.app.conftest import alerts, texts


def test_shows_the_path_the_scenario_takes(app):
    at = app("learn")
    page = texts(at)
    assert "Does the model need facts from your own data?" in page
    assert "RAG with a hand-tuned prompt" in page
    assert "Inputs: `task.problems`, `data.knowledge_base.documents`" in page


def test_highlights_the_branches_of_the_scenarios_problems(app):
    at = app("learn")
    markdown = "\n".join(m.value for m in at.markdown)
    # support-chatbot names style and knowledge: two of the five branches are on its path.
    assert markdown.count("Your scenario") == 2


def test_the_quiz_gives_feedback_on_each_answer(app):
    at = app("learn")
    questions = learn_content().questions
    first, second = questions[0], questions[1]
    at.radio(key=f"learn.quiz.{first.id}").set_value(first.answer).run()
    wrong = (second.answer + 1) % 4
    at.radio(key=f"learn.quiz.{second.id}").set_value(wrong).run()
    assert any(first.explanation in s for s in alerts(at, "success"))
    assert any(second.options[second.answer] in e for e in alerts(at, "error"))
    assert "2 of 5 answered" in texts(at)
