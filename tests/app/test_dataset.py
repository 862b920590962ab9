"""Dataset page: a JSONL upload is checked, reported, and can set the scenario's data figures."""

from __future__ import annotations

import json

from estimators.dataset.check import check_dataset
from tests.app.conftest import alerts, scenario_of, texts


def _jsonl(examples: int) -> bytes:
    lines = [
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": "You are Acme's support assistant."},
                    {"role": "user", "content": f"Where is order {1000 + i}? Topic {i % 7}."},
                    {"role": "assistant", "content": f"Order {1000 + i} ships in {i % 5} days."},
                ]
            }
        )
        for i in range(examples)
    ]
    lines.append('{"messages": [{"role": "user", "content": "no reply"}]}')
    return ("\n".join(lines) + "\n").encode()


def _upload(at, data: bytes, name: str = "train.jsonl"):
    at.main.get("file_uploader")[0].upload(name, data, "application/jsonl")
    return at.run()


def test_without_a_file_the_page_explains_what_to_upload(app):
    at = app("dataset")
    assert "Upload a JSONL file" in texts(at)


def test_an_upload_shows_errors_by_line_tokens_epochs_and_cost(app):
    at = _upload(app("dataset"), _jsonl(120))
    assert not at.exception
    expected = check_dataset(_jsonl(120), model="gpt-4.1-mini")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Valid examples"] == "120"
    assert metrics["Default epochs"] == str(expected.default_epochs)
    assert metrics["Training cost"] == f"${expected.training_cost_usd:.4f}"
    assert any("format errors" in m for m in alerts(at, "error"))
    line_table = at.dataframe[1].value
    assert list(line_table["Line"]) == [121]
    assert "example_missing_assistant_message" in line_table["Problem"][0]
    assert len(at.get("vega_lite_chart")) == 1  # the token histogram


def test_use_these_figures_puts_the_dataset_into_the_scenario(app):
    at = _upload(app("dataset"), _jsonl(120))
    at.button[0].click().run()
    data = scenario_of(at).data
    assert data.labelled_examples == 120
    assert "now uses the dataset's figures" in texts(at)
    assert "already uses this dataset's figures" in texts(at)


def test_a_file_that_cannot_be_read_is_explained(app):
    at = _upload(app("dataset"), b"\n\n")
    assert any("only blank lines" in m for m in alerts(at, "error"))


def test_the_file_is_dropped_after_the_check_and_only_its_report_kept(app):
    at = _upload(app("dataset"), _jsonl(30))
    keys = [str(k) for k in at.session_state if str(k).startswith("dataset.upload.")]
    assert keys  # the uploader's state: empty again, under a new key
    assert all(at.session_state[k] is None for k in keys)
    assert "Last checked: train.jsonl" in texts(at)


def test_a_file_over_the_cap_is_refused_before_it_is_read(app, monkeypatch):
    from dashboard.widgets import dataset_upload

    monkeypatch.setattr(dataset_upload, "MAX_UPLOAD_BYTES", 100)
    at = _upload(app("dataset"), _jsonl(30))
    assert any("larger than the 50 MB limit" in m for m in alerts(at, "error"))


def test_lines_read_counts_blank_lines_too(app):
    # 120 examples + 1 bad line + 1 blank line = 122 lines in the file, as an editor counts them.
    data = _jsonl(120) + b"\n"
    at = _upload(app("dataset"), data)
    assert "122 lines read (1 blank, 1 invalid)" in texts(at)
