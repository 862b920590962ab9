"""Ten browser sessions against one server at once: each sees only its own scenario (issue 9).

One `streamlit run` server, one headless Chromium, one context (= one Streamlit session) per
simulated user, driven together with asyncio. Session i opens its own share link (queries per day
1000 × (i + 1)), checks the Describe totals, then all sessions change their queries per day at the
same moment and wait for their new totals. The expected figures come from `estimate()` here, and
are distinct for every session and step, so a session showing another's numbers cannot pass.
The time from each input change to its updated totals is printed (p95), not asserted.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Iterator

import pytest

from dashboard import share_link
from estimators.estimate import estimate
from estimators.presets import DEFAULT_PRESET, get_preset
from estimators.scenario import Scenario
from report.format import usd_compact
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, running_server

pytestmark = [pytest.mark.e2e, NO_CHROMIUM]

SESSIONS = 10
TIMEOUT_MS = 60_000  # ten sessions share a 2-core machine
VIEWPORT = {"width": 1280, "height": 800}
METRICS = '[data-testid="stMain"] [data-testid="stMetricValue"]'
_METRICS_ARE = (
    "(expected) => { const now = [...document.querySelectorAll("
    f"'{METRICS}')].map(e => e.innerText.trim());"
    " return now.length === expected.length && now.every((v, i) => v === expected[i]); }"
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server("e2e-concurrency-server.log") as base:
        yield base


def _scenario(queries_per_day: int) -> Scenario:
    data = get_preset(DEFAULT_PRESET).scenario.model_dump(mode="json")
    data["traffic"]["queries_per_day"] = queries_per_day
    return Scenario.model_validate(data)


def _totals(scenario: Scenario) -> list[str]:
    """The Describe page's metrics, as it formats them."""
    return [
        usd_compact(a.total_usd) if a.available else "n/a" for a in estimate(scenario).approaches
    ]


async def _settle(page) -> None:
    await page.get_by_role("heading", name="Describe your feature").wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
    )


async def _session(browser, base: str, i: int, start_together: asyncio.Barrier) -> dict:
    before_q, after_q = 1000 * (i + 1), 1000 * (i + 1) + 500
    before, after = _totals(_scenario(before_q)), _totals(_scenario(after_q))
    context = await browser.new_context(viewport=VIEWPORT)
    page_errors: list[str] = []
    try:
        page = await context.new_page()
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        token = share_link.encode_share(_scenario(before_q)).token
        await page.goto(f"{base}/describe?{share_link.SHARE_PARAM}={token}", timeout=TIMEOUT_MS)
        await _settle(page)
        await page.wait_for_function(_METRICS_ARE, arg=before, timeout=TIMEOUT_MS)
        shown_before = await page.locator(METRICS).all_inner_texts()

        # Every session changes its input at the same moment (bounded: a failed one stops all).
        await asyncio.wait_for(start_together.wait(), TIMEOUT_MS / 1000)
        queries = page.get_by_role("spinbutton", name="Queries per day")
        await queries.fill(str(after_q))
        started = time.perf_counter()
        await queries.press("Enter")
        await page.wait_for_function(_METRICS_ARE, arg=after, timeout=TIMEOUT_MS)
        elapsed = time.perf_counter() - started
        await _settle(page)
        shown_after = await page.locator(METRICS).all_inner_texts()
        exceptions = await page.locator('[data-testid="stException"]').count()
        link = page.url.split(f"?{share_link.SHARE_PARAM}=", 1)[1]
    finally:
        await context.close()
    return {
        "session": i,
        "expected": (before, after),
        "shown": ([s.strip() for s in shown_before], [s.strip() for s in shown_after]),
        "queries_in_url": share_link.decode_share(link).traffic.queries_per_day,
        "after_queries": after_q,
        "exceptions": exceptions,
        "page_errors": page_errors,
        "seconds": elapsed,
    }


async def _drive(base: str) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            barrier = asyncio.Barrier(SESSIONS)
            return await asyncio.gather(
                *(_session(browser, base, i, barrier) for i in range(SESSIONS))
            )
        finally:
            await browser.close()


def test_ten_concurrent_sessions_each_see_only_their_own_numbers(server):
    expected = [
        tuple(_totals(_scenario(1000 * (i + 1) + step)))
        for i in range(SESSIONS)
        for step in (0, 500)
    ]
    assert len(set(expected)) == len(expected)  # no two sessions or steps look alike

    results = asyncio.run(_drive(server))

    for result in results:
        before, after = result["expected"]
        assert result["shown"] == (before, after), result
        assert result["queries_in_url"] == result["after_queries"], result
        assert result["exceptions"] == 0 and not result["page_errors"], result
    seconds = sorted(r["seconds"] for r in results)
    p95 = seconds[math.ceil(0.95 * len(seconds)) - 1]
    print(
        f"\n{SESSIONS} concurrent sessions, input change → updated totals: "
        f"p50 {seconds[len(seconds) // 2] * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {seconds[-1] * 1000:.0f} ms"
    )
