"""Dashboard speed (DESIGN §9, issue 17) on real servers, each beside a hello-world app in the
same run, so the figures are ratios that a busy machine cannot skew much.

Run from the repository root: `make bench`, or `.venv/bin/python bench/app.py` (`--help` lists
the parts and how to pass extra server options, e.g. `--app-arg=--runner.postScriptGC=true`).

The baseline is bench/_hello_app.py (a title, a number input and a metric), served from an empty
temporary folder with Streamlit's default settings. Every server runs through
bench/_timed_server.py, which times each script run as the server spends it, Streamlit's post-run
`gc.collect(2)` included (AppTest skips that GC, so it cannot give these figures).

- cold start: `streamlit run` until /_stcore/health answers, fresh processes, interleaved.
- first load: a fresh server and a fresh browser profile, from navigation until Compare's totals
  (the cost table) are visible, and until its script has finished (charts sent); the same for
  hello-world's metric. FIRST_LOADS pairs, alternating which goes first; each figure is the
  ratio of the medians.
  Then the revisit of Compare with the browser's cache, on the last server.
- ten sessions: SESSIONS browser sessions on each app; all of them change "Queries per day" at the
  same moment and wait for their updated totals (the dashboard's Describe metrics, hello-world's
  metric); ROUNDS rounds per app, interleaved ABBA; the figure is the ratio of the p95s. The
  dashboard server's RSS growth per session and its CPU per rerun are printed for sizing.
- reruns: one session visits every page in turn VISITS times (a page switch is a rerun of the
  whole script) and changes an input on Describe CHANGES times; the server-side time of each run,
  GC included, per page; hello-world's input changes beside it.
Chromium is Debian's (/usr/bin/chromium); without it only the cold start is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._figures import record  # noqa: E402
from bench._protocol_client import ProtocolSession  # noqa: E402
from dashboard import share_link  # noqa: E402
from estimators.estimate import estimate  # noqa: E402
from estimators.presets import DEFAULT_PRESET, get_preset  # noqa: E402
from estimators.scenario import Scenario  # noqa: E402
from report.format import usd_compact  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TIMED_SERVER = ROOT / "bench" / "_timed_server.py"
HELLO_APP = ROOT / "bench" / "_hello_app.py"
PAGES = ("describe", "compare", "risks", "dataset", "learn", "export")
PAGE_TITLES = {
    "describe": "Describe",
    "compare": "Compare",
    "risks": "Risks",
    "dataset": "Dataset",
    "learn": "Learn",
    "export": "Export",
}
COLD_STARTS = 3
FIRST_LOADS = 5
REVISITS = 5
SESSIONS = 10
SIZING_SESSIONS = (10, 20, 40)
ROUNDS = 6
BROWSER_ROUNDS = 2
VISITS = 8
CHANGES = 20
TIMEOUT_MS = 90_000
VIEWPORT = {"width": 1440, "height": 900}

RATIO_TARGET = 1.5  # issue 17: first load and ten-session p95 at most 1.5× hello-world's
RERUN_TARGET_MS = 100.0
COLD_START_TARGET_S = 2.0
BROWSER_WARM_TARGET_S = 1.0

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
METRICS = '[data-testid="stMain"] [data-testid="stMetricValue"]'
_METRICS_ARE = (
    "(expected) => { const now = [...document.querySelectorAll("
    f"'{METRICS}')].map(e => e.innerText.trim());"
    " return now.length === expected.length && now.every((v, i) => v === expected[i]); }"
)
COST_TABLE = '[data-testid="stMain"] [data-testid="stMarkdownContainer"] table'


def p95(samples: list[float]) -> float:
    """The nearest-rank 95th percentile (of 40 samples, the 38th)."""
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


# --- servers ----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    runs_file: Path
    started_s: float
    seen_runs: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def new_runs(self) -> list[dict]:
        """Script runs the server finished since the last call."""
        if not self.runs_file.exists():
            return []
        lines = self.runs_file.read_text(encoding="utf-8").splitlines()
        fresh, self.seen_runs = lines[self.seen_runs :], len(lines)
        return [json.loads(line) for line in fresh]

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        return int(kb) / 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(name: str, app_args: tuple[str, ...] | list[str] = ()) -> Iterator[Server]:
    """A fresh timed server for "app" (the dashboard, from the repository root with its
    .streamlit/config.toml) or "hello" (hello_app.py alone in an empty folder)."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    if name == "hello":
        shutil.copy(HELLO_APP, folder / "hello_app.py")
        cwd, script, extra = folder, "hello_app.py", []
    else:
        cwd, script, extra = ROOT, "streamlit_app.py", list(app_args)
    port = _free_port()
    runs_file = folder / "runs.jsonl"
    command = [
        sys.executable,
        str(TIMED_SERVER),
        "run",
        script,
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        *extra,
    ]
    env = {**os.environ, "BENCH_RUNS_FILE": str(runs_file), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.perf_counter() - start > 60:
                    raise SystemExit(f"the {name} server did not become healthy") from None
                time.sleep(0.02)
        yield Server(name, base, process, runs_file, time.perf_counter() - start)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def bench_cold_start(app_args: list[str]) -> bool:
    times: dict[str, list[float]] = {"app": [], "hello": []}
    for i in range(COLD_STARTS):
        for name in ("app", "hello") if i % 2 == 0 else ("hello", "app"):
            with serve(name, app_args) as server:
                times[name].append(server.started_s)
    app, hello = statistics.median(times["app"]), statistics.median(times["hello"])
    print(
        f"Server cold start to healthy, median of {COLD_STARTS}: {app:.2f} s "
        f"(hello-world {hello:.2f} s; target < {COLD_START_TARGET_S:.0f} s)"
    )
    record("server cold start to healthy, median", app, "s", COLD_START_TARGET_S)
    return app < COLD_START_TARGET_S


# --- the browser ---------------------------------------------------------------------------------


async def _hello_visible(page) -> None:
    await page.locator(METRICS).first.wait_for(timeout=TIMEOUT_MS)


async def _compare_visible(page) -> None:
    """Compare's totals are on screen: its heading and the cost table."""
    await page.get_by_role("heading", name="Compare approaches").wait_for(timeout=TIMEOUT_MS)
    await page.locator(COST_TABLE).first.wait_for(timeout=TIMEOUT_MS)


async def _hello_ready(page) -> None:
    await _hello_visible(page)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


async def _compare_ready(page) -> None:
    """Compare's totals are visible and its script has finished (charts sent)."""
    await _compare_visible(page)
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


async def _timed_load(browser, url: str, visible: Callable[[object], Awaitable[None]]):
    """(seconds until the figures are visible, seconds until the script finished, context,
    page) for one load in a fresh browser profile."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=TIMEOUT_MS)
    await visible(page)
    shown = time.perf_counter() - start
    await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    return shown, time.perf_counter() - start, context, page


async def bench_first_load(browser, app_args: list[str]) -> bool:
    shown: dict[str, list[float]] = {"app": [], "hello": []}
    idle: dict[str, list[float]] = {"app": [], "hello": []}
    revisits: list[float] = []
    for i in range(FIRST_LOADS):
        for name in ("app", "hello") if i % 2 == 0 else ("hello", "app"):
            with serve(name, app_args) as server:
                visible = _compare_visible if name == "app" else _hello_visible
                seen, done, context, page = await _timed_load(browser, server.base, visible)
                shown[name].append(seen)
                idle[name].append(done)
                if name == "app" and i == FIRST_LOADS - 1:
                    for _ in range(REVISITS):
                        start = time.perf_counter()
                        await page.reload(timeout=TIMEOUT_MS)
                        await _compare_ready(page)
                        revisits.append(time.perf_counter() - start)
                await context.close()
    app, hello = statistics.median(shown["app"]), statistics.median(shown["hello"])
    app_idle, hello_idle = statistics.median(idle["app"]), statistics.median(idle["hello"])
    ratio, idle_ratio = app / hello, app_idle / hello_idle
    revisit = statistics.median(revisits)
    print(
        f"First load, fresh server and browser profile, median of {FIRST_LOADS} "
        f"(target ≤ {RATIO_TARGET}× hello-world):\n"
        f"  Compare's totals visible {app:.2f} s, hello-world's figure {hello:.2f} s: "
        f"{ratio:.2f}×\n    each: app {_seconds(shown['app'])}; hello {_seconds(shown['hello'])}"
        f"\n  script finished (charts sent) {app_idle:.2f} s, hello-world {hello_idle:.2f} s: "
        f"{idle_ratio:.2f}×\n    each: app {_seconds(idle['app'])}; hello "
        f"{_seconds(idle['hello'])}\n"
        f"Revisit of Compare with the browser cache, median of {REVISITS}: {revisit:.2f} s "
        f"(target < {BROWSER_WARM_TARGET_S:.0f} s)"
    )
    record(
        f"first load, Compare's totals / hello-world ({app:.2f} s / {hello:.2f} s)",
        ratio,
        "×",
        RATIO_TARGET,
    )
    # Context: the charts arrive after the totals, which is what the target is about.
    record(
        f"first load, Compare finished / hello-world ({app_idle:.2f} s / {hello_idle:.2f} s)",
        idle_ratio,
        "×",
        None,
    )
    record("browser revisit of Compare, cached, median", revisit, "s", BROWSER_WARM_TARGET_S)
    return ratio <= RATIO_TARGET and revisit < BROWSER_WARM_TARGET_S


def _seconds(samples: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in samples)


# --- ten sessions --------------------------------------------------------------------------------


def _scenario(queries_per_day: int) -> Scenario:
    data = get_preset(DEFAULT_PRESET).scenario.model_dump(mode="json")
    data["traffic"]["queries_per_day"] = queries_per_day
    return Scenario.model_validate(data)


def _app_totals(queries_per_day: int) -> list[str]:
    """The Describe page's metrics for that volume, as it formats them."""
    return [
        usd_compact(a.total_usd) if a.available else "n/a"
        for a in estimate(_scenario(queries_per_day)).approaches
    ]


def _hello_total(queries_per_day: int) -> list[str]:
    return [f"${queries_per_day * 2:,}"]


@dataclass
class Session:
    page: object
    queries: int
    expect: Callable[[int], list[str]]


@asynccontextmanager
async def _sessions(browser, server: Server, count: int, first: int) -> AsyncIterator[list]:
    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(count)]
    try:
        opened = []
        for offset, context in enumerate(contexts):
            page = await context.new_page()
            if server.name == "app":  # each session opens its own scenario from a link
                queries = 1000 * (first + offset + 1)
                token = share_link.encode_share(_scenario(queries)).token
                url = f"{server.base}/describe?{share_link.SHARE_PARAM}={token}"
                opened.append((Session(page, queries, _app_totals), url))
            else:  # hello-world opens on its default
                opened.append((Session(page, 1000, _hello_total), server.base))

        async def open_one(session: Session, url: str) -> Session:
            await session.page.goto(url, timeout=TIMEOUT_MS)
            await session.page.wait_for_function(
                _METRICS_ARE, arg=session.expect(session.queries), timeout=TIMEOUT_MS
            )
            await session.page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
            return session

        yield list(await asyncio.gather(*(open_one(s, url) for s, url in opened)))
    finally:
        for context in contexts:
            await context.close()


