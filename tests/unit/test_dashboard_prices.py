"""The session's uploaded prices (dashboard/prices.py): read once, keyed by a digest of what
they make, pickled cheaply into session state."""

from __future__ import annotations

import hashlib
import json
import pickle
from datetime import date

import pytest

from dashboard.prices import read_upload
from estimators.errors import EstimatorError
from estimators.price_import import import_prices

TODAY = date(2026, 12, 1)
# per token: 4e-6 = $4.00 per 1M tokens; 1.6e-5 = $16.00 per 1M
GPT41 = {"gpt-4.1": {"input_cost_per_token": 4e-6, "output_cost_per_token": 1.6e-5}}


def _raw(table: dict[str, object]) -> bytes:
    return json.dumps(table).encode()


def test_an_upload_holds_the_same_catalogue_as_the_cli_import() -> None:
    uploaded = read_upload("prices.json", _raw(GPT41), TODAY)
    cli_table, _ = import_prices(_raw(GPT41), "2026-12-01", "LiteLLM file prices.json")
    assert uploaded.table() == cli_table
    assert uploaded.table()["gpt-4.1"].input_usd_per_mtok == pytest.approx(4.0)
    assert uploaded.repriced == ("gpt-4.1",)


def test_the_digest_is_the_sha256_of_the_refreshed_catalogue() -> None:
    uploaded = read_upload("prices.json", _raw(GPT41), TODAY)
    assert uploaded.digest == hashlib.sha256(uploaded.table_json.encode()).hexdigest()


def test_the_same_file_gives_the_same_digest_and_other_prices_another() -> None:
    first = read_upload("prices.json", _raw(GPT41), TODAY)
    again = read_upload("prices.json", _raw(GPT41), TODAY)
    cheaper = read_upload("prices.json", _raw({"gpt-4.1": {"input_cost_per_token": 1e-6}}), TODAY)
    assert first.digest == again.digest
    assert cheaper.digest != first.digest


def test_the_file_name_and_date_are_part_of_the_key_as_line_items_cite_them() -> None:
    plain = read_upload("prices.json", _raw(GPT41), TODAY)
    dated = read_upload("prices-2026-07-24.json", _raw(GPT41), TODAY)
    assert (dated.as_of, dated.dated_by_name) == ("2026-07-24", True)
    assert (plain.as_of, plain.dated_by_name) == ("2026-12-01", False)
    assert dated.digest != plain.digest


def test_an_upload_survives_pickling_as_session_state_does_each_rerun() -> None:
    uploaded = read_upload("prices.json", _raw(GPT41), TODAY)
    restored = pickle.loads(pickle.dumps(uploaded))
    assert restored == uploaded and restored.digest == uploaded.digest


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"[1, 2]", "expected a JSON object"),
        (b"{not json", "not valid JSON"),
        (_raw({"my-model": {"input_cost_per_token": 1e-6}}), "no model in it is in the catalogue"),
        (_raw({"gpt-4.1": {"input_cost_per_token": -1e-6}}), "gpt-4.1: input_cost_per_token"),
    ],
)
def test_a_bad_upload_raises_a_message_naming_the_problem(raw: bytes, says: str) -> None:
    with pytest.raises(EstimatorError, match="price file") as caught:
        read_upload("prices.json", raw, TODAY)
    assert says in str(caught.value)
