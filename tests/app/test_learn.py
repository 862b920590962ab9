"""Learn page: this scenario's path through the tree, the framework, the five-question quiz."""

from __future__ import annotations

from estimators.decision.learn import learn_content
from tests.app.conftest import alerts, tables, texts


def open_tab(at, label: str):
    """Open one of Learn's tabs (its key in the page): only the open one is drawn."""
    at.session_state["learn.tab"] = label
    return at.run()


def test_shows_the_path_the_scenario_takes(app):
    at = app("learn")
    page = texts(at)
    assert "Does the model need facts from your own data?" in page
    assert "RAG with a hand-tuned prompt" in page
    assert "Inputs: `task.problems`, `data.knowledge_base.documents`" in page


def test_highlights_the_branches_of_the_scenarios_problems(app):
    at = open_tab(app("learn"), "The framework")
    markdown = "\n".join(m.value for m in at.markdown if not m.value.startswith("|"))  # no tables
    # support-chatbot names style and knowledge: two of the five branches are on its path.
    assert markdown.count("Your scenario") == 2


def test_the_quiz_gives_feedback_on_each_answer(app):
    at = open_tab(app("learn"), "Self-check")
    questions = learn_content().questions
    first, second = questions[0], questions[1]
    at.radio(key=f"learn.quiz.{first.id}").set_value(first.answer).run()
    wrong = (second.answer + 1) % 4
    at.radio(key=f"learn.quiz.{second.id}").set_value(wrong).run()
    assert any(first.explanation in s for s in alerts(at, "success"))
    assert any(second.options[second.answer] in e for e in alerts(at, "error"))
    assert "2 of 5 answered" in texts(at)


def test_draws_only_the_open_tab(app):
    symptom = learn_content().decision_tree[0].symptom
    at = app("learn")
    assert "Does the model need facts from your own data?" in texts(at)
    assert symptom not in texts(at)
    at = open_tab(at, "The framework")
    assert symptom in texts(at)
    assert "Does the model need facts from your own data?" not in texts(at)


def test_the_framework_tables_are_text_tables_with_the_scenarios_data_tier(app):
    at = open_tab(app("learn"), "The framework")
    found = tables(at)
    assert [list(t.columns) for t in found] == [
        [
            "Approach",
            "What changes",
            "Cost",
            "Per query (article)",
            "Ships in",
            "Reversible",
            "Upkeep",
        ],
        ["From", "Tier", "Meaning", "Your scenario"],
        ["Factor", "Effect", "Scenario input"],
    ]
    assert not at.table  # no pandas frames: Markdown tables need neither pandas nor Arrow
    # support-chatbot has 300 labelled examples: one tier, the highest starting at or below 300
    assert found[1]["Your scenario"].tolist().count("◀ 300 examples") == 1
