"""Risks page: every failure mode with its level, drivers, mitigation and test; ticks persist."""

from __future__ import annotations

from estimators.decision.risks import assess_risks
from estimators.presets import DEFAULT_PRESET, get_preset
from report.plain import plain as in_words
from tests.app.conftest import page_path, plain, scenario_of, texts


def test_opens_on_the_recommended_approachs_risks(app):
    at = app("risks")
    # support-chatbot recommends RAG: the page opens on the risks that come with it
    assert at.segmented_control(key="risks.focus").value == "rag"
    page = texts(at)
    for risk in assess_risks(get_preset(DEFAULT_PRESET).scenario):
        if "rag" in risk.applies_to:
            assert risk.title in page and risk.mitigation in page


def test_lists_every_risk_with_level_drivers_mitigation_and_test(app):
    at = app("risks")
    at.segmented_control(key="risks.focus").set_value("all").run()
    risks = assess_risks(get_preset(DEFAULT_PRESET).scenario)
    page = texts(at)
    for risk in risks:
        assert risk.title in page
        assert risk.mitigation in page
        assert risk.how_to_test in page
        assert all(in_words(driver) in page for driver in risk.drivers)
    levels = {m.label: m.value for m in at.metric}
    expected = {level: sum(r.level == level for r in risks) for level in ("high", "medium", "low")}
    assert (levels["High"], levels["Medium"], levels["Low"]) == tuple(
        str(expected[level]) for level in ("high", "medium", "low")
    )


def test_levels_follow_the_approach_picked(app):
    at = app("risks")
    at.segmented_control(key="risks.focus").set_value("rag").run()
    # RAG's own four failure modes are shown; the other eight move to the expander.
    assert "Retrieval misses" in texts(at)
    assert at.main.expander[-1].label.startswith("8 more")


def test_a_ticked_mitigation_is_kept_in_the_scenario_and_its_exports(app):
    at = app("risks")
    at.segmented_control(key="risks.focus").set_value("all").run()
    at.checkbox(key="risk1:fabricated_citations").check().run()
    assert scenario_of(at).mitigations_in_place == ["fabricated_citations"]
    assert "1 of 12" in texts(at)
    at.switch_page(page_path("export")).run()
    assert '"fabricated_citations"' in plain(at.code[0].value)
