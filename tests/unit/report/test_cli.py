"""The CLI contract (DESIGN §8): formats, exit codes, one clear message on bad input."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from estimators.estimate import estimate
from estimators.presets import SCENARIOS_DIR as PRESETS_DIR
from estimators.presets import get_preset
from report import cli
from report.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_estimate_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "support-chatbot", "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in ("scenario", "approaches", "recommendation", "break_even", "risks", "assumptions"):
        assert key in data
    assert data["prices_as_of"]
    first = data["approaches"][0]
    for key in (
        "id",
        "name",
        "setup_usd",
        "per_query_usd",
        "maintenance_usd_per_month",
        "total_usd",
        "line_items",
        "verdict",
        "reasons",
    ):
        assert key in first
    expected = estimate(get_preset("support-chatbot").scenario).approach("prompting").total_usd
    assert first["total_usd"] == pytest.approx(expected)
    lora = next(a for a in data["approaches"] if a["id"] == "lora")
    assert {"tokens", "epochs"} <= set(lora["training"])


def test_estimate_csv_has_one_row_per_approach(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "ticket-triage", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["id"] for r in rows] == ["prompting", "dspy", "rag", "lora", "full", "rag_lora"]


def test_estimate_table_names_every_approach(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "support-chatbot")
    assert code == 0
    for name in ("Prompting", "DSPy", "RAG", "LoRA", "Full fine-tune"):
        assert name in out


def test_a_scenario_file_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"name": "Héllo 世界", "traffic": {"queries_per_day": 10}}))
    code, out, _ = run(capsys, "estimate", str(path), "--format", "json")
    assert code == 0
    assert json.loads(out)["scenario"]["name"] == "Héllo 世界"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"traffic": {"queries_per_day": -5}}', "traffic.queries_per_day"),
        ('{"models": {"general": "nope"}}', "models.general"),
        ('{"assumptions": {"nope.x": 1}}', "nope.x"),
        ("{not json", "not valid JSON"),
        ("[]", "object"),
    ],
)
def test_bad_scenarios_exit_2_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run(capsys, "estimate", str(path))
    assert code == 2
    assert out == ""
    assert expected in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_preset_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "estimate", "no-such-preset")
    assert code == 2
    assert "support-chatbot" in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "estimate", "/no/such/file.json")
    assert code == 2 and "no such scenario file" in err


def test_presets_json_lists_id_title_story(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "presets", "--format", "json")
    listing = json.loads(out)
    assert code == 0 and len(listing) >= 5
    assert all(set(p) == {"id", "title", "story"} for p in listing)


def test_catalog_models_json_has_prices_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "models", "--format", "json")
    entries = json.loads(out)
    assert code == 0
    for entry in entries:
        assert entry["source"] and entry["as_of"]
        assert "input_usd_per_mtok" in entry and "output_usd_per_mtok" in entry
    assert any(e["params_b"] for e in entries)


def test_catalog_models_lists_the_current_families(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "models", "--format", "json")
    entries = {e["id"]: e for e in json.loads(out)}
    assert code == 0
    # LiteLLM 1.110.2 per token × 1e6: gpt-6-sol 2e-06 / 1e-05 → $2.00 / $10.00, cached 2e-07 →
    # $0.20; claude-sonnet-5-5 2e-06 / 1e-05 → $2 / $10; gemini-3.8-flash 7.5e-07 → $0.75
    sol = entries["gpt-6-sol"]
    assert (sol["input_usd_per_mtok"], sol["output_usd_per_mtok"]) == (2.0, 10.0)
    assert (sol["cached_input_usd_per_mtok"], sol["supports_reasoning"]) == (0.2, True)
    assert entries["claude-sonnet-5-5"]["output_usd_per_mtok"] == 10.0
    assert entries["gemini-3.8-flash"]["input_usd_per_mtok"] == 0.75
    assert entries["gpt-3.5-turbo"]["superseded_by"] == "gpt-5.6-terra"


def test_python_dash_m_runs_as_a_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "estimators", "estimate", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_estimate_json_carries_ranges_and_sensitivity(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "support-chatbot", "--format", "json", "--draws", "500")
    data = json.loads(out)
    assert code == 0
    assert sum(data["p_cheapest"].values()) == pytest.approx(1.0)
    for approach in data["approaches"]:
        low, mid, high = (approach["range"][key] for key in ("p10", "p50", "p90"))
        assert low <= mid <= high
    row = data["sensitivity"][0]
    assert {"approach", "assumption", "low_total", "high_total", "swing"} <= set(row)


def test_draws_zero_skips_the_analysis(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "estimate", "support-chatbot", "--format", "json", "--draws", "0")
    assert code == 0
    assert json.loads(out)["p_cheapest"] is None


def test_bad_draw_count_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "estimate", "support-chatbot", "--draws", "-3")
    assert code == 2 and "draws" in err


# --- input from pipes and devices, hostile paths and values (issue 17) ----------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _fifo(tmp_path: Path, data: bytes) -> Path:
    """A named pipe with `data` written into it by a thread (the reader opens it in the test)."""
    path = tmp_path / "pipe"
    os.mkfifo(path)

    def feed() -> None:
        with path.open("wb") as pipe, contextlib.suppress(BrokenPipeError):
            pipe.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return path


SMALL_SCENARIO = json.dumps({"name": "From a pipe", "traffic": {"queries_per_day": 10}}).encode()


def test_a_dash_reads_the_scenario_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, SMALL_SCENARIO)
    code, out, _ = run(capsys, "estimate", "-", "--draws", "0", "--format", "json")
    assert code == 0 and json.loads(out)["scenario"]["name"] == "From a pipe"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_scenario_is_read_from_a_named_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _fifo(tmp_path, SMALL_SCENARIO)
    code, out, err = run(capsys, "estimate", str(path), "--draws", "0", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["scenario"]["name"] == "From a pipe"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_as_scenario_is_capped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "estimate", "/dev/zero")
    assert code == 2 and out == ""
    assert "/dev/zero: larger than 5,000,000 bytes" in err
    assert len(err.strip().splitlines()) == 1


def test_a_dash_reads_the_dataset_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    row = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
    _stdin(monkeypatch, (json.dumps(row) + "\n").encode() * 3)
    code, out, err = run(capsys, "dataset", "-", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["examples"] == 3 and report["source"] == "standard input"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_dataset_is_read_from_a_named_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}
    path = _fifo(tmp_path, (json.dumps(row) + "\n").encode() * 2)
    code, out, err = run(capsys, "dataset", str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["examples"] == 2


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_as_prices_is_capped_before_reading(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "estimate", "support-chatbot", "--prices", "/dev/zero")
    assert code == 2 and out == ""
    assert "/dev/zero: larger than 20,000,000 bytes" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_pdf_that_cannot_be_written_names_the_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "estimate", "support-chatbot", "--draws", "0", "--pdf", "/dev/full"
    )
    assert code == 2 and out == ""
    assert err.strip() == "error: cannot write the PDF to /dev/full: No space left on device"


def test_an_os_error_without_a_file_name_has_no_empty_prefix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "_cmd_presets", fail)
    code, _, err = run(capsys, "presets")
    assert code == 2 and err == "error: No space left on device\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["dataset", "__TRAIN__", "--model", "m" * 5_000],
        ["estimate", "p" * 5_000],
        ["estimate", "__SCENARIO__"],
        ["estimate", "/no/such/" + "d" * 5_000 + ".json"],
    ],
    ids=["dataset-model", "preset-id", "scenario-model", "scenario-path"],
)
def test_user_text_is_echoed_truncated_in_messages(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = tmp_path / "train.jsonl"
    train.write_text('{"messages": [{"role": "user", "content": "a"}]}\n')
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"models": {"general": "g" * 5_000}}))
    argv = [a.replace("__TRAIN__", str(train)).replace("__SCENARIO__", str(scenario)) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "(5,000 characters)" in err or "(5,0" in err
    assert len(err) < 1_500
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("preset_id", ["support-chatbot", "invoice-extraction"])
def test_a_preset_file_is_accepted_as_the_dashboard_accepts_it(
    preset_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "preset.json"
    path.write_bytes((PRESETS_DIR / f"{preset_id}.json").read_bytes())
    code, out, err = run(capsys, "estimate", str(path), "--draws", "0", "--format", "json")
    assert code == 0, err
    expected = get_preset(preset_id).scenario.model_dump(mode="json")
    assert json.loads(out)["scenario"] == expected


def test_a_minimal_preset_file_with_an_id_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "preset.json"
    path.write_text(json.dumps({"id": "mine", "scenario": {"name": "Wrapped"}}))
    code, out, err = run(capsys, "estimate", str(path), "--draws", "0", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["scenario"]["name"] == "Wrapped"


def test_a_bad_field_in_a_preset_file_is_named_as_in_a_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "preset.json"
    path.write_text(json.dumps({"title": "t", "scenario": {"traffic": {"queries_per_day": -1}}}))
    code, _, err = run(capsys, "estimate", str(path))
    assert code == 2 and "traffic.queries_per_day" in err


def _mix_file(tmp_path: Path) -> str:
    data = get_preset("support-chatbot").scenario.model_dump(mode="json")
    data["traffic"]["routing"] = {"lora": 0.7, "rag": 0.3}
    path = tmp_path / "mix.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_a_mix_is_a_row_of_its_own_in_the_table_csv_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _mix_file(tmp_path)
    code, out, _ = run(capsys, "estimate", path, "--draws", "0")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("Mix: 70% LoRA"))
    assert row.rstrip().endswith("of 7")  # ranked beside the six approaches
    assert "share-weighted mean" in out
    _, out, _ = run(capsys, "estimate", path, "--draws", "0", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows][-1] == "mix"
    assert rows[-1]["verdict"].startswith("mix: ")
    _, out, _ = run(capsys, "estimate", path, "--draws", "0", "--format", "json")
    data = json.loads(out)
    assert [a["id"] for a in data["approaches"]] == [r["id"] for r in rows[:-1]]
    lora = next(a for a in data["approaches"] if a["id"] == "lora")
    rag = next(a for a in data["approaches"] if a["id"] == "rag")
    mix = data["mix"]
    assert mix["per_query_usd"] == pytest.approx(
        0.7 * lora["per_query_usd"] + 0.3 * rag["per_query_usd"]
    )
    assert mix["setup_usd"] == pytest.approx(lora["setup_usd"] + rag["setup_usd"])
    assert float(rows[-1]["total_usd"]) == pytest.approx(mix["total_usd"])


def test_without_routing_the_json_says_there_is_no_mix(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "estimate", "ticket-triage", "--draws", "0", "--format", "json")
    assert json.loads(out)["mix"] is None