async def _round(sessions: list[Session], step: int) -> list[float]:
    """Every session changes its input at once; seconds until each sees its new totals."""

    async def change(session: Session) -> float:
        session.queries += step
        box = session.page.get_by_role("spinbutton", name="Queries per day")
        await box.fill(str(session.queries))
        start = time.perf_counter()
        await box.press("Enter")
        await session.page.wait_for_function(
            _METRICS_ARE, arg=session.expect(session.queries), timeout=TIMEOUT_MS
        )
        seconds = time.perf_counter() - start
        await session.page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        return seconds

    return list(await asyncio.gather(*(change(s) for s in sessions)))


async def bench_browser_sessions(browser, app_args: list[str]) -> bool:
    """Ten Chromium tabs on the same two cores: what the issue's probe measured. Rendering the
    Describe page costs each tab more CPU than the server's run, so this shows Chromium's load
    as much as the server's; it is printed and recorded, the target is on `bench_sessions`."""
    with serve("app", app_args) as app, serve("hello") as hello:
        async with _sessions(browser, app, 1, 0) as warm:  # the first session imports
            await _round(warm, 100)
        async with (
            _sessions(browser, app, SESSIONS, 0) as apps,
            _sessions(browser, hello, SESSIONS, 0) as hellos,
        ):
            seconds: dict[str, list[float]] = {"app": [], "hello": []}
            for i in range(BROWSER_ROUNDS):
                for name in ("app", "hello") if i % 2 == 0 else ("hello", "app"):
                    group = apps if name == "app" else hellos
                    seconds[name] += await _round(group, 500)
    app_p95, hello_p95 = p95(seconds["app"]), p95(seconds["hello"])
    ratio = app_p95 / hello_p95
    print(
        f"{SESSIONS} Chromium tabs on this machine changing an input at once, {BROWSER_ROUNDS} "
        f"rounds: p95 to updated totals {app_p95 * 1000:.0f} ms, hello-world "
        f"{hello_p95 * 1000:.0f} ms: {ratio:.2f}× (the tabs' rendering shares the 2 cores)"
    )
    # Context: ten tabs on the server's own two cores time mostly their own rendering; the
    # sessions target is judged over the protocol (bench_sessions).
    record(
        f"{SESSIONS} Chromium tabs on the same 2 cores, p95 change → totals / hello-world "
        f"({app_p95:.2f} s / {hello_p95:.2f} s)",
        ratio,
        "×",
        None,
    )
    return True


