"""Markdown injection in a real browser (issue 17, item 3): GitHub-flavoured autolinks and block
syntax are the browser renderer's, so the AppTest checks of `md()` are confirmed here once.

The hostile strings of tests/hostile.py that a scenario name may hold, joined into five names,
each opened from a share link: the sidebar and Compare must show it as text, with no heading,
list, quote, link, image or raw HTML coming from it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboard import share_link
from estimators.scenario import Scenario, ScenarioError, parse_scenario
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, running_server
from tests.hostile import MARKDOWN_CASES

pytestmark = [pytest.mark.e2e, NO_CHROMIUM]
TIMEOUT_MS = 60_000
# Markup the hostile text would create if it were rendered as Markdown.
_INJECTED = (
    "h1, h2, h3, h4, h5, h6, ul, ol, blockquote, pre, table, img, hr, script, del, "
    "a[href*='evil-example'], a[href^='mailto']"
)


def _valid(text: str) -> bool:
    try:
        parse_scenario({"name": text})
    except ScenarioError:
        return False
    return True


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server("e2e-markdown-server.log") as base:
        yield base


GROUPS = 5  # the corpus is longer than one name (200 characters): five names hold it all


@pytest.mark.parametrize("group", range(GROUPS))
def test_a_hostile_name_from_a_link_renders_as_text_in_the_sidebar_and_on_compare(server, group):
    from playwright.sync_api import sync_playwright

    texts = [text for _, text in MARKDOWN_CASES if _valid(text)]
    name = " ¦ ".join(texts[group::GROUPS])
    token = share_link.encode_share(Scenario(name=name)).token
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{server}/?{share_link.SHARE_PARAM}={token}", timeout=TIMEOUT_MS)
            page.get_by_role("heading", name="Compare approaches").wait_for(timeout=TIMEOUT_MS)
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
            )
            sidebar_name = page.locator('[data-testid="stSidebar"] strong').first
            caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
            for where in (sidebar_name, caption.first):
                assert where.locator(_INJECTED).count() == 0, where.inner_html()
                assert where.locator("a").count() == 0, where.inner_html()
            shown = sidebar_name.inner_text().replace("\u2060", "")  # md()'s invisible joiner
            assert " ".join(shown.split()) == " ".join(name.split()), shown
            assert page.locator("[data-testid='stMain'] h1").all_inner_texts() == [
                "Compare approaches"
            ]
        finally:
            browser.close()
