"""Sentences about an estimate's uncertainty, shared by the Compare page and the PDF.

Plain text only (no fpdf2, no Altair): the Compare page imports this module, so the PDF library
stays unloaded until someone asks for a PDF. `report/pdf_uncertainty.py` lays them out on paper.
"""

from __future__ import annotations

from itertools import groupby

from estimators.results import ApproachResult, Estimate, Flip
from report.format import number

# How many flips the sentence names before "and N more": a sentence, not a table.
MAX_FLIPS_NAMED = 4


def name_of(estimate: Estimate, approach_id: str | None) -> str:
    """The display name of an approach in this estimate (its id when it is not there)."""
    found = next((a for a in estimate.approaches if a.id == approach_id), None)
    return found.name if found else str(approach_id or "none")


def ranged(estimate: Estimate) -> list[ApproachResult]:
    """Approaches with a priced total and a P10/P50/P90 range, in the engine's order."""
    return [
        a
        for a in estimate.approaches
        if a.available and a.total_usd is not None and a.range is not None
    ]


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
    cheapest = name_of(estimate, uncertainty.cheapest)
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
        parts.append(
            f"{name_of(estimate, winner)} instead of {name_of(estimate, loser)} with {listed}"
        )
    rest = len(uncertainty.flips) - len(named)
    more = f"; and {rest} more such assumption{'s' if rest > 1 else ''}" if rest else ""
    return (
        "Assumptions that could flip the cheapest, each moved alone to one end of "
        f"its range: {'; '.join(parts)}{more}."
    )