async def _open(server: Server, count: int, first: int) -> list[tuple[ProtocolSession, int]]:
    """`count` sessions, each with its own scenario (the dashboard's from a share link)."""
    opened = []
    for offset in range(count):
        if server.name == "app":
            queries = 1000 * (first + offset + 1)
            token = share_link.encode_share(_scenario(queries)).token
            session = ProtocolSession(server.base, "describe", f"{share_link.SHARE_PARAM}={token}")
        else:
            queries, session = 1000, ProtocolSession(server.base)
        await session.open()
        opened.append((session, queries))
    return opened


async def _protocol_round(
    sessions: list[tuple[ProtocolSession, int]], step: int, expect: Callable[[int], list[str]]
) -> list[float]:
    """Every session changes "Queries per day" at once; seconds until each has its new totals,
    which are checked against the engine (a session showing another's figures fails)."""
    changed = [(session, queries + step) for session, queries in sessions]
    runs = await asyncio.gather(*(s.change("Queries per day", q) for s, q in changed))
    for (session, queries), run in zip(changed, runs, strict=True):
        if run.metrics != expect(queries):
            raise SystemExit(f"{session.base}: {queries}/day showed {run.metrics}")
    sessions[:] = changed
    return [run.metrics_s for run in runs]


async def bench_sessions(app_args: list[str]) -> bool:
    """Many sessions on one server, driven over Streamlit's protocol (bench/_protocol_client.py):
    SESSIONS of them change an input at the same moment, ROUNDS times, interleaved with
    hello-world's; then SIZING_SESSIONS for the README's sizing. RSS and CPU per rerun too."""
    results: dict[int, dict[str, list[float]]] = {}
    with serve("app", app_args) as app, serve("hello") as hello:
        warm = await _open(app, 1, 0)  # the first session imports the engine
        await _protocol_round(warm, 100, _app_totals)
        await asyncio.sleep(1)
        rss_one = app.rss_mb()
        cpu_ms: list[float] = []
        for count in SIZING_SESSIONS:
            apps, hellos = await _open(app, count, 1), await _open(hello, count, 0)
            app.new_runs()
            seconds: dict[str, list[float]] = {"app": [], "hello": []}
            for i in range(ROUNDS):
                for name in ("app", "hello") if i % 2 == 0 else ("hello", "app"):
                    group, expect = (apps, _app_totals) if name == "app" else (hellos, _hello_total)
                    seconds[name] += await _protocol_round(group, 500, expect)
            cpu_ms += [run["cpu_ms"] for run in app.new_runs()]
            results[count] = seconds
            await asyncio.sleep(1)
            rss_all, sessions_open = app.rss_mb(), count + 1  # the largest count is last
            for session, _ in apps + hellos:
                await session.close()
        for session, _ in warm:
            await session.close()
    print(
        f"Sessions over Streamlit's protocol (no browser), all changing an input at once, "
        f"{ROUNDS} rounds each, p95 to updated totals (target at {SESSIONS}: ≤ "
        f"{RATIO_TARGET}× hello-world):"
    )
    for count, seconds in results.items():
        app_p95, hello_p95 = p95(seconds["app"]), p95(seconds["hello"])
        print(
            f"  {count:>3} sessions: {app_p95 * 1000:6.0f} ms, hello-world "
            f"{hello_p95 * 1000:5.0f} ms: {app_p95 / hello_p95:5.2f}×   (medians "
            f"{statistics.median(seconds['app']) * 1000:.0f} / "
            f"{statistics.median(seconds['hello']) * 1000:.0f} ms)"
        )
    per_session_mb = (rss_all - rss_one) / (sessions_open - 1)
    print(
        f"  dashboard server: {len(cpu_ms)} reruns, mean CPU {statistics.mean(cpu_ms):.0f} ms "
        f"each (post-run GC included) → one server process runs about "
        f"{1000 / statistics.mean(cpu_ms):.0f} reruns a second; RSS {rss_one:.0f} MB with one "
        f"session, {rss_all:.0f} MB with {sessions_open}: {per_session_mb:.2f} MB per session"
    )
    app_p95, hello_p95 = p95(results[SESSIONS]["app"]), p95(results[SESSIONS]["hello"])
    ratio = app_p95 / hello_p95
    record(
        f"{SESSIONS} sessions, p95 input change → totals / hello-world "
        f"({app_p95 * 1000:.0f} ms / {hello_p95 * 1000:.0f} ms)",
        ratio,
        "×",
        RATIO_TARGET,
    )
    return ratio <= RATIO_TARGET


