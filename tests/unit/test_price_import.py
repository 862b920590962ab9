"""Refreshing prices from a LiteLLM-format file (fixtures written by the tests themselves)."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest

from estimators.errors import EstimatorError
from estimators.estimate import estimate
from estimators.price_import import (
    MAX_PRICE_FILE_BYTES,
    as_of_in_name,
    check_price_file_size,
    file_source,
    import_prices,
    parse_price_file,
    require_all_usable,
)
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


def test_a_file_with_no_catalogue_model_is_refused_with_the_keys_that_would_match() -> None:
    # "gpt-4.1": 5 is not an entry (LiteLLM entries are objects), so nothing matches either
    raw = json.dumps({"my-own-model": {"input_cost_per_token": 1e-6}, "gpt-4.1": 5})
    with pytest.raises(EstimatorError, match="no model in it is in the catalogue") as caught:
        import_prices(raw, "2026-11-01")
    assert "gpt-4.1" in str(caught.value) and "openai/gpt-4.1" in str(caught.value)


def test_the_cli_refuses_a_price_file_with_no_catalogue_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"my-own-model": {"input_cost_per_token": 1e-6}}))
    code = main(["estimate", "support-chatbot", "--prices", str(path), "--draws", "0"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "no model in it is in the catalogue" in err


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"input_cost_per_token": -1e-6}, "gpt-4.1: input_cost_per_token is negative"),
        ({"output_cost_per_token": math.nan}, "gpt-4.1: output_cost_per_token is not a finite"),
    ],
)
def test_require_all_usable_names_the_model_and_field_of_a_skipped_price(
    entry: dict[str, float], says: str
) -> None:
    _, report = import_prices(json.dumps({"gpt-4.1": entry, "gpt-4.1-mini": {}}), "2026-11-01")
    with pytest.raises(EstimatorError, match="price file") as caught:
        require_all_usable(report)
    assert says in str(caught.value)


def test_require_all_usable_accepts_an_import_that_skipped_nothing() -> None:
    _, report = import_prices(json.dumps({"gpt-4.1": FILE["gpt-4.1"]}), "2026-11-01")
    require_all_usable(report)  # no error


def test_require_all_usable_names_three_problems_then_counts_the_rest() -> None:
    bad = {"input_cost_per_token": -1.0}
    ids = ["gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "gpt-5"]
    _, report = import_prices(json.dumps(dict.fromkeys(ids, bad)), "2026-11-01")
    with pytest.raises(EstimatorError) as caught:
        require_all_usable(report)
    assert str(caught.value).count("is negative") == 3
    assert str(caught.value).endswith(f"and {len(report.skipped) - 3} more")


def test_a_number_of_5000_digits_is_invalid_json_not_a_crash() -> None:
    """Python refuses to convert integers over 4,300 digits with a plain ValueError, which
    escaped the CLI as a traceback; its advice (sys.set_int_max_str_digits) is not for users."""
    raw = '{"gpt-4.1": {"input_cost_per_token": 1' + "0" * 5000 + "}}"
    with pytest.raises(EstimatorError, match="not valid JSON") as caught:
        parse_price_file(raw)
    assert "4300 digits" in str(caught.value) and "set_int_max_str_digits" not in str(caught.value)


def test_the_size_cap_is_checked_before_reading() -> None:
    check_price_file_size(MAX_PRICE_FILE_BYTES)  # at the cap: fine
    with pytest.raises(EstimatorError, match="larger than 20,000,000 bytes"):
        check_price_file_size(MAX_PRICE_FILE_BYTES + 1)


@pytest.mark.parametrize(
    ("name", "as_of"),
    [
        ("litellm-prices-2026-07-24-subset.json", "2026-07-24"),
        ("prices 2026-12-01.json", "2026-12-01"),  # today itself
        ("model_prices_and_context_window.json", None),
        ("prices-2026-02-30.json", None),  # no such day
        ("prices-2027-01-01.json", None),  # after today: not when they were read
        ("build-12026-07-24.json", None),  # part of a longer number
        ("2026-13-01-then-2026-06-01.json", "2026-06-01"),  # the first real day
    ],
)
def test_as_of_in_name_takes_a_real_past_date_from_the_file_name(
    name: str, as_of: str | None
) -> None:
    assert as_of_in_name(name, date(2026, 12, 1)) == as_of


def test_a_user_file_is_cited_by_its_name_cut_short() -> None:
    assert file_source("prices.json") == "LiteLLM file prices.json"
    assert file_source("p" * 500).endswith("(500 characters)")
