"""Chart builders: the rows they carry equal the estimate's figures, and encodings have units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from estimators.estimate import estimate
from estimators.presets import get_preset
from estimators.results import Estimate
from estimators.uncertainty.analysis import with_uncertainty
from report.charts import (
    APPROACH_COLOURS,
    BAND_OPACITY,
    approach_colour,
    cost_composition_chart,
    cost_per_1k_queries_chart,
    cumulative_cost_chart,
    latency_chart,
)
from report.frames import break_even_frame
from tests.unit import chart_specs as cs

REPORT_DIR = Path(__file__).resolve().parents[3] / "report"


@pytest.fixture(scope="module")
def chatbot() -> Estimate:
    return estimate(get_preset("support-chatbot").scenario)


@pytest.fixture(scope="module")
def triage() -> Estimate:
    """RAG is unavailable here (no knowledge base) and four pairs cross within the year."""
    return estimate(get_preset("ticket-triage").scenario)


@pytest.fixture(scope="module")
def ranged() -> Estimate:
    """The chatbot with the real uncertainty analysis (500 draws keep the suite quick)."""
    return with_uncertainty(estimate(get_preset("support-chatbot").scenario), draws=500, seed=1)


def _available(result: Estimate) -> list[Any]:
    return [a for a in result.approaches if a.available]


def test_cumulative_chart_has_one_row_per_available_approach_and_month(triage: Estimate) -> None:
    spec = cumulative_cost_chart(triage).to_dict()
    lines = cs.layer(spec, "line")
    rows = cs.rows(spec, lines)
    available = _available(triage)
    # 4 available approaches × months 0..12 = 52 rows.
    assert len(rows) == len(available) * (triage.scenario.horizon_months + 1)
    for a in available:
        mine = sorted((r for r in rows if r["approach_id"] == a.id), key=lambda r: r["month"])
        assert [r["cumulative_usd"] for r in mine] == pytest.approx(a.cumulative_usd)


def test_cumulative_chart_leaves_out_unavailable_approaches(triage: Estimate) -> None:
    assert not triage.approach("rag").available
    spec = cumulative_cost_chart(triage).to_dict()
    rows = cs.rows(spec, cs.layer(spec, "line"))
    assert "rag" not in {r["approach_id"] for r in rows}


def test_cumulative_chart_encodes_month_and_usd_with_units(chatbot: Estimate) -> None:
    encoding = cs.layer(cumulative_cost_chart(chatbot).to_dict(), "line")["encoding"]
    assert encoding["x"]["field"] == "month"
    assert encoding["y"]["field"] == "cumulative_usd"
    assert "USD" in encoding["y"]["title"]
    assert {t["field"] for t in encoding["tooltip"]} == {"approach", "month", "cumulative_usd"}


def test_each_approach_keeps_its_colour(triage: Estimate) -> None:
    scale = cs.layer(cumulative_cost_chart(triage).to_dict(), "line")["encoding"]["color"]["scale"]
    available = _available(triage)
    assert scale["domain"] == [a.name for a in available]
    assert scale["range"] == [APPROACH_COLOURS[a.id] for a in available]
    per_1k = cs.layers(cost_per_1k_queries_chart(triage).to_dict())[0]["encoding"]["color"]
    assert per_1k["scale"]["range"] == scale["range"]


def test_an_unknown_approach_id_gets_a_neutral_colour() -> None:
    assert approach_colour("not-an-approach") not in APPROACH_COLOURS.values()


def test_break_even_markers_sit_between_the_months_around_each_crossing(triage: Estimate) -> None:
    crossings = [b for b in triage.break_even if b.month is not None]
    spec = cumulative_cost_chart(triage).to_dict()
    markers = cs.rows(spec, cs.layer(spec, "point"))
    assert len(markers) == len(crossings) == 4
    for marker in markers:
        assert marker["month"] - 1 <= marker["month_x"] <= marker["month"]


def test_break_even_marker_lies_on_both_lines(triage: Estimate) -> None:
    frame = break_even_frame(triage)
    first = next(b for b in triage.break_even if b.month is not None)
    row = frame.iloc[0]
    a, b = triage.approach(first.a).cumulative_usd, triage.approach(first.b).cumulative_usd
    assert a is not None
    assert b is not None
    m, t = first.month, row["month_x"] - (first.month - 1)

    def at(cum: list[float]) -> float:
        return cum[m - 1] + t * (cum[m] - cum[m - 1])

    assert at(a) == pytest.approx(row["cumulative_usd"])
    assert at(b) == pytest.approx(row["cumulative_usd"])


def test_no_crossing_gives_an_empty_marker_layer(chatbot: Estimate) -> None:
    assert all(b.month is None for b in chatbot.break_even)
    spec = cumulative_cost_chart(chatbot).to_dict()
    assert cs.rows(spec, cs.layer(spec, "point")) == []


def test_composition_parts_add_up_to_each_total(chatbot: Estimate) -> None:
    spec = cost_composition_chart(chatbot).to_dict()
    rows = cs.rows(spec, spec)
    for a in _available(chatbot):
        parts = {r["component"]: r["usd"] for r in rows if r["approach_id"] == a.id}
        assert parts == pytest.approx(
            {"Setup": a.setup_usd, "Usage": a.usage_usd, "Upkeep": a.upkeep_usd}
        )
        assert sum(parts.values()) == pytest.approx(a.total_usd)
    assert spec["encoding"]["x"]["stack"] == "zero"
    assert "USD" in spec["encoding"]["x"]["title"]


def test_cost_per_1k_queries_is_the_per_query_cost_times_1000(chatbot: Estimate) -> None:
    spec = cost_per_1k_queries_chart(chatbot).to_dict()
    bars = cs.layers(spec)[0]
    rows = {r["approach_id"]: r["usd_per_1k_queries"] for r in cs.rows(spec, bars)}
    # Prompting: $0.0031 a query → $3.10 per 1,000 queries (figures as the engine gives them).
    assert rows == pytest.approx({a.id: a.per_query_usd * 1000 for a in _available(chatbot)})
    assert bars["encoding"]["x"]["title"] == "USD per 1,000 queries"


def test_charts_build_when_no_approach_can_be_priced(chatbot: Estimate) -> None:
    nothing = chatbot.model_copy(
        update={
            "approaches": [
                a.model_copy(update={"available": False, "cumulative_usd": None})
                for a in chatbot.approaches
            ],
            "break_even": [],
        }
    )
    for build in (cumulative_cost_chart, cost_composition_chart, cost_per_1k_queries_chart):
        assert build(nothing).to_dict()["datasets"]


# --- uncertainty: P10–P90 bands under the lines ---------------------------------------------


def test_bands_appear_only_when_the_estimate_carries_uncertainty(
    chatbot: Estimate, ranged: Estimate
) -> None:
    assert chatbot.uncertainty is None
    plain = [cs.mark_of(layer) for layer in cs.layers(cumulative_cost_chart(chatbot).to_dict())]
    banded = [cs.mark_of(layer) for layer in cs.layers(cumulative_cost_chart(ranged).to_dict())]
    assert plain == ["line", "point"]
    assert banded == ["area", "line", "point"]  # bands first: drawn under the lines


def test_band_rows_equal_the_cumulative_ranges_month_by_month(ranged: Estimate) -> None:
    assert ranged.uncertainty is not None
    spec = cumulative_cost_chart(ranged).to_dict()
    bands = cs.layer(spec, "area")
    rows = cs.rows(spec, bands)
    horizon = ranged.scenario.horizon_months
    assert len(rows) == len(_available(ranged)) * (horizon + 1)  # 5 approaches × months 0..12
    for a in _available(ranged):
        mine = sorted((r for r in rows if r["approach_id"] == a.id), key=lambda r: r["month"])
        expected = ranged.uncertainty.cumulative_ranges[a.id]
        assert [r["p10_usd"] for r in mine] == [b.p10 for b in expected]
        assert [r["p50_usd"] for r in mine] == [b.p50 for b in expected]
        assert [r["p90_usd"] for r in mine] == [b.p90 for b in expected]
    encoding = bands["encoding"]
    assert (encoding["y"]["field"], encoding["y2"]["field"]) == ("p10_usd", "p90_usd")
    assert bands["mark"]["opacity"] == BAND_OPACITY < 0.5


def test_bands_take_each_approachs_colour_without_a_second_legend(ranged: Estimate) -> None:
    spec = cumulative_cost_chart(ranged).to_dict()
    band_colour = cs.layer(spec, "area")["encoding"]["color"]
    line_colour = cs.layer(spec, "line")["encoding"]["color"]
    assert band_colour["scale"] == line_colour["scale"]
    assert band_colour["legend"] is None
    assert line_colour["legend"]["orient"] == "bottom"  # the one legend, as without bands


def test_the_cumulative_subtitle_says_how_many_draws_the_bands_are(ranged: Estimate) -> None:
    subtitle = cumulative_cost_chart(ranged).to_dict()["title"]["subtitle"]
    assert "(P10–P90) of 500 draws" in " ".join(subtitle)


def test_report_never_imports_streamlit() -> None:
    for path in REPORT_DIR.glob("*.py"):
        assert "streamlit" not in path.read_text(encoding="utf-8"), path.name


def test_latency_bars_add_up_to_each_approachs_p50(triage: Estimate) -> None:
    spec = latency_chart(triage).to_dict()
    rows = cs.rows(spec, spec)
    timed = [a for a in triage.approaches if a.latency is not None]
    assert {r["approach_id"] for r in rows} == {a.id for a in timed}  # RAG cannot run here
    for a in timed:
        ms = sum(r["ms"] for r in rows if r["approach_id"] == a.id)
        assert ms == pytest.approx(a.latency.p50_ms)  # type: ignore[union-attr]
    assert spec["encoding"]["x"]["title"] == "Median time per answer (ms)"
    assert spec["encoding"]["color"]["sort"][-1] == "Writing the answer"
