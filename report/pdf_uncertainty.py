"""The report's "How sure" section: P10–P90 totals, P(cheapest), the tornado and the flips.

Reads what `estimators.uncertainty.analysis.with_uncertainty` attached to the estimate; an estimate
made without it prints none of this (the section is left out, not shown empty).
"""

from __future__ import annotations

from estimators.results import Estimate
from report.format import probability, usd
from report.pdf_layout import SMALL_SIZE, ReportPDF
from report.sentences import flips_sentence, name_of, ranged


def tornado_approach(estimate: Estimate) -> str | None:
    """Whose tornado the report shows: the recommended approach, else the cheapest; None when
    the estimate has no sensitivity or that approach has no rows."""
    chosen = estimate.recommendation.approach or estimate.cheapest
    if estimate.sensitivity is None or chosen is None:
        return None
    return chosen if any(row.approach == chosen for row in estimate.sensitivity) else None


def ranges(
    pdf: ReportPDF, estimate: Estimate, tornado_png: bytes | None = None, scale: float = 2.0
) -> None:
    """Low, middle and high horizon totals with P(cheapest); then the tornado and the flips."""
    shown = ranged(estimate)
    if not shown:
        return
    rows = [
        [
            a.name,
            usd(a.range.p10),
            usd(a.range.p50),
            usd(a.range.p90),
            probability(a.p_cheapest),
        ]
        for a in shown
        if a.range is not None
    ]
    horizon = estimate.scenario.horizon_months
    pdf.heading(f"How sure: {horizon}-month totals as ranges", keep_with_next_mm=50)
    pdf.data_table(
        ["Approach", "Low (P10)", "Middle (P50)", "High (P90)", "Chance cheapest"],
        rows,
        col_widths=(2.8, 1.5, 1.6, 1.5, 1.9),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )
    draws = estimate.uncertainty.draws if estimate.uncertainty else None
    drawn = f"{draws:,} draws" if draws else "Draws"
    pdf.paragraph(
        f"{drawn} of every assumption from its low–high range (and of the price levels); P10 "
        "and P90 bound the middle 80% of the outcomes. Chance cheapest: the share of draws in "
        "which that approach costs least over the horizon.",
        size=SMALL_SIZE + 0.5,
        muted=True,
    )
    flips = flips_sentence(estimate)
    if flips:
        pdf.paragraph(flips)
    chosen = tornado_approach(estimate)
    if tornado_png is not None and chosen is not None:
        pdf.png(tornado_png, scale, caption=f"What moves the total of {name_of(estimate, chosen)}")
