"""The second half of the report: decision path, risk checklist and assumptions.

The uncertainty section ("How sure") is in report/pdf_uncertainty.py.
"""

from __future__ import annotations

from estimators.decision.risks import Risk
from estimators.ids import LEVELS, PROBLEM_LABELS, short_name
from estimators.results import Estimate
from report.format import number
from report.pdf_layout import BODY_SIZE, LEVEL_COLOURS, SMALL_SIZE, ReportPDF
from report.pdf_sections import FRAMEWORK, shorten
from report.plain import plain

# The timeline turns daily volume into monthly volume with it; no line item names it.
_ALWAYS_USED = {"calendar.days_per_month"}


def decision_path(pdf: ReportPDF, estimate: Estimate) -> None:
    """Each question the framework's tree asked of this scenario, the answer, where it led."""
    if not estimate.decision_path:
        return
    pdf.heading("How the recommendation was reached", keep_with_next_mm=45)
    pdf.paragraph(
        f'The decision tree of "{FRAMEWORK}", walked for the problems this scenario names, '
        "then checks on data size and change frequency that span them.",
        size=SMALL_SIZE + 0.5,
        muted=True,
    )
    rows = []
    for step in estimate.decision_path:
        problem = PROBLEM_LABELS.get(step.problem, step.problem) if step.problem else "all"
        answer = plain(f"{step.answer}. {step.note}" if step.note else step.answer)
        rows.append(
            [
                problem[0].upper() + problem[1:],
                plain(step.question),
                answer,
                ", ".join(short_name(a) for a in step.leads_to) or "—",
            ]
        )
    pdf.data_table(
        ["Problem", "Question", "Answer", "Leads to"],
        rows,
        col_widths=(1.5, 3.0, 3.6, 1.9),
        align=("LEFT", "LEFT", "LEFT", "LEFT"),
        size=BODY_SIZE - 1.5,
    )


def _applies_to(risk: Risk) -> str:
    """Approach names, with each one's level when they differ across approaches."""
    levels = risk.level_by_approach
    mixed = len({levels.get(a, risk.level) for a in risk.applies_to}) > 1
    return ", ".join(
        f"{short_name(a)} ({levels.get(a, risk.level)})" if mixed else short_name(a)
        for a in risk.applies_to
    )


def risks(pdf: ReportPDF, estimate: Estimate, mitigations_note: str | None) -> None:
    """Named failure modes, highest first, with drivers, mitigation and whether it is in place."""
    pdf.heading("Risk checklist", keep_with_next_mm=60)
    # In full: the failure modes of the recommended answer (its parts included); the rest, which
    # only approaches not taken invite, in one sentence. The dashboard's Risks page has them all.
    chosen = {estimate.recommendation.approach, *estimate.recommendation.combine_with} - {None}
    ranked = sorted(estimate.risks, key=lambda r: -LEVELS.index(r.level))
    items = [r for r in ranked if chosen & set(r.applies_to)] if chosen else ranked
    others = [r for r in ranked if r not in items]
    if not items:
        pdf.paragraph("This estimate carries no risk assessment.", muted=True)
    else:
        pdf.paragraph(
            "The level is the risk if that approach is taken; the status records whether the "
            "team marked the mitigation as in place. How to test each risk is on the "
            "dashboard's risk page.",
            size=SMALL_SIZE + 0.5,
            muted=True,
        )
        rows, colours = [], {}
        for index, risk in enumerate(items):
            drivers = plain("; ".join(risk.drivers))
            rows.append(
                [
                    "☑ in place" if risk.mitigated else "☐ open",
                    f"{risk.title}\n{drivers}" if drivers else risk.title,
                    risk.level,
                    _applies_to(risk),
                    risk.mitigation,
                ]
            )
            colours[(index, 2)] = LEVEL_COLOURS.get(risk.level, (0, 0, 0))
        pdf.data_table(
            ["Status", "Risk and what drives it", "Level", "Applies to", "Mitigation"],
            rows,
            col_widths=(1.25, 3.9, 1.05, 1.95, 3.95),
            align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
            size=SMALL_SIZE,
            row_colours=colours,
        )
        done = sum(r.mitigated for r in items)
        rest = "; ".join(f"{r.title} ({_applies_to(r)})" for r in others)
        pdf.paragraph(
            f"{done} of {len(items)} mitigations are marked as in place."
            + (f" Failure modes of the approaches not recommended: {rest}." if rest else ""),
            size=SMALL_SIZE + 0.5,
            muted=True,
        )
    if mitigations_note and mitigations_note.strip():
        pdf.subheading("Note on mitigations")
        pdf.paragraph(shorten(mitigations_note.strip()))


def _used_ids(estimate: Estimate) -> set[str]:
    used = set(_ALWAYS_USED)
    for a in estimate.approaches:
        items = a.line_items
        for item in (*items.setup, *items.per_query, *items.monthly):
            used.update(item.assumption_ids)
    return used


# A source's first words say where a figure comes from; the whole citation is in the dashboard
# and the JSON, and printing it all would push the report past six pages.
SOURCE_CHARS = 56


def _brief(source: str) -> str:
    if len(source) <= SOURCE_CHARS:
        return source
    return source[:SOURCE_CHARS].rsplit(" ", 1)[0].rstrip(",;:(") + " …"


def assumptions(pdf: ReportPDF, estimate: Estimate) -> None:
    """Every assumption behind these figures, its range and its source (overrides marked)."""
    used = _used_ids(estimate)
    shown = [a for a in estimate.assumptions if a.id in used or a.overridden]
    pdf.heading("Assumptions and sources")
    rows = [
        [
            f"{a.id} *" if a.overridden else a.id,
            f"{number(a.value)} {a.unit}",
            f"{number(a.low)}–{number(a.high)}",
            _brief(a.source),
        ]
        for a in shown
    ]
    pdf.data_table(
        ["Assumption", "Value", "Range", "Source"],
        rows,
        col_widths=(3.4, 1.7, 1.3, 4.6),
        align=("LEFT", "LEFT", "LEFT", "LEFT"),
        size=SMALL_SIZE - 1,
    )
    omitted = len(estimate.assumptions) - len(shown)
    tail = "* set in this scenario. " if any(a.overridden for a in shown) else ""
    if omitted:
        tail += f"{omitted} defaults that did not enter these figures are left out."
    note = (
        f"Prices as of {estimate.prices_as_of}. Formulas, inputs and full sources: the dashboard "
        "or estimate --format json. "
    )
    pdf.paragraph((note + tail).strip(), size=SMALL_SIZE + 0.5, muted=True)
