"""`make prices`: a fixture wheel and a fake download, never the network.

Each test writes a small catalogue and a `litellm-*.whl` zip holding the price list at the path
the real wheel uses; the fake download copies that wheel where pip would have saved it.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from estimators import price_refresh
from estimators.price_refresh import WHEEL_MEMBER, RefreshError, main, pip_download

TODAY = date(2026, 12, 1)


def _model(model_id: str, price_in: float, price_out: float, **extra: object) -> dict[str, object]:
    return {
        "id": model_id,
        "provider": "openai",
        "kind": "chat",
        "input_usd_per_mtok": price_in,
        "output_usd_per_mtok": price_out,
        "context_tokens": 128000,
        "encoding": "o200k_base",
        "encoding_exact": True,
        "open_weights": False,
        "params_b": None,
        "fine_tuning": None,
        "source": "LiteLLM snapshot of 2026-07-24",
        "as_of": "2026-07-24",
        "note": "",
        **extra,
    }


FINE_TUNING = {
    "training_usd_per_mtok": 3.0,
    "input_usd_per_mtok": 0.3,
    "output_usd_per_mtok": 1.2,
    "source": "OpenAI pricing page (mid-2025)",
    "as_of": "2025-07",
}


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    directory = tmp_path / "models"
    directory.mkdir()
    api = {
        "description": "test catalogue",
        "models": [
            _model("gpt-a", 2.0, 8.0),
            _model("gpt-b", 0.15, 0.6, fine_tuning=FINE_TUNING),
            _model("gpt-gone", 1.0, 2.0),
        ],
    }
    (directory / "api.json").write_text(json.dumps(api, indent=2) + "\n", encoding="utf-8")
    return directory


PRICES = {
    # gpt-a: 2.5e-06 per token × 1e6 = $2.50 per 1M (was $2.00); output 8e-06 = $8.00 unchanged;
    # cached 5e-07 = $0.50 is new.
    "gpt-a": {
        "input_cost_per_token": 2.5e-06,
        "output_cost_per_token": 8e-06,
        "cache_read_input_token_cost": 5e-07,
        "mode": "chat",
    },
    # gpt-b unchanged at $0.15 / $0.60; its fine-tuned inference 4e-07 = $0.40 (was $0.30).
    "gpt-b": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07},
    "ft:gpt-b-2024-07-18": {"input_cost_per_token": 4e-07, "output_cost_per_token": 1.2e-06},
    "unrelated-model": {"input_cost_per_token": 1e-06},
}


def _wheel(directory: Path, member: str | None = WHEEL_MEMBER, text: str | None = None) -> Path:
    path = directory / "litellm-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("litellm/__init__.py", "")
        if member is not None:
            archive.writestr(member, json.dumps(PRICES) if text is None else text)
    return path


def _download(wheel: Path) -> Callable[[Path], Path]:
    def fake(directory: Path) -> Path:
        saved = directory / wheel.name
        saved.write_bytes(wheel.read_bytes())
        return saved

    return fake


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_refresh_rewrites_prices_and_dates_and_prints_the_diff(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = _download(_wheel(tmp_path))
    code = main(["--models-dir", str(catalogue), "--today", "2026-12-01"], download=fake)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "LiteLLM 9.9.9 price list, read 2026-12-01: 2 catalogue models found and re-dated, "
        "3 values changed."
    )
    rows = [" ".join(line.split()) for line in out.splitlines()[1:4]]
    assert rows == [
        "gpt-a input_usd_per_mtok 2.0 → 2.5",
        "gpt-a cached_input_usd_per_mtok — → 0.5",
        "gpt-b fine_tuning.input_usd_per_mtok 0.3 → 0.4",
    ]
    assert "Not in the list (kept as they were): gpt-gone." in out

    text = (catalogue / "api.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2) + "\n"
    a, b, gone = data["models"]
    assert (a["input_usd_per_mtok"], a["cached_input_usd_per_mtok"]) == (2.5, 0.5)
    assert a["as_of"] == "2026-12-01" and "LiteLLM 9.9.9 wheel price list" in a["source"]
    # keys keep their place; a field the entry never had is added only when it has a value
    assert list(a)[:14] == list(_model("x", 0, 0))
    assert "batch_input_usd_per_mtok" not in a and "serving_tokens_per_s" not in a
    # the training price is not in LiteLLM files: kept, and the source says so
    assert b["fine_tuning"]["training_usd_per_mtok"] == 3.0
    assert "; training: " in b["fine_tuning"]["source"]
    assert gone == _model("gpt-gone", 1.0, 2.0)


def test_an_unchanged_list_only_re_dates(catalogue: Path, tmp_path: Path) -> None:
    price_refresh.refresh_prices(catalogue, _download(_wheel(tmp_path)), TODAY)
    again = price_refresh.refresh_prices(catalogue, _download(_wheel(tmp_path)), date(2026, 12, 8))
    assert again.changes == []
    assert json.loads((catalogue / "api.json").read_text())["models"][0]["as_of"] == "2026-12-08"


@pytest.mark.parametrize(
    ("make_wheel", "message"),
    [
        (lambda d: _wheel(d, member=None), f"has no {WHEEL_MEMBER}"),
        (lambda d: _wheel(d, text="{not json"), "price file: not valid JSON"),
        (lambda d: _wheel(d, text="[1, 2]"), "expected a JSON object"),
        (lambda d: _bad_zip(d), "is not a readable wheel"),
    ],
)
def test_a_bad_wheel_leaves_the_catalogue_untouched(
    catalogue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_wheel: Callable[[Path], Path],
    message: str,
) -> None:
    before = _snapshot(catalogue)
    code = main(["--models-dir", str(catalogue)], download=_download(make_wheel(tmp_path)))
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert err.strip().endswith("catalogue untouched.")
    assert _snapshot(catalogue) == before


def _bad_zip(directory: Path) -> Path:
    path = directory / "litellm-9.9.9-py3-none-any.whl"
    path.write_bytes(b"not a zip")
    return path


def test_a_failed_download_leaves_the_catalogue_untouched(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(directory: Path) -> Path:
        raise RefreshError("pip download litellm failed (offline?): connection refused")

    before = _snapshot(catalogue)
    assert main(["--models-dir", str(catalogue)], download=offline) == 1
    err = capsys.readouterr().err
    assert err == (
        "make prices: pip download litellm failed (offline?): connection refused; "
        "catalogue untouched.\n"
    )
    assert _snapshot(catalogue) == before


def test_a_catalogue_that_does_not_validate_is_reported_and_left_alone(
    catalogue: Path, tmp_path: Path
) -> None:
    data = json.loads((catalogue / "api.json").read_text())
    data["models"][2]["superseded_by"] = "gpt-99"
    (catalogue / "api.json").write_text(json.dumps(data, indent=2) + "\n")
    before = _snapshot(catalogue)
    with pytest.raises(RefreshError, match="superseded_by 'gpt-99'"):
        price_refresh.refresh_prices(catalogue, _download(_wheel(tmp_path)), TODAY)
    assert _snapshot(catalogue) == before


def test_an_unusable_entry_is_skipped_with_its_reason_and_keeps_its_prices(
    catalogue: Path, tmp_path: Path
) -> None:
    bad = PRICES | {"gpt-a": {"input_cost_per_token": 2.5e-06, "cache_read_input_token_cost": -1}}
    wheel = _wheel(tmp_path, text=json.dumps(bad))
    refresh = price_refresh.refresh_prices(catalogue, _download(wheel), TODAY)
    assert "gpt-a" not in refresh.report.updated
    assert "Skipped gpt-a: cache_read_input_token_cost is negative" in price_refresh.describe(
        refresh
    )
    model = json.loads((catalogue / "api.json").read_text())["models"][0]
    assert (model["input_usd_per_mtok"], model["as_of"]) == (2.0, "2026-07-24")


class _Done:
    def __init__(self, returncode: int, stderr: str = "") -> None:
        self.returncode, self.stderr = returncode, stderr


def test_pip_download_is_isolated_binary_only_and_honours_an_index_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[list[str]] = []

    def run(command: list[str], **_: object) -> _Done:
        seen.append(command)
        return _Done(1, "WARNING: Retrying...\nERROR: No matching distribution found for litellm\n")

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/")
    with pytest.raises(RefreshError, match="No matching distribution found for litellm"):
        pip_download(tmp_path)
    command = seen[0]
    assert command[1:4] == ["-m", "pip", "download"]
    assert {"--no-deps", "--isolated", "--only-binary=:all:", "litellm"} <= set(command)
    # --isolated ignores PIP_INDEX_URL, so an index the user chose is passed on explicitly
    assert command[command.index("--index-url") + 1] == "http://127.0.0.1:9/"
    assert command[command.index("-d") + 1] == str(tmp_path)


def test_pip_download_returns_the_one_wheel_it_saved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def run(command: list[str], **_: object) -> _Done:
        _wheel(Path(command[command.index("-d") + 1]))
        return _Done(0)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.delenv("PIP_INDEX_URL", raising=False)
    wheel = pip_download(tmp_path)
    assert wheel.name == "litellm-9.9.9-py3-none-any.whl"
    assert price_refresh.wheel_version(wheel) == "9.9.9"
