"""Hostile inputs at the engine and CLI levels: a clear message naming the problem, never a
traceback, and valid-but-odd input accepted (issue 9; the corpus is tests/hostile.py)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from estimators.dataset.check import check_dataset
from estimators.errors import EstimatorError
from estimators.estimate import estimate
from estimators.scenario import ScenarioError, parse_scenario_file
from report.cli import main
from tests.hostile import (
    DATASET_CASES,
    DEVICE_CASES,
    PRICE_FILE_CASES,
    SCENARIO_CASES,
    ArgvCase,
    Case,
)

CLI_SCENARIO_LIMIT_BYTES = 5_000_000


def test_the_corpus_holds_at_least_thirty_hostile_inputs() -> None:
    assert len(SCENARIO_CASES) + len(DATASET_CASES) >= 30


def _source(raw: bytes, via: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The argument naming `raw`: a file's path, or `-` with `raw` on standard input."""
    if via == "stdin":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        return "-"
    path = tmp_path / "input"
    path.write_bytes(raw)
    return str(path)


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=lambda c: c.id)
def test_scenario_parser(case: Case) -> None:
    """The parser the CLI and the dashboard's upload share (scenario or preset file)."""
    raw = case.make()
    if case.expect is None:
        result = estimate(parse_scenario_file(raw))
        assert result.approaches
        return
    with pytest.raises(ScenarioError) as caught:
        parse_scenario_file(raw)
    assert case.expect in str(caught.value)


@pytest.mark.parametrize("via", ["file", "stdin"])
@pytest.mark.parametrize("case", SCENARIO_CASES, ids=lambda c: c.id)
def test_scenario_cli(
    case: Case,
    via: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = case.make()
    source = _source(raw, via, tmp_path, monkeypatch)
    code = main(["estimate", source, "--draws", "0", "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if case.expect is None:
        assert code == 0 and out
        return
    assert code == 2 and out == ""
    expected = "larger than" if len(raw) > CLI_SCENARIO_LIMIT_BYTES else case.expect
    assert expected in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("case", DATASET_CASES, ids=lambda c: c.id)
def test_dataset_check(case: Case) -> None:
    raw = case.make()
    try:
        report = check_dataset(raw)
    except EstimatorError as error:
        assert case.expect is not None and case.expect in str(error)
        return
    messages = " ".join([*report.line_errors.values(), *report.format_errors])
    if case.expect is None:
        assert report.examples > 0 and not report.line_errors
    else:
        assert case.expect in messages


@pytest.mark.parametrize("via", ["file", "stdin"])
@pytest.mark.parametrize(
    "case", [c for c in DATASET_CASES if c.id != "million-lines"], ids=lambda c: c.id
)
def test_dataset_cli(
    case: Case,
    via: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = _source(case.make(), via, tmp_path, monkeypatch)
    code = main(["dataset", source, "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    # 0 clean, 1 the report lists format errors, 2 unreadable: one message on stderr.
    if case.expect is None:
        assert code == 0 and err == ""
    elif code == 1:
        assert case.expect in " ".join(json.loads(out)["line_errors"].values())
    else:
        assert code == 2 and out == ""
        assert case.expect in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("case", PRICE_FILE_CASES, ids=lambda c: c.id)
def test_price_file_cli(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "prices.json"
    path.write_bytes(case.make())
    code = main(["estimate", "support-chatbot", "--draws", "0", "--prices", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "totals_usd" not in err
    assert case.expect in err and len(err.strip().splitlines()) == 1
    assert (code, bool(out)) in ((0, True), (2, False))


@pytest.mark.parametrize("case", DEVICE_CASES, ids=lambda c: c.id)
def test_device_arguments_cli(case: ArgvCase, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path(case.needs).exists():
        pytest.skip(f"needs {case.needs}")
    code = main(list(case.argv))
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert case.expect in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_dataset_path_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "/no/such/train.jsonl"]) == 2
    assert "no such" in capsys.readouterr().err.lower()
