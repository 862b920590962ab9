"""Refreshing prices from a LiteLLM-format file (fixtures written by the tests themselves)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from estimators.errors import EstimatorError
from estimators.estimate import estimate
from estimators.price_import import import_prices
from report.cli import main
from tests.scenarios import scenario_with

FILE = {
    # per token: 4e-6 = $4.00 per 1M tokens; 1.6e-5 = $16.00 per 1M
    "gpt-4.1": {"input_cost_per_token": 4e-6, "output_cost_per_token": 1.6e-5, "mode": "chat"},
    "openai/gpt-4.1-mini": {"input_cost_per_token": 1e-6, "mode": "chat"},
    "ft:gpt-4.1-mini-2025-04-14": {"input_cost_per_token": 2e-6, "output_cost_per_token": 8e-6},
    "gpt-4.1-nano": {"input_cost_per_token": "free"},
    "some-new-model": {"input_cost_per_token": 1e-6},
}


def test_known_models_take_the_file_prices_per_million_tokens() -> None:
    table, report = import_prices(json.dumps(FILE), "2026-11-01")
    assert table["gpt-4.1"].input_usd_per_mtok == pytest.approx(4.0)
    assert table["gpt-4.1"].output_usd_per_mtok == pytest.approx(16.0)
    assert table["gpt-4.1"].as_of == "2026-11-01"
    # a missing output price keeps the catalogue's: gpt-4.1-mini output stays $1.60
    assert table["gpt-4.1-mini"].input_usd_per_mtok == pytest.approx(1.0)
    assert table["gpt-4.1-mini"].output_usd_per_mtok == pytest.approx(1.6)
    assert {"gpt-4.1", "gpt-4.1-mini"} <= set(report.updated)


def test_dated_fine_tuned_entries_refresh_inference_but_keep_training_prices() -> None:
    table, report = import_prices(json.dumps(FILE), "2026-11-01")
    ft = table["gpt-4.1-mini"].fine_tuning
    assert ft is not None
    assert (ft.input_usd_per_mtok, ft.output_usd_per_mtok) == pytest.approx((2.0, 8.0))
    assert ft.training_usd_per_mtok == 5.0
    assert report.fine_tuned_updated == ["gpt-4.1-mini"]


def test_bad_entries_are_skipped_with_a_reason_and_unknown_models_ignored() -> None:
    table, report = import_prices(json.dumps(FILE), "2026-11-01")
    assert "gpt-4.1-nano" in report.skipped
    assert "some-new-model" not in table
    assert "claude-sonnet-4-5" in report.not_found


@pytest.mark.parametrize("raw", ["[1, 2]", "{not json", ""])
def test_a_file_that_is_not_a_price_table_is_a_clear_error(raw: str) -> None:
    with pytest.raises(EstimatorError, match="price file"):
        import_prices(raw, "2026-11-01")


def test_estimate_uses_imported_prices_and_reports_their_date() -> None:
    table, _ = import_prices(json.dumps(FILE), "2026-12-15")
    result = estimate(scenario_with(), table)
    # prompting on gpt-4.1 at $4 / $16: (300 + 100) × 4/1M + 200 × 16/1M = 0.0016 + 0.0032
    assert result.approach("prompting").per_query_usd == pytest.approx(0.0048)
    assert result.prices_as_of == "2026-12-15"


def test_cli_prices_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(FILE))
    code = main(["estimate", "support-chatbot", "--prices", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["prices_as_of"] >= "2026"
    assert "refreshed" in err


@pytest.mark.parametrize("per_token", [1e302, 1e-2 * 1.5])
def test_an_absurd_price_is_skipped_with_a_reason_naming_it(per_token: float) -> None:
    """1e308 USD per token was accepted, then overflowed and was blamed on totals_usd."""
    raw = json.dumps({"gpt-4.1": {"input_cost_per_token": per_token}})
    table, report = import_prices(raw, "2026-11-01")
    assert "gpt-4.1" not in report.updated
    assert "input_cost_per_token" in report.skipped["gpt-4.1"]
    assert "at most" in report.skipped["gpt-4.1"]
    assert math.isfinite(estimate(scenario_with(), table).approach("prompting").total_usd or 0)


def test_the_cli_says_which_prices_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"gpt-4.1": {"input_cost_per_token": 1e308}}))
    code = main(["estimate", "support-chatbot", "--prices", str(path), "--draws", "0"])
    _, err = capsys.readouterr()
    assert code == 0
    assert "skipped gpt-4.1: input_cost_per_token" in err
    assert "totals_usd" not in err
