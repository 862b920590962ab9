"""The sidebar's Prices panel (issue 13, item a): a LiteLLM price file reprices the session the
way `python -m estimators estimate --prices FILE` reprices a run; going back restores the
built-in catalogue; sessions with different files never see each other's figures.

Bad files are in tests/app/test_hostile_inputs.py (the corpus is tests/hostile.py).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from dashboard import prices
from estimators.estimate import estimate
from estimators.ids import short_name
from estimators.presets import DEFAULT_PRESET, get_preset
from estimators.price_import import import_prices
from report.cli import main
from report.format import usd, usd_compact
from tests.app.conftest import alerts, cost_table, input_key, open_groups, texts

# gpt-5.4 at $4.00 in / $16.00 out per 1M tokens (LiteLLM lists USD per token); the built-in
# catalogue has $2.50 / $15.00.
FILE = {
    "gpt-5.4": {"input_cost_per_token": 4e-06, "output_cost_per_token": 1.6e-05, "mode": "chat"},
    "some-model-we-do-not-list": {"input_cost_per_token": 1e-06, "mode": "chat"},
}
# The default example (support-chatbot) prompts gpt-5.4 with a 400-token system prompt and
# 150 tokens of input (under the 1,024-token cache minimum: no discount) for 250 tokens out
# (gpt-5.4 reasons only when asked: no reasoning tokens):
#   built-in: 550 × $2.50/1M + 250 × $15.00/1M = $0.001375 + $0.00375 = $0.005125
#   the file: 550 × $4.00/1M + 250 × $16.00/1M = $0.0022 + $0.0040 = $0.0062
PROMPTING_BUILT_IN_USD = 550 * 2.50 / 1e6 + 250 * 15.00 / 1e6
PROMPTING_FILE_USD = 550 * 4.00 / 1e6 + 250 * 16.00 / 1e6
UPLOADER_LABEL = "Load a LiteLLM price file"


def upload_prices(at, name: str, data: bytes):
    uploader = next(u for u in at.sidebar.get("file_uploader") if u.label == UPLOADER_LABEL)
    uploader.upload(name, data, "application/json")
    return at.run()


def per_query_shown(at) -> dict[str, str]:
    """Approach name (without ★) → its per-query cost as the Compare table shows it."""
    table = cost_table(at)
    return {
        str(name).removesuffix(" ★"): str(cost)
        for name, cost in zip(table["Approach"], table["Per query"], strict=True)
    }


def _file_table():
    table, _ = import_prices(json.dumps(FILE), date.today().isoformat(), "LiteLLM file prices.json")
    return table


def test_an_uploaded_price_file_reprices_compare_as_the_cli_does(app, tmp_path, capsys):
    at = app()
    assert per_query_shown(at)["Prompting"] == usd(PROMPTING_BUILT_IN_USD) == "$0.00512"

    at = upload_prices(at, "prices.json", json.dumps(FILE).encode())
    assert not at.exception
    shown = per_query_shown(at)
    assert shown["Prompting"] == usd(PROMPTING_FILE_USD) == "$0.0062"

    path = tmp_path / "prices.json"
    path.write_text(json.dumps(FILE))
    argv = ["estimate", "support-chatbot", "--prices", str(path), "--format", "json"]
    assert main([*argv, "--draws", "0"]) == 0
    cli = json.loads(capsys.readouterr().out)["approaches"]
    by_name = {a["name"]: a["per_query_usd"] for a in cli}
    assert by_name["Prompting"] == pytest.approx(PROMPTING_FILE_USD)
    assert shown == {name: usd(value) for name, value in by_name.items()}  # every approach


def test_the_upload_is_confirmed_and_the_price_notice_names_the_file(app):
    at = upload_prices(app(), "prices.json", json.dumps(FILE).encode())
    assert any(
        "Repriced from prices.json (as of " in s and "1 of the catalogue's" in s
        for s in alerts(at, "success")
    )
    notice = next(i for i in alerts(at, "info") if "Token prices from the uploaded file" in i)
    assert f"prices.json (as of {date.today().isoformat()}, the day it was uploaded" in notice
    assert "for gpt-5.4; the other 3 from the built-in catalogue" in notice
    assert at.sidebar.expander[0].label == "Prices: uploaded file"
    assert "In force: prices.json" in texts(at)


def test_a_date_in_the_file_name_dates_the_prices(app):
    at = upload_prices(app(), "litellm-prices-2026-07-24.json", json.dumps(FILE).encode())
    notice = next(i for i in alerts(at, "info") if "Token prices from the uploaded file" in i)
    assert "(as of 2026-07-24, the date in its name)" in notice


def test_every_page_uses_the_uploaded_prices(app):
    at = upload_prices(app(), "prices.json", json.dumps(FILE).encode())
    result = estimate(get_preset(DEFAULT_PRESET).scenario, _file_table())

    at.switch_page("dashboard/views/describe.py").run()
    open_groups(at, "models")
    assert not at.exception
    tiles = {m.label.removesuffix(" ★"): m.value for m in at.metric}
    expected = {short_name(a.id): usd_compact(a.total_usd) for a in result.approaches}
    assert tiles == expected
    assert "Prices from prices.json" in texts(at)
    general = at.selectbox(key=input_key(at, "models.general"))
    assert "gpt-5.4 · openai · $4.00 in / $16.00 out per 1M" in general.options

    at.switch_page("dashboard/views/learn.py").run()
    assert not at.exception
    assert result.recommendation.headline in texts(at)

    at.switch_page("dashboard/views/risks.py").run()
    assert not at.exception

    at.switch_page("dashboard/views/export.py").run()
    assert not at.exception
    assert f"prices as of {result.prices_as_of}, token prices from prices.json" in texts(at)


def test_going_back_restores_the_built_in_prices(app):
    at = upload_prices(app(), "prices.json", json.dumps(FILE).encode())
    assert per_query_shown(at)["Prompting"] == "$0.0062"
    back = next(b for b in at.sidebar.button if b.label == "Back to the built-in prices")
    at = back.click().run()
    assert not at.exception
    assert at.session_state[prices.PRICES_KEY] is None
    assert per_query_shown(at)["Prompting"] == usd(PROMPTING_BUILT_IN_USD) == "$0.00512"
    assert any("Back to the built-in catalogue prices" in i for i in alerts(at, "info"))
    assert not any("uploaded file" in i for i in alerts(at, "info"))
    assert at.sidebar.expander[0].label == "Prices: built-in catalogue"


def test_sessions_with_different_files_never_see_each_others_figures(app):
    # B: gpt-5.4 at $1.00 / $4.00 per 1M: 550 × 1.00/1M + 250 × 4.00/1M = $0.00055 + $0.001
    cheaper = {"gpt-5.4": {"input_cost_per_token": 1e-06, "output_cost_per_token": 4e-06}}
    a = upload_prices(app(), "prices.json", json.dumps(FILE).encode())
    b = upload_prices(app(), "prices.json", json.dumps(cheaper).encode())
    plain = app()
    for _ in range(2):  # each session again, after the others filled the caches
        for session, expected in (
            (a, "$0.0062"),
            (b, "$0.00155"),
            (plain, usd(PROMPTING_BUILT_IN_USD)),
        ):
            session.run()
            assert per_query_shown(session)["Prompting"] == expected
    digests = {s.session_state[prices.PRICES_KEY].digest for s in (a, b)}
    assert len(digests) == 2


def test_the_share_popover_says_uploaded_prices_are_not_in_the_link(app):
    at = app()
    assert not any("not** in the link" in w for w in alerts(at, "warning"))
    at = upload_prices(at, "prices.json", json.dumps(FILE).encode())
    warning = next(w for w in alerts(at, "warning") if "Your uploaded prices" in w)
    assert "(prices.json) are **not** in the link" in warning
    assert "built-in catalogue's prices" in warning
