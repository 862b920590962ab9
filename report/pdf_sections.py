"""The first half of the report: the question, the recommendation, the costs and the charts.

Each function prints one section from the Estimate as it is; nothing here computes a cost.

Size: The report's first half in page order; each section is a short function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from estimators.catalog import STALE_AFTER_DAYS, ModelEntry, price_age, retirement_notices
from estimators.ids import PROBLEM_LABELS, short_name
from estimators.results import ApproachResult, Estimate
from estimators.scenario import Scenario
from report import pdf_latency
from report.format import count, duration_ms, months, ordinal, pct, usd
from report.pdf_layout import ACCENT, BODY_SIZE, SMALL_SIZE, ReportPDF
from report.plain import plain
from report.sentences import likely_below_middle

FRAMEWORK = "Fine-Tuning: When & Why"
# A task description may be 5,000 characters; the report quotes the start so it stays 2–6 pages.
MAX_QUOTED_CHARS = 600
METHODS = {"lora": "LoRA", "qlora": "QLoRA"}
HOSTING = {"api": "through a provider's fine-tuning API", "self_hosted": "on self-hosted GPUs"}


def approach_name(estimate: Estimate, approach_id: str | None) -> str:
    """An approach's display name; an id the estimate does not know prints as itself."""
    found = next((a for a in estimate.approaches if a.id == approach_id), None)
    return found.name if found else str(approach_id or "none")


def question(pdf: ReportPDF, estimate: Estimate) -> None:
    """Task, volume and data in one paragraph: what was asked, before any answer."""
    s = estimate.scenario
    t, d = s.traffic, s.data
    problems = ", ".join(PROBLEM_LABELS[p].lower() for p in s.task.problems) or "none named"
    description = shorten(s.task.description.strip()) or "No task description was given"
    growth = f", growing {pct(t.monthly_growth_pct)} a month" if t.monthly_growth_pct else ""
    tried = "has already been tried" if s.task.prompting_tried else "has not been tried yet"
    sentences = [
        f"{description.rstrip('.')}.",
        f"Problems to solve: {problems}; prompting {tried}.",
        f"Volume: {count(t.queries_per_day)} queries a day{growth}, "
        f"{count(sum(estimate.queries_per_month))} over {months(s.horizon_months)}; each query "
        f"carries {count(t.input_tokens)} input and {count(t.output_tokens)} output tokens "
        f"besides a {count(t.system_prompt_tokens)}-token system prompt.",
        f"Data: {count(d.labelled_examples)} labelled examples of about "
        f"{count(d.tokens_per_example)} tokens ({d.domain_breadth} domain) and {_kb(s)}.",
        f"Models: {s.models.general} for prompting, DSPy and RAG; {s.models.small} for the "
        f"{METHODS.get(s.fine_tuning.method, s.fine_tuning.method)} fine-tune and "
        f"{s.models.large} for the full fine-tune, "
        f"both {HOSTING.get(s.fine_tuning.hosting, s.fine_tuning.hosting)}. {_change(s)}; "
        f"team time costs {usd(s.team.hourly_rate_usd)} an hour.",
    ]
    pdf.heading("The question")
    pdf.paragraph(" ".join(sentences))


