"""Hostile inputs at the AppTest level (issue 9; the corpus is tests/hostile.py): scenario files
through the sidebar uploader, share links in `?s=`, dataset files through the Dataset page, price
files through the sidebar's Prices panel.

Every bad input must be explained inline in the user's terms, never raise, and leave the last
valid scenario (and so the Compare figures) in force. AppTest drives `st.file_uploader` for real
(the file goes through the widget's on_change callback, as in a browser), but it skips the
browser's own checks: the uploader's `max_upload_size` and `type` are enforced by the frontend,
so here an oversized file reaches the code's own size checks, which are what these tests prove.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib

import pytest

from dashboard import prices, share_link
from dashboard.widgets import dataset_upload
from estimators.presets import DEFAULT_PRESET, get_preset
from estimators.scenario import parse_scenario_file
from tests.app.conftest import alerts, scenario_of, totals_shown
from tests.app.test_price_upload import FILE, per_query_shown, upload_prices
from tests.hostile import DATASET_CASES, PRICE_FILE_CASES, SCENARIO_CASES, Case

# The last valid scenario before each hostile file: not the preset, so "kept" cannot be confused
# with "reset to the default".
_LAST_VALID = {"name": "Last valid", "traffic": {"queries_per_day": 2500}, "horizon_months": 18}
# In a browser the sidebar uploader (max_upload_size=1 MB) refuses a 10 MB file before it is
# sent; AppTest skips that check, so the code's own cap (state.MAX_SCENARIO_FILE_BYTES) answers.
_SIDEBAR_EXPECT = {"ten-mb-name": "a scenario file is at most"}


def _upload_scenario(at, name: str, data: bytes):
    at.sidebar.get("file_uploader")[0].set_value((name, data, "application/json"))
    return at.run()


# --- scenario files through the sidebar uploader --------------------------------------------------


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=lambda c: c.id)
def test_a_hostile_scenario_file_is_explained_and_the_last_valid_scenario_kept(app, case: Case):
    at = _upload_scenario(app(), "last.json", json.dumps(_LAST_VALID).encode())
    last_valid = scenario_of(at)
    assert last_valid.name == "Last valid"
    figures = totals_shown(at)

    raw = case.make()
    at = _upload_scenario(at, "hostile.json", raw)
    assert not at.exception, [e.value for e in at.exception]
    errors = "\n".join(alerts(at, "error"))
    if case.expect is None:
        assert not errors
        assert scenario_of(at) == parse_scenario_file(raw)
        assert any("Loaded the scenario from hostile.json" in s for s in alerts(at, "success"))
        return
    assert "hostile.json was not loaded; the scenario in force is unchanged" in errors
    assert _SIDEBAR_EXPECT.get(case.id, case.expect) in errors
    assert scenario_of(at) == last_valid
    assert totals_shown(at) == figures  # the Compare page still shows the last valid figures


# --- share links ----------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _link(json_bytes: bytes) -> str:
    return _b64(zlib.compress(json_bytes, 9))


_GOOD = share_link.encode_share(get_preset("invoice-extraction").scenario).token
_CUT_MID_QUANTUM = next(_GOOD[:-n] for n in range(1, 5) if len(_GOOD[:-n]) % 4 == 1)
_CUT_ON_QUANTUM = _GOOD[: len(_GOOD) // 2 // 4 * 4]
_ZLIB = zlib.compress(b'{"name": "cut zlib", "horizon_months": 12}')
_GZIP = gzip.compress(b'{"name": "cut gzip"}')
_DEEP = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"  # under the inflated-size cap

LINK_CASES = [
    ("truncated-base64-mid-quantum", _CUT_MID_QUANTUM, "not base64url"),
    ("truncated-base64", _CUT_ON_QUANTUM, "cut short"),
    ("truncated-zlib-stream", _b64(_ZLIB[:-8]), "cut short"),
    ("truncated-gzip-stream", _b64(_GZIP[:-6]), "damaged"),
    ("whole-gzip-stream", _b64(_GZIP), "damaged"),
    ("base64-of-garbage", _b64(bytes(range(256))), "damaged"),
    (
        "decompression-bomb",
        _link(b"{" + b" " * (share_link.MAX_LINK_JSON_BYTES * 4) + b"}"),
        "too large for a link",
    ),
    ("over-the-length-cap", "A" * (share_link.MAX_LINK_CHARS + 1), "characters long"),
    ("json-list", _link(b"[1, 2, 3]"), "JSON object, not a list"),
    ("nan-inside", _link(b'{"traffic": {"queries_per_day": NaN}}'), "finite number"),
    ("unknown-key-inside", _link(b'{"trafic": {}}'), "unknown key"),
    ("deep-nesting-inside", _link(_DEEP), "recursion limit"),
    ("bidi-override", _GOOD[:20] + "\u202e" + _GOOD[20:], "not base64url"),
    ("non-ascii", "Ñandú-你好-🎉", "not base64url"),
    ("nul-character", "\x00", "not base64url"),
    ("whitespace", "   ", "not base64url"),
]


@pytest.mark.parametrize(
    ("token", "says"), [c[1:] for c in LINK_CASES], ids=[c[0] for c in LINK_CASES]
)
def test_a_hostile_share_link_explains_itself_and_loads_the_default(app, token: str, says: str):
    at = app(query={share_link.SHARE_PARAM: token})
    assert not at.exception, [e.value for e in at.exception]
    warnings = "\n".join(alerts(at, "warning"))
    assert "This share link could not be opened" in warnings
    assert says in warnings
    assert f"Showing the “{get_preset(DEFAULT_PRESET).title}” example instead" in warnings
    assert scenario_of(at) == get_preset(DEFAULT_PRESET).scenario
    assert totals_shown(at)
    # The address bar is rewritten to the default's own link: the bad value does not linger.
    assert at.query_params[share_link.SHARE_PARAM] == share_link.encode_share(scenario_of(at)).token


def test_an_empty_share_link_is_no_link_and_opens_the_default_quietly(app):
    """`?s=` with nothing after it carries no scenario: there is nothing to explain."""
    at = app(query={share_link.SHARE_PARAM: ""})
    assert not at.exception
    assert not alerts(at, "warning") and not alerts(at, "error")
    assert scenario_of(at) == get_preset(DEFAULT_PRESET).scenario


# --- dataset files through the Dataset page -------------------------------------------------------

# Left to the engine and CLI tests (tests/unit/test_hostile_inputs.py): a million lines and a
# 50 MB line each take seconds to check, and add nothing at the page level that the small
# "report names the bad lines" cases do not already show.
_SLOW = {"million-lines", "fifty-mb-line", "twelve-4mb-lines-without-spaces"}


def _upload_dataset(at, data: bytes, name: str = "train.jsonl"):
    at.main.get("file_uploader")[0].upload(name, data, "application/jsonl")
    return at.run()


@pytest.mark.parametrize(
    "case", [c for c in DATASET_CASES if c.id not in _SLOW], ids=lambda c: c.id
)
def test_a_hostile_dataset_is_explained_or_its_bad_lines_named(app, case: Case):
    at = _upload_dataset(app("dataset"), case.make())
    assert not at.exception, [e.value for e in at.exception]
    errors = alerts(at, "error")
    if case.expect is None:
        assert not errors
        assert any("is valid" in s for s in alerts(at, "success"))
        return
    metrics = {m.label: m.value for m in at.metric}
    if not metrics:  # the file cannot be read: one message says why
        assert len(errors) == 1 and case.expect in errors[0]
        return
    # A readable file: the report names the bad line and says it once (the red alert, not a
    # second, yellow warning repeating the count).
    assert len(errors) == 1 and "1 line(s) with format errors (of 2 lines)" in errors[0]
    assert not any("format errors" in w for w in alerts(at, "warning"))
    line_table = at.dataframe[1].value
    assert list(line_table["Line"]) == [2]
    assert case.expect in line_table["Problem"][0]


def test_a_dataset_over_the_upload_cap_is_refused_before_it_is_read(app):
    """A real upload one byte over 50 MB: AppTest does not apply the server's maxUploadSize, so the
    page's own check (dataset_upload.MAX_UPLOAD_BYTES) is what refuses it."""
    at = _upload_dataset(app("dataset"), b"\n" * (dataset_upload.MAX_UPLOAD_BYTES + 1))
    assert not at.exception
    errors = alerts(at, "error")
    assert len(errors) == 1 and "larger than the 50 MB limit" in errors[0]
    assert dataset_upload.CHECKED_KEY not in at.session_state  # never checked
    assert not at.metric


