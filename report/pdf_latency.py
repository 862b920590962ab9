"""The report's latency figures: first token and p95 per approach, the budget, the tiers.

The two columns join the table of the approaches compared (`pdf_sections.approaches_table`),
which keeps the report within six pages; the notes below it say how they were found, which
approaches miss the budget and what would fix them. Printed from each approach's `latency`
block as it is; nothing here computes a latency.
"""

from __future__ import annotations

from estimators.ids import short_name
from estimators.results import ApproachResult, Estimate
from report.format import MISSING, duration_ms
from report.pdf_layout import BODY_SIZE, SMALL_SIZE, ReportPDF

HEADINGS = ("1st token", "p95")


def cells(a: ApproachResult) -> list[str]:
    """An approach's first token and p95 (with how far over the budget, when it is)."""
    lat = a.latency
    if lat is None:
        return [MISSING, MISSING]
    p95 = duration_ms(lat.p95_ms)
    if lat.over_budget_ms is not None:
        p95 += f" ({duration_ms(lat.over_budget_ms)} over)"
    return [duration_ms(lat.ttft_ms), p95]


def _method(estimate: Estimate) -> str:
    timed = [a.latency for a in estimate.approaches if a.latency is not None]
    spread = f"{timed[0].p95_over_p50:g}" if timed else "latency.p95_over_p50"
    budget = estimate.scenario.traffic.latency_budget_ms
    against = f" against a p95 budget of {duration_ms(budget)}" if budget is not None else ""
    return (
        "Latency per query: p50 = retrieval (RAG) + first token + prefill + the answer at the "
        f"output speed (self-hosted: from GPU memory bandwidth); p95 = p50 × {spread}{against}."
    )


def _tiers(estimate: Estimate) -> str:
    tiers = [
        f"{short_name(a.id)} {a.latency.rate_limit_tier}"
        for a in estimate.approaches
        if a.latency is not None and a.latency.rate_limit_tier is not None
    ]
    if not tiers:
        return ""
    return "Usage tier the busiest minute needs: " + "; ".join(tiers) + "."


def notes(pdf: ReportPDF, estimate: Estimate) -> None:
    """How the latencies were found, the rate-limit tiers, who misses the budget and the main
    fix for the nearest miss."""
    if not any(a.latency for a in estimate.approaches):
        return
    text = " ".join(part for part in (_method(estimate), _tiers(estimate)) if part)
    pdf.paragraph(text, size=SMALL_SIZE + 0.5, muted=True)
    over = [a for a in estimate.approaches if a.latency and a.latency.over_budget_ms is not None]
    if not over:
        return
    # One line: who misses, and the largest lever of the nearest miss (the most reachable); the
    # JSON and the dashboard carry every approach's fixes.
    misses = ", ".join(
        f"{short_name(a.id)} by {duration_ms(a.latency.over_budget_ms if a.latency else None)}"
        for a in over
    )
    nearest = min(over, key=lambda a: a.latency.over_budget_ms if a.latency else 0.0)
    lever = nearest.latency.fixes[0] if nearest.latency and nearest.latency.fixes else ""
    text = f"Over the latency budget: {misses}."
    if lever:
        text += f" Nearest, {short_name(nearest.id)}: {lever}"
    pdf.paragraph(text, size=BODY_SIZE - 0.5)