# --- page reruns on a real server ---------------------------------------------------------------


async def _runs_of(server: Server, page_name: str, at_least: int = 1) -> list[dict]:
    """Wait for the server to log `at_least` runs (the post-run GC ends after the browser sees
    the script finish), and return them."""
    runs: list[dict] = []
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while len(runs) < at_least and time.monotonic() < deadline:
        runs += server.new_runs()
        await asyncio.sleep(0.02)
    if not runs or (page_name and runs[-1]["page"] != page_name):
        raise SystemExit(f"expected a run of {page_name}, the server logged {runs}")
    return runs


async def bench_reruns(browser, app_args: list[str]) -> bool:
    by_page: dict[str, list[float]] = {page: [] for page in PAGES}
    by_page["describe, input changed"] = []
    hello_ms: list[float] = []
    with serve("app", app_args) as app, serve("hello") as hello:
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        await page.goto(app.base, timeout=TIMEOUT_MS)
        await _compare_ready(page)
        await _runs_of(app, "compare")
        for _ in range(VISITS):
            for name in (*PAGES[2:], *PAGES[:2]):  # Risks … Export, Describe, Compare
                await page.get_by_role("link", name=PAGE_TITLES[name], exact=True).click()
                run = (await _runs_of(app, name))[-1]
                await page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
                by_page[name].append(run["wall_ms"])
        await page.get_by_role("link", name="Describe", exact=True).click()
        await _runs_of(app, "describe")
        hello_page = await context.new_page()
        await hello_page.goto(hello.base, timeout=TIMEOUT_MS)
        await _hello_ready(hello_page)
        await _runs_of(hello, "")
        for change in range(CHANGES):
            for server, tab, label in ((app, page, "describe"), (hello, hello_page, "")):
                box = tab.get_by_role("spinbutton", name="Queries per day")
                await box.fill(str(2000 + 100 * change))
                await box.press("Enter")
                run = (await _runs_of(server, label))[-1]
                await tab.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
                if server is app:
                    by_page["describe, input changed"].append(run["wall_ms"])
                else:
                    hello_ms.append(run["wall_ms"])
        await context.close()
    print(
        f"Page reruns on a real server, post-run GC included ({VISITS} visits each, "
        f"{CHANGES} input changes; target p95 < {RERUN_TARGET_MS:.0f} ms)"
    )
    print(f"  {'page':<24} {'p50':>8} {'p95':>8}")
    for name, samples in by_page.items():
        print(f"  {name:<24} {statistics.median(samples):5.0f} ms {p95(samples):5.0f} ms")
    print(
        f"  {'hello-world, input':<24} {statistics.median(hello_ms):5.0f} ms "
        f"{p95(hello_ms):5.0f} ms"
    )
    worst, samples = max(by_page.items(), key=lambda item: p95(item[1]))
    record(
        f"page rerun p95 on a real server, GC included, worst page ({worst})",
        p95(samples),
        "ms",
        RERUN_TARGET_MS,
    )
    return p95(samples) < RERUN_TARGET_MS