# --- price files through the sidebar's Prices panel -----------------------------------------------


@pytest.mark.parametrize("case", PRICE_FILE_CASES, ids=lambda c: c.id)
def test_a_hostile_price_file_is_explained_and_the_prices_in_force_kept(app, case: Case):
    # A valid file first, so "kept" cannot be confused with "back to the built-in prices".
    at = upload_prices(app(), "good.json", json.dumps(FILE).encode())
    in_force = at.session_state[prices.PRICES_KEY]
    figures = per_query_shown(at)
    assert figures["Prompting"] == "$0.0062"

    at = upload_prices(at, "hostile.json", case.make())
    assert not at.exception, [e.value for e in at.exception]
    errors = "\n".join(alerts(at, "error"))
    assert "hostile.json was not applied; the prices in force are unchanged" in errors
    assert case.expect in errors
    assert at.session_state[prices.PRICES_KEY] == in_force
    assert per_query_shown(at) == figures


def test_a_hostile_price_file_leaves_the_built_in_prices_in_force(app):
    at = upload_prices(app(), "hostile.json", b"[1, 2]")
    assert any("expected a JSON object" in e for e in alerts(at, "error"))
    assert prices.PRICES_KEY not in at.session_state  # nothing was ever put in force
    assert per_query_shown(at)["Prompting"] == "$0.00512"
    assert not any("uploaded file" in i for i in alerts(at, "info"))
