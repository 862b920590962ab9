"""Every page on a phone (390 × 844): the sidebar starts collapsed, nothing needs it, the numbers
are there; a screenshot of each page for a person to look at."""

from __future__ import annotations

import pytest

from tests.e2e.server import NO_CHROMIUM
from tests.e2e.test_browser import SCREENSHOTS, browser, open_page, server  # noqa: F401

PHONE = {"width": 390, "height": 844}
MAIN_HEIGHT = """() => document.querySelector('[data-testid="stMain"]').scrollHeight"""
# The main column's width with its tables hidden: a wide table scrolls the page sideways on a
# phone (Markdown tables have no scroll box of their own), everything else must fit the screen.
MAIN_WIDTH = """() => {
  const tables = [...document.querySelectorAll('[data-testid="stMain"] table')];
  tables.forEach(t => t.style.display = 'none');
  const width = document.querySelector('[data-testid="stMain"]').scrollWidth;
  tables.forEach(t => t.style.display = '');
  return width;
}"""
PAGES = [
    ("", "Compare approaches"),
    ("describe", "Describe your feature"),
    ("risks", "Risks"),
    ("dataset", "Dataset check"),
    ("learn", "Learn"),
    ("export", "Export"),
]

pytestmark = [pytest.mark.e2e, NO_CHROMIUM]


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def _full_page(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(MAIN_HEIGHT)
    page.set_viewport_size({"width": PHONE["width"], "height": min(height + 40, 12000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"))
    page.set_viewport_size(PHONE)


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p or "compare" for p, _ in PAGES])
def test_every_page_works_on_a_phone_with_the_sidebar_collapsed(server, phone, path, title):  # noqa: F811
    open_page(phone, f"{server}/{path}", title)
    sidebar = phone.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"
    # Nothing wider than the screen but the tables, which scroll inside themselves.
    overflow = phone.evaluate(MAIN_WIDTH)
    assert overflow <= PHONE["width"] + 1
    _full_page(phone, path or "compare")


def test_the_phone_compare_page_shows_the_total_first(server, phone):  # noqa: F811
    open_page(phone, server, "Compare approaches")
    table = phone.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] table').first
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert [h for h in headers if h.strip()][:2] == ["Approach", "Total, 12 months"]


def test_the_phone_describe_totals_wrap_in_pairs_above_the_first_input(server, phone):  # noqa: F811
    # Six tiles one to a row put "Queries per day" 1.5 screens down; in pairs, 1.15.
    open_page(phone, f"{server}/describe", "Describe your feature")
    tiles = phone.locator('[data-testid="stMain"] [data-testid="stMetric"]')
    assert tiles.count() == 6
    first, second = tiles.nth(0).bounding_box(), tiles.nth(1).bounding_box()
    assert first and second and abs(first["y"] - second["y"]) < 1  # side by side
    queries = phone.get_by_role("spinbutton", name="Queries per day").bounding_box()
    assert queries and queries["y"] + queries["height"] <= PHONE["height"] * 1.2