# --- main ----------------------------------------------------------------------------------------

PARTS = ("cold", "first-load", "sessions", "browser-sessions", "reruns")


async def _browser_parts(parts: list[str], app_args: list[str]) -> list[bool]:
    from playwright.async_api import async_playwright

    results = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            if "first-load" in parts:
                results.append(await bench_first_load(browser, app_args))
            if "browser-sessions" in parts:
                results.append(await bench_browser_sessions(browser, app_args))
            if "reruns" in parts:
                results.append(await bench_reruns(browser, app_args))
        finally:
            await browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"any of {','.join(PARTS)}")
    parser.add_argument(
        "--app-arg",
        action="append",
        default=[],
        help="an extra `streamlit run` option for the dashboard (repeatable)",
    )
    args = parser.parse_args()
    parts = args.parts.split(",")
    print(
        f"Machine: {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} before the run; other work may "
        "share it, which is why every figure stands beside hello-world's from the same run."
    )
    results = [bench_cold_start(args.app_arg)] if "cold" in parts else []
    if "sessions" in parts:
        results.append(asyncio.run(bench_sessions(args.app_arg)))
    if CHROMIUM.exists():
        results += asyncio.run(_browser_parts(parts, args.app_arg))
    else:
        print("Browser parts skipped (no /usr/bin/chromium; `make system-deps` installs it)")
    print("All dashboard targets met." if all(results) else "Some dashboard targets missed.")


if __name__ == "__main__":
    main()