def shorten(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """Long user text cut at a word boundary: the report summarises, the scenario file keeps all."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + " … (shortened)"


def _times(per_year: float) -> str:
    """How often something happens a year, in words a reader does not trip over."""
    return {0: "never", 1: "once", 2: "twice"}.get(per_year, f"{per_year:g} times")


def _change(scenario: Scenario) -> str:
    task, base = scenario.task.changes_per_year, scenario.base_model_updates_per_year
    first = "The task never changes" if not task else f"The task changes {_times(task)} a year"
    if not base:
        return f"{first} and the base model is never updated"
    return f"{first} and the base model is updated {_times(base)} a year"


def _kb(scenario: Scenario) -> str:
    """The knowledge base in a clause, or that there is none (RAG then has nothing to index)."""
    kb = scenario.data.knowledge_base
    if kb.documents == 0 or kb.tokens_per_document == 0:
        return "no knowledge base"
    return (
        f"a knowledge base of {count(kb.documents)} documents of about "
        f"{count(kb.tokens_per_document)} tokens, {pct(kb.changed_pct_per_month)} changing each "
        "month"
    )


def recommendation(pdf: ReportPDF, estimate: Estimate) -> None:
    """The answer first, with its reasons; cost only after fit, as the framework weighs them."""
    rec = estimate.recommendation
    pdf.heading("Recommendation")
    if rec.approach is None:
        pdf.callout("Start here", "No approach can be recommended for this scenario")
    else:
        headline = (
            getattr(rec, "headline", "") or f"Start with {approach_name(estimate, rec.approach)}"
        )
        pdf.callout("Start here", headline)
    reasons = list(rec.reasons)
    if rec.combine_with:
        names = ", ".join(approach_name(estimate, c) for c in rec.combine_with)
        reasons.append(f"Combine with: {names}.")
    if reasons:
        pdf.bullets([plain(reason) for reason in reasons])
    cheapest = _cheapest_sentence(estimate)
    if cheapest:
        pdf.paragraph(cheapest)
    pdf.paragraph(
        f"Fit to the problem comes first and cost second, following the decision framework of "
        f'"{FRAMEWORK}".',
        size=SMALL_SIZE + 0.5,
        muted=True,
    )


def _cheapest_sentence(estimate: Estimate) -> str:
    horizon = estimate.scenario.horizon_months
    priced = sorted(
        (a for a in estimate.approaches if a.available and a.total_usd is not None),
        key=lambda a: a.total_usd or 0.0,
    )
    if not priced:
        return "No approach could be priced with the chosen models."
    first = priced[0]
    text = f"Cheapest over {months(horizon)}: {first.name} at {usd(first.total_usd)}"
    if len(priced) > 1:
        runner = priced[1]
        gap = (runner.total_usd or 0.0) - (first.total_usd or 0.0)
        text += f"; next is {runner.name} at {usd(runner.total_usd)} ({usd(gap)} more)"
    return text + "."


def _cost_row(a: ApproachResult, cheapest: str | None) -> list[str]:
    verdict = f"{a.verdict}, cheapest" if a.id == cheapest else a.verdict
    if not a.available:
        return [a.name, "n/a", "n/a", "n/a", "n/a", "unavailable"]
    return [
        a.name,
        usd(a.setup_usd),
        usd(a.per_query_usd),
        usd(a.maintenance_usd_per_month),
        usd(a.total_usd),
        verdict,
    ]


def costs(pdf: ReportPDF, estimate: Estimate) -> None:
    """The cost table, what could not be priced and why, and the fine-tunes' training figures."""
    horizon = estimate.scenario.horizon_months
    pdf.heading(f"Cost over {months(horizon)}")
    rows = [_cost_row(a, estimate.cheapest) for a in estimate.approaches]
    # The verdict cell carries the emphasis: a bold row would wrap the longer names.
    recommended = {
        (i, 5): ACCENT
        for i, a in enumerate(estimate.approaches)
        if a.id == estimate.recommendation.approach
    }
    pdf.data_table(
        ["Approach", "Setup", "Per query", "Upkeep/month", f"Total ({horizon} mo)", "Verdict"],
        rows,
        col_widths=(2.95, 1.1, 1.35, 1.7, 1.75, 1.8),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
        size=BODY_SIZE - 1,
        row_colours=recommended,
    )
    pdf.paragraph(
        f"Setup is one-off (month 0); per query is the usage price of one query; upkeep is the "
        f"monthly maintenance; the total adds usage at the scenario's volume over {horizon} "
        f"months. Prices as of {estimate.prices_as_of}.",
        size=SMALL_SIZE + 0.5,
        muted=True,
    )
    mix = mix_sentence(estimate)
    if mix:
        pdf.paragraph(mix, size=SMALL_SIZE + 0.5)
    skew = likely_below_middle(estimate)
    if skew:
        pdf.paragraph(skew, size=SMALL_SIZE + 0.5, muted=True)
    unavailable = _grouped(
        (a.name, a.unavailable_reason) for a in estimate.approaches if not a.available
    )
    if unavailable:
        pdf.bullets(
            [
                f"{_and(names)} {'is' if len(names) == 1 else 'are'} unavailable: {reason}"
                for reason, names in unavailable.items()
            ]
        )
    training = _grouped(
        (a.name, _training_line(a)) for a in estimate.approaches if a.available and a.training
    )
    if training:
        pdf.subheading("Training")
        pdf.bullets(
            [f"{_and(names)}: {line}" for line, names in training.items()], size=BODY_SIZE - 0.5
        )


def _grouped(named: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Approach names by the text they share, in first-seen order: RAG on the LoRA fine-tune
    trains exactly what the LoRA fine-tune trains, and fails for RAG's reasons, so one line
    each says it for both."""
    out: dict[str, list[str]] = {}
    for name, text in named:
        out.setdefault(text, []).append(name)
    return out


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def mix_sentence(estimate: Estimate) -> str:
    """The traffic split (`traffic.routing`) in one line, ranked beside the approaches ('' when
    the scenario has none)."""
    mix = estimate.mix
    if mix is None:
        return ""
    if not mix.available or mix.rank is None:
        return f"{mix.name}: {mix.unavailable_reason}"
    horizon = estimate.scenario.horizon_months
    spread = f" (P10–P90 {usd(mix.range.p10)}–{usd(mix.range.p90)})" if mix.range else ""
    timing = (
        f"; p50/p95 {duration_ms(mix.latency.p50_ms)} / {duration_ms(mix.latency.p95_ms)}, the "
        "share-weighted mean of its parts'"
        if mix.latency
        else ""
    )
    return (
        f"{mix.name}, a traffic split ranked {ordinal(mix.rank)} of {mix.rank_of} by total: "
        f"setup {usd(mix.setup_usd)}, per query {usd(mix.per_query_usd)}, upkeep "
        f"{usd(mix.maintenance_usd_per_month)}/month, total {usd(mix.total_usd)} over "
        f"{months(horizon)}{spread}{timing}. Every part is built and kept running; each query "
        "is answered by one of them."
    )


def _training_line(a: ApproachResult) -> str:
    t = a.training
    assert t is not None
    where = "via the provider's API" if t.hosting == "api" else f"on {t.gpu or 'GPUs'}"
    line = (
        f"{count(t.tokens)} billed training tokens ({count(t.examples)} examples × "
        f"{t.epochs} epochs) on {t.model} {where}"
    )
    extras = []
    if t.gpu_hours is not None:
        extras.append(f"{t.gpu_hours:,.1f} GPU hours")
    if t.gpus_needed is not None:
        extras.append(f"{t.gpus_needed} GPU(s)")
    if t.memory_gb is not None:
        extras.append(f"{t.memory_gb:,.0f} GB memory")
    if extras:
        line += " — " + ", ".join(extras)
    return line + "."


def break_even(pdf: ReportPDF, estimate: Estimate) -> None:
    """Where pairs cross: in time at today's volume, and in volume at the horizon (short names:
    six approaches make fifteen pairs, and the full names wrapped each row to three lines)."""
    horizon = estimate.scenario.horizon_months
    rows = []
    for pair in estimate.break_even:
        in_time = in_volume = "—"
        if pair.month is not None and pair.cheaper_after_month:
            winner = short_name(pair.cheaper_after_month)
            in_time = f"{winner}, from month {pair.month}"
        if pair.daily_queries is not None and pair.cheaper_above_daily_queries:
            winner = short_name(pair.cheaper_above_daily_queries)
            in_volume = f"{winner}, above {count(pair.daily_queries)} a day"
        if (in_time, in_volume) != ("—", "—"):
            pair_name = f"{short_name(pair.a)} vs {short_name(pair.b)}"
            rows.append([pair_name, in_time, in_volume])
    pdf.subheading("Break-even points")
    if not rows:
        pdf.paragraph(
            f"No pair of approaches changes order within {months(horizon)}, at this volume or "
            "any other."
        )
        return
    today = count(estimate.scenario.traffic.queries_per_day)
    pdf.data_table(
        [
            "Pair",
            "Cheaper over time (at this volume)",
            f"Cheaper over {months(horizon)} by volume (queries a day)",
        ],
        rows,
        col_widths=(3.6, 3.0, 3.4),
        align=("LEFT", "LEFT", "LEFT"),
        size=BODY_SIZE - 1,
    )
    pdf.paragraph(
        f"Over time: the month from which the named approach's cumulative cost stays lower at "
        f"today's {today} queries a day. By volume: the daily volume above which it costs less "
        f"over the whole horizon. Pairs that never cross are left out.",
        size=SMALL_SIZE + 0.5,
        muted=True,
    )


def charts(
    pdf: ReportPDF,
    estimate: Estimate,
    cumulative_png: bytes,
    composition_png: bytes,
    scale: float,
) -> None:
    """Both charts, then the break-even points the diamonds mark.

    The heading stays with the first chart only: keeping both together left half a page blank
    whenever the second did not fit, which could push a long report past six pages.
    """
    horizon = estimate.scenario.horizon_months
    pdf.heading("Cost over time", keep_with_next_mm=pdf.png_height(cumulative_png, scale) + 6)
    pdf.png(cumulative_png, scale, caption=f"Cumulative cost over {months(horizon)}")
    pdf.png(composition_png, scale, caption=f"Composition of the {horizon}-month total")
    break_even(pdf, estimate)


def approaches_table(pdf: ReportPDF, estimate: Estimate) -> None:
    """The framework's first table: what each approach changes, whether it can be undone, how
    fast it ships, with each query's latency beside it."""
    pdf.heading("The approaches compared", keep_with_next_mm=70)
    rows = [
        [
            a.name,
            a.what_changes,
            "yes" if a.reversible else "no",
            a.time_to_ship,
            *pdf_latency.cells(a),
        ]
        for a in estimate.approaches
    ]
    pdf.data_table(
        ["Approach", "What it changes", "Reversible", "Ships in", *pdf_latency.HEADINGS],
        rows,
        col_widths=(2.0, 3.3, 1.4, 0.9, 0.9, 1.2),
        align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
    )
    pdf_latency.notes(pdf, estimate)


def price_dates(
    pdf: ReportPDF,
    estimate: Estimate,
    on: date,
    prices: Mapping[str, ModelEntry] | None = None,
    prices_source: str | None = None,
) -> None:
    """A line under the title when prices came from a file, are stale, or a model in use is
    being retired; `prices` is the table the estimate used (None: the bundled catalogue)."""
    models = estimate.scenario.models
    ids = [models.general, models.small, models.large, models.embedding]
    age = price_age(ids, on, prices)
    notes = []
    if prices_source:
        notes.append(
            f"Token prices from {prices_source} for the models it lists; the rest from the "
            "bundled catalogue."
        )
    if age.days_since_oldest > STALE_AFTER_DAYS:
        notes.append(
            f"Some token prices are {age.days_since_oldest:,} days old ({age.oldest_model}, as "
            f"of {age.oldest_as_of}); refresh them (make prices) before signing off."
        )
    if age.oldest_fine_tuning_as_of and (age.days_since_oldest_fine_tuning or 0) > STALE_AFTER_DAYS:
        notes.append(
            f"Fine-tuning training prices are as of {age.oldest_fine_tuning_as_of} (providers' "
            "pages; no price list carries them)."
        )
    notes += [
        notice.message
        for notice in retirement_notices(
            ids, on, prices, estimate.scenario.provider_fine_tuned_models
        )
    ]
    if notes:
        pdf.paragraph(" ".join(notes), size=SMALL_SIZE, muted=True)
