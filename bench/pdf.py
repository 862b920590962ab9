"""Time the PDF export with its two charts (DESIGN §9 target: < 1.5 s).

Run from the repository root: `make bench`, or `PYTHONPATH=. .venv/bin/python bench/pdf.py`.
Prints the import time, the cold first export of a fresh process (chart engine start-up
included), then medians over warm runs with the chart cache cleared each time (what a new
scenario costs) and with it kept (a repeated download of the same estimate).
"""

from __future__ import annotations

import statistics
import time

START = time.perf_counter()

from estimators.estimate import Estimate, estimate  # noqa: E402  (timed import)
from estimators.presets import get_preset  # noqa: E402
from report import pdf as report_pdf  # noqa: E402

TARGET_S = 1.5
RUNS = 7
CJK_NAME = "顧客サポート · 고객 지원 · 客服 🚀"


def _named(result: Estimate, name: str) -> Estimate:
    return result.model_copy(update={"scenario": result.scenario.model_copy(update={"name": name})})


def _time(result: Estimate, clear_cache: bool) -> float:
    if clear_cache:
        report_pdf._render.cache_clear()
    start = time.perf_counter()
    report_pdf.estimate_pdf(result)
    return time.perf_counter() - start


def main() -> None:
    import_s = time.perf_counter() - START
    chatbot = estimate(get_preset("support-chatbot").scenario)
    cold_s = _time(chatbot, clear_cache=True)
    uncached = [_time(chatbot, clear_cache=True) for _ in range(RUNS)]
    cached = [_time(chatbot, clear_cache=False) for _ in range(RUNS)]
    cjk = [_time(_named(chatbot, CJK_NAME), clear_cache=True) for _ in range(RUNS)]
    size_kb = len(report_pdf.estimate_pdf(chatbot)) / 1024
    rows = [
        ("imports (altair, vl-convert, fpdf2)", import_s),
        ("cold first export in a fresh process", cold_s),
        (f"warm, charts rendered (median of {RUNS})", statistics.median(uncached)),
        (f"warm, charts cached (median of {RUNS})", statistics.median(cached)),
        (f"warm, CJK + emoji name (median of {RUNS})", statistics.median(cjk)),
    ]
    print(f"PDF export (support-chatbot, 2 charts, {size_kb:,.0f} kB), target < {TARGET_S} s")
    for label, seconds in rows:
        print(f"  {label:<42} {seconds:.3f} s")
    print(f"  {'ratio of cold export to target':<42} {cold_s / TARGET_S:.2f}")


if __name__ == "__main__":
    main()
