"""`estimate_pdf(estimate)`: the summary a tech lead forwards to whoever signs off.

fpdf2 lays out the pages with the bundled fonts; the Altair charts the dashboard shows are
rendered to PNG by vl-convert (an embedded V8: no browser, no network), so export works offline
and on Streamlit Community Cloud. Sections live in pdf_sections / pdf_uncertainty /
pdf_checklists (latency in pdf_latency).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache, lru_cache

import altair as alt
import vl_convert as vlc

from estimators.catalog import ModelEntry
from estimators.results import Estimate
from report import pdf_checklists, pdf_sections, pdf_uncertainty
from report.charts import cost_composition_chart, cumulative_cost_chart
from report.pdf_fonts import FONTS_DIR, setup_fonts
from report.pdf_layout import TOOL_NAME, ReportPDF
from report.uncertainty_charts import tornado_chart

CHART_SCALE = 2.0  # ≈190 dpi at full text width: sharp in print, ~250 kB a chart
_CHART_CONFIG = {"font": "DejaVu Sans", "background": "white"}


@cache
def _chart_fonts() -> None:
    """Give vl-convert the report's fonts once per process, so charts match the text."""
    vlc.register_font_directory(str(FONTS_DIR))


def chart_png(chart: alt.TopLevelMixin, scale: float = CHART_SCALE) -> bytes:
    """A chart as PNG bytes; external data URLs are refused, the data is inline."""
    return _render(chart.to_json(), scale)


@lru_cache(maxsize=16)
def _render(spec_json: str, scale: float) -> bytes:
    """PNG of a Vega-Lite spec: a pure function of its text, so repeat exports reuse it."""
    _chart_fonts()
    return vlc.vegalite_to_png(spec_json, scale=scale, config=_CHART_CONFIG, allowed_base_urls=[])


def _texts(estimate: Estimate, *notes: str | None) -> list[str]:
    """All text the report may print, to choose fonts and shaping before the first line."""
    return [estimate.model_dump_json(), *(note or "" for note in notes)]


def estimate_pdf(
    estimate: Estimate,
    mitigations_note: str | None = None,
    *,
    generated: date | None = None,
    prices: Mapping[str, ModelEntry] | None = None,
    prices_source: str | None = None,
) -> bytes:
    """The estimate as a 2–6 page A4 PDF: question, answer, costs, charts, risks, sources.

    When `with_uncertainty` has run, the cumulative chart carries P10–P90 bands and a "How
    sure" section adds the ranges, the flips and the tornado of the recommended (else the
    cheapest) approach as a third chart.

    `mitigations_note` is free text from the user printed under the risk checklist;
    `generated` is the date printed in the title (today when omitted). `prices` is the price
    table the estimate was made with (None: the bundled catalogue), dating the price notes;
    `prices_source` names where it came from (e.g. "LiteLLM file prices.json").
    """
    scenario = estimate.scenario
    pdf = ReportPDF(running_title=f"{scenario.name} — {TOOL_NAME}")
    pdf.can_shape = setup_fonts(pdf, _texts(estimate, mitigations_note, prices_source))
    pdf.set_title(scenario.name)
    pdf.set_subject("Prompting, DSPy, RAG or fine-tuning: costs, break-even and risks")
    pdf.set_lang("en")
    pdf.add_page()
    on = generated or date.today()
    day = on.strftime("%d %B %Y").lstrip("0")
    pdf.title_block(
        kicker=f"{TOOL_NAME} · prompt, optimise, retrieve or fine-tune?",
        title=scenario.name,
        meta=(
            f"Prepared {day} · prices as of {estimate.prices_as_of} · "
            f"{scenario.horizon_months}-month horizon"
        ),
    )
    pdf_sections.price_dates(pdf, estimate, on, prices, prices_source)
    pdf_sections.question(pdf, estimate)
    pdf_sections.recommendation(pdf, estimate)
    pdf_sections.costs(pdf, estimate)
    if any(a.available for a in estimate.approaches):
        pdf_sections.charts(
            pdf,
            estimate,
            chart_png(cumulative_cost_chart(estimate)),
            chart_png(cost_composition_chart(estimate)),
            CHART_SCALE,
        )
    tornado_id = pdf_uncertainty.tornado_approach(estimate)
    tornado_png = chart_png(tornado_chart(estimate, tornado_id)) if tornado_id else None
    pdf_uncertainty.ranges(pdf, estimate, tornado_png, CHART_SCALE)
    pdf_sections.approaches_table(pdf, estimate)
    pdf_checklists.decision_path(pdf, estimate)
    pdf_checklists.risks(pdf, estimate, mitigations_note)
    pdf_checklists.assumptions(pdf, estimate)
    return bytes(pdf.output())
