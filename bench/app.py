"""Dashboard speed (DESIGN §9): per-page rerun time under AppTest, server cold start, browser load.

Run from the repository root: `make bench`, or `.venv/bin/python bench/app.py`.

- Rerun: each page is opened once, then re-run RUNS times. "script" is the server-side time of
  one run (router, sidebar, callbacks and page, timed around Streamlit's script execution, as a
  server would spend it); "AppTest" is the wall time of `AppTest.run()`, which adds the test
  harness's thread start and polling. The Describe page is also timed with a changed input each
  run, so the commit callback and an uncached estimate are included.
- Cold start: `streamlit run` until /_stcore/health answers, over COLD_STARTS fresh processes.
- Browser load (only if /usr/bin/chromium exists): from navigation to the Compare page drawn,
  idle and a chart painted: the first visit to a fresh server (its first session imports the
  engine), a new browser profile on a warm server, and a revisit with the browser's cache.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench._figures import record  # noqa: E402
from dashboard import state  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

PAGES = ("describe", "compare", "risks", "dataset", "learn", "export")
RUNS = 40
COLD_STARTS = 3
BROWSER_LOADS = 5
RERUN_TARGET_MS = 100.0
COLD_START_TARGET_S = 2.0
BROWSER_COLD_TARGET_S = 2.0
BROWSER_WARM_TARGET_S = 1.0


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    return statistics.median(samples_ms), statistics.quantiles(samples_ms, n=20)[-1]


class _ScriptTimer:
    """Times each script execution by wrapping the function Streamlit runs the script with."""

    def __init__(self) -> None:
        self.samples_ms: list[float] = []
        self._original = script_runner.exec_func_with_error_handling

    def __enter__(self) -> _ScriptTimer:
        original = self._original

        def timed(func, ctx):  # Streamlit's own (func, ctx) signature
            start = time.perf_counter()
            try:
                return original(func, ctx)
            finally:
                self.samples_ms.append((time.perf_counter() - start) * 1000)

        script_runner.exec_func_with_error_handling = timed
        return self

    def __exit__(self, *exc: object) -> None:
        script_runner.exec_func_with_error_handling = self._original


def _app(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    if page != "compare":
        at.switch_page(f"dashboard/views/{page}.py").run()
    if at.exception:
        raise SystemExit(f"{page}: the page raised {at.exception[0].value}")
    return at


def _time_reruns(
    at: AppTest, change: Callable[[AppTest, int], None] | None = None
) -> tuple[list[float], list[float]]:
    """(script ms, AppTest wall ms) for RUNS reruns."""
    wall = []
    with _ScriptTimer() as timer:
        for run in range(RUNS):
            if change is not None:
                change(at, run)
            start = time.perf_counter()
            at.run()
            wall.append((time.perf_counter() - start) * 1000)
    return timer.samples_ms, wall


def _change_queries(at: AppTest, run: int) -> None:
    key = f"{state.INPUT_PREFIX}{at.session_state[state.REVISION_KEY]}:traffic.queries_per_day"
    at.number_input(key=key).set_value(5000.0 + 100 * (run + 1))


def bench_reruns() -> bool:
    print(f"Page rerun under AppTest, {RUNS} runs each (target p95 < {RERUN_TARGET_MS:.0f} ms)")
    ok = True
    _app("compare")  # warm imports (pandas, Altair, the engine) outside the timings
    rows = [(page, _time_reruns(_app(page))) for page in PAGES]
    rows.append(("describe, input changed", _time_reruns(_app("describe"), _change_queries)))
    print(f"  {'page':<24} {'script p50':>10} {'p95':>7}   {'AppTest p50':>11} {'p95':>7}")
    for name, (script, wall) in rows:
        p50, p95 = _percentiles(script)
        wall_p50, wall_p95 = _percentiles(wall)
        ok &= p95 < RERUN_TARGET_MS
        print(f"  {name:<24} {p50:7.1f} ms {p95:7.1f}   {wall_p50:8.1f} ms {wall_p95:7.1f}")
    worst_name, (worst_script, _) = max(rows, key=lambda row: _percentiles(row[1][0])[1])
    p95 = _percentiles(worst_script)[1]
    record(f"page rerun p95, worst page ({worst_name})", p95, "ms", RERUN_TARGET_MS)
    return ok


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server() -> tuple[subprocess.Popen[bytes], str, float]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("streamlit")),
            "run",
            "streamlit_app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--server.fileWatcherType=none",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as reply:
                if reply.read() == b"ok":
                    return process, base, time.perf_counter() - start
        except OSError:
            if process.poll() is not None or time.perf_counter() - start > 60:
                raise SystemExit("streamlit did not become healthy") from None
            time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def bench_cold_start() -> bool:
    samples = []
    for _ in range(COLD_STARTS):
        process, _, seconds = _start_server()
        samples.append(seconds)
        _stop(process)
    median = statistics.median(samples)
    print(
        f"Server cold start to healthy, {COLD_STARTS} starts: median {median:.2f} s, "
        f"max {max(samples):.2f} s (target < {COLD_START_TARGET_S:.0f} s)"
    )
    record("server cold start to healthy, median", median, "s", COLD_START_TARGET_S)
    return median < COLD_START_TARGET_S


def _drawn(page: Page) -> None:
    """The Compare page is drawn, its script idle, its widgets loaded and a chart painted."""
    page.get_by_role("heading", name="Compare approaches").wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.locator('[data-testid="stVegaLiteChart"] :is(canvas, svg)').first.wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid^=\"stSkeleton\"]')")


def _timed(action: Callable[[], object], page: Page) -> float:
    start = time.perf_counter()
    action()
    _drawn(page)
    return time.perf_counter() - start


def bench_browser() -> bool:
    if not CHROMIUM.exists():
        print("Browser load: skipped (no /usr/bin/chromium; `make system-deps` installs it)")
        return True
    from playwright.sync_api import sync_playwright

    viewport = {"width": 1440, "height": 900}
    process, base, _ = _start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            first = _timed(lambda: page.goto(base), page)
            context.close()
            fresh = []
            for _ in range(BROWSER_LOADS):
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                fresh.append(_timed(lambda: page.goto(base), page))  # noqa: B023
                if len(fresh) < BROWSER_LOADS:
                    context.close()
            revisits = [_timed(page.reload, page) for _ in range(BROWSER_LOADS)]
            context.close()
            browser.close()
    finally:
        _stop(process)
    print(
        "Browser load of Compare (drawn, idle, a chart painted): "
        f"first visit to a fresh server {first:.2f} s (target < {BROWSER_COLD_TARGET_S:.0f} s); "
        f"new browser profile median {statistics.median(fresh):.2f} s; "
        f"revisit with the browser cache median {statistics.median(revisits):.2f} s "
        f"(target < {BROWSER_WARM_TARGET_S:.0f} s)"
    )
    record("browser first load, fresh server", first, "s", BROWSER_COLD_TARGET_S)
    record(
        "browser revisit, cached, median", statistics.median(revisits), "s", BROWSER_WARM_TARGET_S
    )
    return first < BROWSER_COLD_TARGET_S and statistics.median(revisits) < BROWSER_WARM_TARGET_S


def main() -> None:
    results = [bench_reruns(), bench_cold_start(), bench_browser()]
    print("All dashboard targets met." if all(results) else "Some dashboard targets missed.")


if __name__ == "__main__":
    main()
