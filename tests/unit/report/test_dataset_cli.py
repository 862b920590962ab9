"""`dataset_command`: a table or JSON on stdout, exit 0/1/2, one message on stderr for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.cli_dataset import dataset_command

GOOD = {
    "messages": [
        {"role": "system", "content": "You are Acme's assistant."},
        {"role": "user", "content": "Where is my order?"},
        {"role": "assistant", "content": "It shipped today."},
    ]
}


def write(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "train.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.fixture
def good_file(tmp_path: Path) -> str:
    return write(tmp_path, [json.dumps(GOOD)] * 3)


def test_json_output_has_the_contract_keys_and_exit_0(
    good_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dataset_command(good_file, None, None, "json") == 0
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["examples"] == 3
    assert report["default_epochs"] == 25  # 3 × 3 < 100 → min(25, 100 // 3 = 33)
    assert report["billed_training_tokens"] == 25 * report["tokens"]["total"]
    assert set(report) >= {"format_errors", "line_errors", "over_limit", "training_cost_usd"}
    assert out.err == ""


def test_the_table_shows_the_summary_and_warnings(
    good_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dataset_command(good_file, "gpt-4o-mini", None, "table") == 0
    out = capsys.readouterr().out
    assert "examples                  3 valid of 3 lines" in out
    assert "gpt-4o-mini / o200k_base" in out
    assert "per 1M training tokens" in out
    assert "Exact duplicates: 2 (e.g. line 2 repeats line 1)." in out


def test_format_errors_print_the_report_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, [json.dumps(GOOD), "{broken", json.dumps({"messages": []})])
    assert dataset_command(path, None, None, "table") == 1
    out = capsys.readouterr().out
    assert "Line errors (showing 2 of 2)" in out
    assert "line 2       invalid_json" in out
    assert "missing_messages_list" in out


def test_a_model_without_fine_tuning_reports_no_cost(
    good_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dataset_command(good_file, "gpt-5", None, "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["training_cost_usd"] is None


@pytest.mark.parametrize(
    ("model", "encoding", "fmt", "message"),
    [
        ("gpt-99", None, "table", "unknown model 'gpt-99'"),
        (None, "p50k_base", "table", "unknown encoding 'p50k_base'"),
        (None, None, "csv", "unknown format 'csv'"),
    ],
)
def test_bad_options_exit_2_with_one_message(
    good_file: str,
    capsys: pytest.CaptureFixture[str],
    model: str | None,
    encoding: str | None,
    fmt: str,
    message: str,
) -> None:
    assert dataset_command(good_file, model, encoding, fmt) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert message in out.err
    assert len(out.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "is empty"),
        (b"\x00\x00\x00\x00PNG", "binary file"),
        (b"\xe9t\xe9\n", "not UTF-8 text"),
    ],
)
def test_unreadable_files_exit_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "train.jsonl"
    if content is not None:
        path.write_bytes(content)
    assert dataset_command(str(path), None, None, "json") == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("error: ")
    assert message in out.err
    assert "Traceback" not in out.err
