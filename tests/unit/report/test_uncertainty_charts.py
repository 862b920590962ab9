"""Tornado and chance-of-being-cheapest charts: rows equal the sensitivity and the draws."""

from __future__ import annotations

import pytest

from estimators.estimate import estimate
from estimators.presets import get_preset
from estimators.results import Estimate
from estimators.uncertainty.analysis import with_uncertainty
from report.frames import MIN_SWING_SHARE, p_cheapest_frame, tornado_frame
from report.uncertainty_charts import p_cheapest_chart, tornado_chart
from tests.unit import chart_specs as cs


@pytest.fixture(scope="module")
def chatbot() -> Estimate:
    return estimate(get_preset("support-chatbot").scenario)


@pytest.fixture(scope="module")
def ranged(chatbot: Estimate) -> Estimate:
    """The chatbot with the real uncertainty analysis (500 draws keep the suite quick)."""
    return with_uncertainty(chatbot, draws=500, seed=1)


def test_tornado_rows_run_from_the_largest_swing_down(ranged: Estimate) -> None:
    spec = tornado_chart(ranged, "rag").to_dict()
    rows = cs.rows(spec, cs.layer(spec, "bar"))
    swings = [r["swing_usd"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    # The y axis keeps that order rather than sorting the ids alphabetically.
    assert cs.layer(spec, "bar")["encoding"]["y"]["sort"] == [r["assumption"] for r in rows]


def test_tornado_bar_ends_are_the_totals_at_each_inputs_low_and_high(ranged: Estimate) -> None:
    spec = tornado_chart(ranged, "rag").to_dict()
    bars = cs.layer(spec, "bar")
    rows = {r["assumption"]: r for r in cs.rows(spec, bars)}
    assert ranged.sensitivity is not None
    for row in ranged.sensitivity:
        if row.approach != "rag" or row.assumption not in rows:
            continue
        drawn = rows[row.assumption]
        assert (drawn["low_usd"], drawn["high_usd"]) == (row.low_total, row.high_total)
        assert (drawn["low_value"], drawn["high_value"]) == (row.low_value, row.high_value)
        assert drawn["base_usd"] == row.base_total
    # Each bar runs from the folded end (low_usd or high_usd) to the base total.
    assert bars["encoding"]["x"]["field"] == "total_usd"
    assert bars["encoding"]["x2"]["field"] == "base_usd"
    fold = next(t for t in bars.get("transform", spec.get("transform", [])) if "fold" in t)
    assert fold["fold"] == ["low_usd", "high_usd"]


def test_tornado_rule_marks_the_total_at_the_likely_values(ranged: Estimate) -> None:
    spec = tornado_chart(ranged, "rag").to_dict()
    (rule_row,) = cs.rows(spec, cs.layer(spec, "rule"))
    assert rule_row["base_usd"] == ranged.approach("rag").total_usd


def test_tornado_tooltips_carry_the_low_and_high_input_values(ranged: Estimate) -> None:
    tooltips = cs.layer(tornado_chart(ranged, "rag").to_dict(), "bar")["encoding"]["tooltip"]
    assert {"assumption", "low_value", "high_value", "low_usd", "high_usd"} <= {
        t["field"] for t in tooltips
    }


def test_tornado_title_names_the_approach_and_the_unit(ranged: Estimate) -> None:
    title = tornado_chart(ranged, "rag").to_dict()["title"]["text"]
    assert ranged.approach("rag").name in title
    assert "horizon total, USD" in title


def test_tornado_shows_at_most_top_rows(ranged: Estimate) -> None:
    spec = tornado_chart(ranged, "rag", top=3).to_dict()
    rows = cs.rows(spec, cs.layer(spec, "bar"))
    assert len(rows) == 3
    everything = tornado_frame(ranged, "rag", top=100)
    assert [r["assumption"] for r in rows] == everything["assumption"].head(3).tolist()


def test_tornado_leaves_out_swings_too_small_to_see(ranged: Estimate) -> None:
    assert ranged.sensitivity is not None
    mine = [r for r in ranged.sensitivity if r.approach == "rag"]
    largest = max(r.swing for r in mine)
    frame = tornado_frame(ranged, "rag", top=100)
    # rag.chunk_overlap_tokens moves the RAG total by cents on a ~$42,000 total.
    assert any(r.swing < MIN_SWING_SHARE * largest for r in mine)
    assert (frame["swing_usd"] >= MIN_SWING_SHARE * largest).all()
    assert len(frame) == sum(r.swing >= MIN_SWING_SHARE * largest for r in mine)


def test_tornado_without_sensitivity_raises_a_sentence_a_page_can_show(chatbot: Estimate) -> None:
    assert chatbot.sensitivity is None
    with pytest.raises(ValueError, match="No sensitivity data"):
        tornado_chart(chatbot, "rag")
    assert tornado_frame(chatbot, "rag").empty


def test_tornado_of_an_unknown_approach_names_the_valid_ones(ranged: Estimate) -> None:
    with pytest.raises(ValueError, match="prompting, dspy, rag, lora, full"):
        tornado_chart(ranged, "not-an-approach")


def test_tornado_of_an_approach_with_no_rows_raises(ranged: Estimate) -> None:
    nothing = ranged.model_copy(
        update={"sensitivity": [r for r in ranged.sensitivity or [] if r.approach != "lora"]}
    )
    with pytest.raises(ValueError, match="No assumption moves the total"):
        tornado_chart(nothing, "lora")


def test_p_cheapest_rows_are_the_estimates_probabilities(ranged: Estimate) -> None:
    assert ranged.p_cheapest is not None
    frame = p_cheapest_frame(ranged)
    assert dict(zip(frame["approach_id"], frame["p_cheapest"], strict=True)) == pytest.approx(
        ranged.p_cheapest
    )
    assert frame["p_cheapest"].sum() == pytest.approx(1.0)
    spec = p_cheapest_chart(ranged).to_dict()
    assert cs.layer(spec, "bar")["encoding"]["x"]["scale"]["domain"] == [0, 1]


def test_p_cheapest_without_uncertainty_is_empty_or_raises(chatbot: Estimate) -> None:
    assert p_cheapest_frame(chatbot).empty
    with pytest.raises(ValueError, match="without the uncertainty analysis"):
        p_cheapest_chart(chatbot)
