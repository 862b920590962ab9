"""The report's "How sure" section: P10–P90 totals, P(cheapest), the tornado and the flips.

Reads what `estimators.uncertainty.analysis.with_uncertainty` attached to the estimate; an estimate
made without it prints none of this (the section is left out, not shown empty).
"""

from __future__ import annotations

from itertools import groupby

from estimators.results import ApproachResult, Estimate, Flip
from report.format import number, probability, usd
from report.pdf_layout import SMALL_SIZE, ReportPDF

# How many flips the sentence names before "and N more": a sentence, not a table.
MAX_FLIPS_NAMED = 4


def _name(estimate: Estimate, approach_id: str | None) -> str:
    found = next((a for a in estimate.approaches if a.id == approach_id), None)
    return found.name if found else str(approach_id or "none")


def ranged(estimate: Estimate) -> list[ApproachResult]:
    """Approaches with a priced total and a P10/P50/P90 range, in the engine's order."""
    return [
        a
        for a in estimate.approaches
        if a.available and a.total_usd is not None and a.range is not None
    ]


def tornado_approach(estimate: Estimate) -> str | None:
    """Whose tornado the report shows: the recommended approach, else the cheapest; None when
    the estimate has no sensitivity or that approach has no rows."""
    chosen = estimate.recommendation.approach or estimate.cheapest
    if estimate.sensitivity is None or chosen is None:
        return None
    return chosen if any(row.approach == chosen for row in estimate.sensitivity) else None


def likely_below_middle(estimate: Estimate) -> str:
    """A note for the cost table when its likely totals sit low in most ranges ('' otherwise).

    The table prices every assumption at its likely value; when the middle of the draws (P50)
    is higher for at least half the approaches, the reader should know why before comparing.
    """
    shown = ranged(estimate)
    above = [a for a in shown if a.range is not None and a.range.p50 > (a.total_usd or 0.0)]
    if not shown or 2 * len(above) < len(shown):
        return ""
    which = (
        "every approach" if len(above) == len(shown) else f"{len(above)} of {len(shown)} approaches"
    )
    return (
        "These totals take every assumption at its likely value, which puts them at the low "
        f"end of the ranges under “How sure” for {which} (below the middle outcome, P50): most "
        "ranges lean towards more hours than the likely value, since work overruns by far more "
        "than it comes in under, so more outcomes land above these figures than below."
    )


def _flip_clause(flip: Flip, units: dict[str, str]) -> str:
    unit = units.get(flip.assumption, "")
    value = f"{number(flip.value)} {unit}".strip()
    return f"{flip.assumption} at its {flip.at} ({value})"


def _pair(flip: Flip) -> tuple[str, str]:
    return flip.cheapest, flip.instead_of


def flips_sentence(estimate: Estimate) -> str:
    """One sentence naming the assumptions that, moved alone, change the cheapest approach."""
    uncertainty = estimate.uncertainty
    if uncertainty is None:
        return ""
    cheapest = _name(estimate, uncertainty.cheapest)
    if not uncertainty.flips:
        return (
            f"No single assumption, moved alone to its low or its high, makes another approach "
            f"cheaper than {cheapest}."
        )
    units = {a.id: a.unit for a in estimate.assumptions}
    named = uncertainty.flips[:MAX_FLIPS_NAMED]
    parts = []
    for (winner, loser), flips in groupby(sorted(named, key=_pair), key=_pair):
        clauses = [_flip_clause(f, units) for f in flips]
        listed = ", ".join(clauses[:-1]) + " or " + clauses[-1] if len(clauses) > 1 else clauses[0]
        parts.append(f"{_name(estimate, winner)} instead of {_name(estimate, loser)} with {listed}")
    rest = len(uncertainty.flips) - len(named)
    more = f"; and {rest} more such assumption{'s' if rest > 1 else ''}" if rest else ""
    return (
        "Assumptions that could flip the cheapest, each moved alone to one end of "
        f"its range: {'; '.join(parts)}{more}."
    )


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
        pdf.png(tornado_png, scale, caption=f"What moves the total of {_name(estimate, chosen)}")
