"""Hostile inputs at the engine and CLI levels: a clear message naming the problem, never a
traceback, and valid-but-odd input accepted (issue 9; the corpus is tests/hostile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from estimators.dataset.check import check_dataset
from estimators.errors import EstimatorError
from estimators.estimate import estimate
from estimators.scenario import ScenarioError, parse_scenario_json
from report.cli import main
from tests.hostile import DATASET_CASES, SCENARIO_CASES, Case

CLI_SCENARIO_LIMIT_BYTES = 5_000_000


def test_the_corpus_holds_at_least_thirty_hostile_inputs() -> None:
    assert len(SCENARIO_CASES) + len(DATASET_CASES) >= 30


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=lambda c: c.id)
def test_scenario_parser(case: Case) -> None:
    raw = case.make()
    if case.expect is None:
        result = estimate(parse_scenario_json(raw))
        assert result.approaches
        return
    with pytest.raises(ScenarioError) as caught:
        parse_scenario_json(raw)
    assert case.expect in str(caught.value)


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=lambda c: c.id)
def test_scenario_cli(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scenario.json"
    raw = case.make()
    path.write_bytes(raw)
    code = main(["estimate", str(path), "--draws", "0", "--format", "json"])
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


@pytest.mark.parametrize(
    "case", [c for c in DATASET_CASES if c.id != "million-lines"], ids=lambda c: c.id
)
def test_dataset_cli(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(case.make())
    code = main(["dataset", str(path), "--format", "json"])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code in (0, 1, 2)  # 0 clean, 1 the report lists format errors, 2 unreadable


def test_a_missing_dataset_path_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataset", "/no/such/train.jsonl"]) == 2
    assert "no such" in capsys.readouterr().err.lower()
