"""Markdown injection (issue 17, item 3): user text reaches the sidebar and Compare only through
`dashboard.format.md`, and renders as the literal text (tests/markdown_check.py renders it).

Each hostile string of tests/hostile.py is both the scenario's name (where the scenario allows
it) and the uploaded file's name, so one upload exercises the sidebar's name and "Loaded from …",
the notice at the top of the page and Compare's caption.
"""

from __future__ import annotations

import json

import pytest

from dashboard import share_link
from dashboard.format import md
from estimators.scenario import Scenario, ScenarioError, parse_scenario
from tests.app.conftest import scenario_of
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
