"""Markdown injection (issue 17, item 3): user text reaches the sidebar and Compare only through
`dashboard.format.md`, and renders as the literal text (tests/markdown_check.py renders it).

Each hostile string of tests/hostile.py is both the scenario's name (where the scenario allows
it) and the uploaded file's name, so one upload exercises the sidebar's name and "Loaded from …",
the notice at the top of the page and Compare's caption. A price file's name goes through the
same escaping wherever the Prices panel, the notices and the share popover name it.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import share_link
from dashboard.format import md
from estimators.scenario import Scenario, ScenarioError, parse_scenario
from tests.app.conftest import scenario_of
from tests.app.test_price_upload import FILE, upload_prices
from tests.hostile import MARKDOWN_CASES
from tests.markdown_check import assert_inert

_IDS = [case_id for case_id, _ in MARKDOWN_CASES]


def _valid_name(text: str) -> bool:
    try:
        parse_scenario({"name": text})
    except ScenarioError:
        return False
    return True


def _only(sources: list[str], starting: str) -> str:
    found = [s for s in sources if s.startswith(starting)]
    assert len(found) == 1, (starting, sources)
    return found[0]


@pytest.mark.parametrize(("case_id", "text"), MARKDOWN_CASES, ids=_IDS)
def test_a_hostile_file_name_and_scenario_name_show_as_plain_text(app, case_id: str, text: str):
    name = text if _valid_name(text) else "Plain name"
    file_name = f"{text}.json"  # the uploader takes .json files only
    at = app()
    uploader = at.sidebar.get("file_uploader")[0]
    uploader.set_value((file_name, json.dumps({"name": name}).encode(), "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert scenario_of(at).name == name

    sidebar = [str(m.value) for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
    assert_inert(_only(sidebar, f"**{md(name)}**"), name)
    assert_inert(_only(sidebar, f"Loaded from {md(file_name)}."), file_name)
    notices = [str(s.value) for s in at.main.success]
    assert_inert(_only(notices, f"Loaded the scenario from {md(file_name)}."), file_name)
    captions = [c.value for c in at.main.caption]
    assert_inert(_only(captions, f"{md(name)} · "), name)


def test_a_hostile_file_name_in_an_upload_error_shows_as_plain_text(app):
    at = app()  # one session, every case in turn: a refused upload leaves the page as it was
    for case_id, text in MARKDOWN_CASES:
        file_name = f"{text}.json"
        uploader = at.sidebar.get("file_uploader")[0]
        uploader.set_value((file_name, b"{not json", "application/json")).run()
        errors = [str(e.value) for e in at.sidebar.error]
        message = _only(errors, f"{md(file_name)} was not loaded")
        assert_inert(message.split("\n\n", 1)[0], file_name), case_id


def test_the_issue_17_name_from_a_share_link_makes_no_heading_or_link(app):
    name = "Acme\n\n# OWNED\n\nCall www.evil-example.com"
    token = share_link.encode_share(Scenario(name=name)).token
    at = app(query={share_link.SHARE_PARAM: token})
    assert not [h for h in at.sidebar.markdown if "OWNED" in str(h.value) and "\n" in h.value]
    sidebar = [str(m.value) for m in at.sidebar.markdown]
    shown = "Acme \\# OWNED Call www\u2060.evil-example.com"  # U+2060 breaks the autolink
    assert _only(sidebar, "**Acme") == f"**{shown}**"
    caption = _only([c.value for c in at.main.caption], "Acme")
    assert caption.startswith(f"{shown} · ")
    assert_inert(caption, name)


def test_a_hostile_price_file_name_shows_as_plain_text_wherever_it_is_named(app):
    # The Dataset page computes no estimate: each upload reprices the session in milliseconds.
    at = app("dataset")  # one session, every case in turn: each upload replaces the last
    for case_id, text in MARKDOWN_CASES:
        file_name = f"{text}.json"
        at = upload_prices(at, file_name, json.dumps(FILE).encode())
        assert not at.exception, (case_id, [e.value for e in at.exception])
        shown = md(file_name)
        success = [str(s.value) for s in at.main.success]
        assert_inert(_only(success, f"Repriced from {shown} (as of"), file_name)
        captions = [c.value for c in at.sidebar.caption]
        assert_inert(_only(captions, f"In force: {shown} (as of"), file_name)
        warnings = [str(w.value) for w in at.sidebar.warning]
        assert_inert(_only(warnings, f"Your uploaded prices ({shown})"), file_name)


def test_a_hostile_price_file_name_in_the_compare_notice_shows_as_plain_text():
    def page(names: list[str]) -> None:
        import json
        from datetime import date

        from dashboard.prices import read_upload
        from dashboard.widgets import price_notices
        from estimators.scenario import Scenario
        from tests.app.test_price_upload import FILE

        for name in names:  # Compare's notice for each name, one page
            uploaded = read_upload(name, json.dumps(FILE).encode(), date(2026, 12, 1))
            price_notices.show(Scenario(), date(2026, 12, 1), uploaded=uploaded)

    names = [f"{text}.json" for _, text in MARKDOWN_CASES]
    at = AppTest.from_function(page, kwargs={"names": names}).run()
    assert not at.exception, [e.value for e in at.exception]
    infos = [str(i.value) for i in at.info]
    for file_name in names:
        prefix = f"Token prices from the uploaded file {md(file_name)} ("
        assert_inert(_only(infos, prefix), file_name)


def test_a_hostile_price_file_name_in_an_upload_error_shows_as_plain_text(app):
    at = app("dataset")  # no estimate on this page: the sidebar is what is checked
    for case_id, text in MARKDOWN_CASES:
        file_name = f"{text}.json"
        at = upload_prices(at, file_name, b"{not json")
        errors = [str(e.value) for e in at.sidebar.error]
        message = _only(errors, f"{md(file_name)} was not applied")
        assert_inert(message.split("\n\n", 1)[0], file_name), case_id
