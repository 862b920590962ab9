"""The real app in headless Chromium: one `streamlit run` server for the module, Debian's chromium.

Screenshots of every page go to artifacts/screenshots/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from estimators.decision.learn import learn_content
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, ROOT, running_server

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1440, "height": 900}
PAGE_TIMEOUT_MS = 30_000

pytestmark = [pytest.mark.e2e, NO_CHROMIUM]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free local port, healthy before the first test."""
    with running_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context: a new Streamlit session with no shared state."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context.new_page()
    context.close()


def settle(page, title: str | None = None) -> None:
    """Wait until the page (by its title) is drawn and its script has finished its run.

    The title matters: a first visit can run the default page before the one in the URL.
    """
    heading = page.get_by_role("heading", name=title) if title else page.locator("h1")
    heading.first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=PAGE_TIMEOUT_MS
    )
    # Widgets load their code on first use and show skeletons until then.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid^=\"stSkeleton\"]')",
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_timeout(200)


def open_page(page, url: str, title: str) -> None:
    page.goto(url)
    settle(page, title)


def screenshot(page, name: str) -> None:
    """The whole main column: Streamlit scrolls inside it, so grow the viewport to fit first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 40, 8000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size(VIEWPORT)


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]').all_inner_texts()


def _dollars(text: str) -> float:
    """'$13.4k' → 13400.0: the compact figures of the Describe metrics."""
    number = float(re.sub(r"[^0-9.]", "", text))
    return number * {"k": 1e3, "M": 1e6}.get(text[-1], 1)


def test_opens_on_the_example_with_the_table_and_charts(server, page):
    open_page(page, server, "Compare approaches")
    assert page.get_by_role("heading", name="Compare approaches").is_visible()
    table = page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] table').first
    table.wait_for()
    assert table.locator("tbody tr").count() == 6  # one row per approach
    assert "Recommended" in table.inner_text()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.locator("canvas, svg").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert charts.count() == 3  # the cost charts; the others are drawn when their panel opens
    assert "RAG" in metric_values(page)[0]
    screenshot(page, "compare")
    for panel in ("Time per answer", "Chance of being the cheapest"):
        page.locator('[data-testid="stExpander"] summary', has_text=panel).click()
        settle(page, "Compare approaches")
    charts.nth(5).locator("canvas, svg").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert charts.count() == 6  # + latency, P(cheapest) and the tornado


def test_a_changed_input_moves_the_totals(server, page):
    open_page(page, f"{server}/describe", "Describe your feature")
    before = metric_values(page)
    assert len(before) == 6  # one tile per approach
    queries = page.get_by_role("spinbutton", name="Queries per day")
    queries.fill("10000")
    queries.press("Enter")
    page.wait_for_function(
        "(before) => { const now = [...document.querySelectorAll("
        '\'[data-testid="stMain"] [data-testid="stMetricValue"]\')].map(e => e.innerText);'
        " return now.length === before.length && now.some((v, i) => v !== before[i]); }",
        arg=before,
        timeout=PAGE_TIMEOUT_MS,
    )
    settle(page, "Describe your feature")
    after = metric_values(page)
    assert all(_dollars(a) > _dollars(b) for a, b in zip(after, before, strict=True))
    screenshot(page, "describe")


def test_a_huge_count_typed_in_scientific_notation_is_refused_beside_the_field(server, page):
    # An integer input read "1e15" as 1 (parseInt) and applied it without a word.
    open_page(page, f"{server}/describe", "Describe your feature")
    before = metric_values(page)
    tokens = page.get_by_role("spinbutton", name="User input per query (tokens)")
    tokens.fill("1e15")
    tokens.press("Enter")
    alert = page.locator('[data-testid="stAlert"]', has_text="Not applied")
    alert.first.wait_for(timeout=PAGE_TIMEOUT_MS)
    settle(page, "Describe your feature")
    assert "less than or equal to 1000000" in alert.first.inner_text()
    assert metric_values(page) == before


def open_group(page, title: str) -> None:
    """Open a Describe input group: its inputs are drawn by the rerun the click starts."""
    page.locator('[data-testid="stExpander"] summary', has_text=title).click()
    settle(page, "Describe your feature")


def test_a_closed_group_opens_on_a_click_and_stays_open_across_pages(server, page):
    open_page(page, f"{server}/describe", "Describe your feature")
    hourly = page.get_by_role("spinbutton", name="Team rate (USD/hour)")
    assert hourly.count() == 0  # closed: not drawn at all
    open_group(page, "Team and horizon")
    hourly.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("link", name="See the full comparison").click()
    settle(page, "Compare approaches")
    page.get_by_role("link", name="Describe").first.click()
    settle(page, "Describe your feature")
    hourly.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert page.get_by_role("spinbutton", name="Queries per day").is_visible()


def test_a_share_link_opens_the_same_scenario_in_a_fresh_browser(server, page, browser):
    open_page(page, f"{server}/describe", "Describe your feature")
    open_group(page, "Team and horizon")
    hourly = page.get_by_role("spinbutton", name="Team rate (USD/hour)")
    hourly.fill("185")
    hourly.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"]').innerText"
        ".includes('Example scenario, edited.')",
        timeout=PAGE_TIMEOUT_MS,
    )
    settle(page, "Describe your feature")
    page.get_by_role("button", name="Share link").click()
    link = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"] code').inner_text()
    assert "?s=" in link
    assert page.url.split("?s=", 1)[1] == link.split("?s=", 1)[1]  # the address bar agrees

    fresh = browser.new_context(viewport=VIEWPORT)
    try:
        other = fresh.new_page()
        open_page(other, link.strip(), "Describe your feature")
        open_group(other, "Team and horizon")
        assert other.get_by_role("spinbutton", name="Team rate (USD/hour)").input_value() == "185"
        assert (
            "Opened from a share link." in other.locator('[data-testid="stSidebar"]').inner_text()
        )
    finally:
        fresh.close()


def test_a_broken_share_link_explains_itself(server, page):
    open_page(page, f"{server}/?s=bm90LWEtc2NlbmFyaW8", "Compare approaches")
    alert = page.locator('[data-testid="stAlert"]').first
    assert "This share link could not be opened" in alert.inner_text()
    assert page.get_by_role("heading", name="Compare approaches").is_visible()


def test_the_dataset_page_checks_an_upload_and_reports_it(server, page, tmp_path):
    examples = [
        {
            "messages": [
                {"role": "system", "content": "You are Acme's calm support assistant."},
                {"role": "user", "content": f"Where is order {1000 + i}?"},
                {"role": "assistant", "content": f"Order {1000 + i} ships in {i % 4 + 1} days."},
            ]
        }
        for i in range(150)
    ]
    lines = [json.dumps(e) for e in examples] + ["this line is not JSON"]
    train = tmp_path / "train.jsonl"
    train.write_text("\n".join(lines) + "\n", encoding="utf-8")

    open_page(page, f"{server}/dataset", "Dataset check")
    page.locator(
        '[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(str(train))
    page.get_by_role("button", name="Use these figures").wait_for(timeout=PAGE_TIMEOUT_MS)
    settle(page, "Dataset check")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "150" in metric_values(page)[0]
    assert "1 line(s) with format errors" in body
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 1  # token histogram
    screenshot(page, "dataset")
    page.get_by_role("button", name="Use these figures").click()
    page.get_by_text("The scenario now uses the dataset's figures.").wait_for(
        timeout=PAGE_TIMEOUT_MS
    )


@pytest.mark.parametrize(
    ("name", "title"), [("risks", "Risks"), ("learn", "Learn"), ("export", "Export")]
)
def test_every_other_page_renders(server, page, name, title):
    open_page(page, f"{server}/{name}", title)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, name)


def test_the_learn_page_has_the_framework_and_a_quiz_with_feedback(server, page):
    open_page(page, f"{server}/learn", "Learn")
    page.get_by_role("tab", name="The framework").click()
    page.get_by_text("The decision tree").first.wait_for()
    screenshot(page, "learn-framework")
    page.get_by_role("tab", name="Self-check").click()
    question = learn_content().questions[0]
    page.get_by_text(question.options[question.answer], exact=True).click()
    page.locator('[data-testid="stAlert"]', has_text="Right.").wait_for(timeout=PAGE_TIMEOUT_MS)
    settle(page, "Learn")
    screenshot(page, "learn-quiz")


def test_the_export_page_downloads_the_scenario_and_a_pdf(server, page):
    open_page(page, f"{server}/export", "Export")
    with page.expect_download() as scenario_download:
        page.get_by_role("button", name="Download scenario JSON").click()
    scenario = json.loads(Path(scenario_download.value.path()).read_text(encoding="utf-8"))
    assert scenario["name"] == "Acme support chatbot"
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as pdf_download:
        page.get_by_role("button", name="Download PDF summary").click()
    assert pdf_download.value.suggested_filename == "acme-support-chatbot.pdf"
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")


def test_a_traffic_split_is_a_row_beside_the_approaches(server, page):
    from dashboard.share_link import encode_share
    from estimators.presets import get_preset

    scenario = get_preset("support-chatbot").scenario
    traffic = scenario.traffic.model_copy(update={"routing": {"lora": 0.7, "rag": 0.3}})
    token = encode_share(scenario.model_copy(update={"traffic": traffic})).token
    open_page(page, f"{server}/?s={token}", "Compare approaches")
    table = page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] table').first
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 7  # six approaches, then the mix
    last = rows.nth(6).inner_text()
    assert "Mix: 70% LoRA fine-tune, 30% RAG" in last and "(weighted)" in last
    screenshot(page, "compare-mix")


def test_a_litellm_price_file_reprices_compare(server, page, tmp_path):
    # gpt-5.4 at $4.00 / $16.00 per 1M (built-in $2.50 / $15.00): the example's prompting query,
    # 550 tokens in and 250 out, goes from $0.001375 + $0.00375 = $0.00512 to $0.0022 + $0.0040
    prices = tmp_path / "prices.json"
    prices.write_text(
        json.dumps({"gpt-5.4": {"input_cost_per_token": 4e-06, "output_cost_per_token": 1.6e-05}})
    )
    open_page(page, server, "Compare approaches")
    table = page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] table').first
    assert "$0.00512" in table.locator("tbody tr", has_text="Prompting").first.inner_text()

    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Prices: built-in catalogue").click()
    sidebar.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(
        str(prices)
    )
    page.get_by_text("Token prices from the uploaded file prices.json").wait_for(
        timeout=PAGE_TIMEOUT_MS
    )
    settle(page, "Compare approaches")
    assert "$0.0062" in table.locator("tbody tr", has_text="Prompting").first.inner_text()
    assert "Repriced from prices.json" in page.locator('[data-testid="stMain"]').inner_text()
    screenshot(page, "compare-uploaded-prices")
