"""Time the PDF export, without and with the ranges (DESIGN §9 target: < 1.5 s with charts).

Run from the repository root: `make bench`, or `PYTHONPATH=. .venv/bin/python bench/pdf.py`.
Prints the import time, the cold first export of a fresh process (chart engine start-up
included), then medians over warm runs with the chart cache cleared each time (what a new
scenario costs) and with it kept (a repeated download of the same estimate): for the plain
estimate (two charts) and for one with the uncertainty analysis attached (P10–P90 bands, the
"How sure" section and the tornado: three charts). The Monte Carlo itself (`with_uncertainty`,
10,000 draws, as `python -m estimators estimate --pdf` runs it) is timed apart and not counted.
"""

from __future__ import annotations

import statistics
import time

START = time.perf_counter()

from bench._figures import record  # noqa: E402
from estimators.estimate import Estimate, estimate  # noqa: E402  (timed import)
from estimators.presets import get_preset  # noqa: E402
from estimators.uncertainty.analysis import with_uncertainty  # noqa: E402
from report import pdf as report_pdf  # noqa: E402

TARGET_S = 1.5
RUNS = 7
DRAWS = 10_000
CJK_NAME = "顧客サポート · 고객 지원 · 客服 🚀"


def _named(result: Estimate, name: str) -> Estimate:
    return result.model_copy(update={"scenario": result.scenario.model_copy(update={"name": name})})


def _time(result: Estimate, clear_cache: bool) -> float:
    if clear_cache:
        report_pdf._render.cache_clear()
    start = time.perf_counter()
    report_pdf.estimate_pdf(result)
    return time.perf_counter() - start


def _median(result: Estimate, clear_cache: bool) -> float:
    return statistics.median(_time(result, clear_cache) for _ in range(RUNS))


def main() -> None:
    import_s = time.perf_counter() - START
    chatbot = estimate(get_preset("support-chatbot").scenario)
    cold_s = _time(chatbot, clear_cache=True)
    start = time.perf_counter()
    ranged = with_uncertainty(chatbot, draws=DRAWS, seed=0)
    monte_carlo_s = time.perf_counter() - start
    plain_kb = len(report_pdf.estimate_pdf(chatbot)) / 1024
    ranged_kb = len(report_pdf.estimate_pdf(ranged)) / 1024
    with_ranges = _median(ranged, clear_cache=True)
    rows = [
        ("imports (altair, vl-convert, fpdf2)", import_s),
        ("cold first export in a fresh process", cold_s),
        (f"warm, 2 charts rendered (median of {RUNS})", _median(chatbot, clear_cache=True)),
        (f"warm, 2 charts cached (median of {RUNS})", _median(chatbot, clear_cache=False)),
        (f"warm, CJK + emoji name (median of {RUNS})", _median(_named(chatbot, CJK_NAME), True)),
        (f"ranges: 3 charts rendered (median of {RUNS})", with_ranges),
        (f"ranges: 3 charts cached (median of {RUNS})", _median(ranged, clear_cache=False)),
        (f"Monte Carlo, {DRAWS:,} draws (not counted)", monte_carlo_s),
    ]
    print(
        f"PDF export (support-chatbot; {plain_kb:,.0f} kB plain, {ranged_kb:,.0f} kB with "
        f"ranges), target < {TARGET_S} s"
    )
    for label, seconds in rows:
        print(f"  {label:<44} {seconds:.3f} s")
    print(f"  {'ratio of cold export to target':<44} {cold_s / TARGET_S:.2f}")
    print(f"  {'ratio of export with ranges to target':<44} {with_ranges / TARGET_S:.2f}")
    record("PDF export with charts and ranges, warm", with_ranges, "s", TARGET_S)
    record("PDF export, cold first in a process", cold_s, "s", TARGET_S)


if __name__ == "__main__":
    main()
