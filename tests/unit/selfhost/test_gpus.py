"""The GPU catalogue: datasheet figures, dated prices, lookups and a strict file format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from estimators.catalog import models
from estimators.errors import UnknownIdError
from estimators.selfhost.gpus import DEFAULT_GPU_ID, _load, get_gpu, gpu_ids, gpus
from report.cli import main

EXPECTED_IDS = ["a100-40gb", "a100-80gb", "h100-80gb", "h200-141gb", "l4-24gb", "a10g-24gb"]


def test_catalogue_lists_the_six_gpus_the_issue_names() -> None:
    assert gpu_ids() == EXPECTED_IDS
    assert DEFAULT_GPU_ID in gpus()


@pytest.mark.parametrize(
    ("gpu_id", "tflops", "memory_gb"),
    [
        # NVIDIA datasheets, dense BF16 Tensor Core (half the "with sparsity" figure)
        ("a100-40gb", 312, 40),
        ("a100-80gb", 312, 80),
        ("h100-80gb", 989, 80),
        ("h200-141gb", 989, 141),
        ("l4-24gb", 121, 24),
        # AWS A10G datasheet via Baseten: 70 TF tensor (the A10 has 125)
        ("a10g-24gb", 70, 24),
    ],
)
def test_compute_and_memory_match_the_datasheets(
    gpu_id: str, tflops: float, memory_gb: float
) -> None:
    gpu = get_gpu(gpu_id)
    assert (gpu.bf16_tflops, gpu.memory_gb) == (tflops, memory_gb)


def test_every_gpu_cites_dated_sources_and_an_ordered_price_range() -> None:
    for gpu in gpus().values():
        assert gpu.source and gpu.spec_source
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", gpu.as_of)
        assert 0 < gpu.usd_per_hour_low <= gpu.usd_per_hour <= gpu.usd_per_hour_high


def test_unknown_gpu_names_the_field_and_lists_the_known_ids() -> None:
    with pytest.raises(UnknownIdError) as caught:
        get_gpu("b200-180gb", field="fine_tuning.gpu")
    message = str(caught.value)
    assert message.startswith("fine_tuning.gpu: unknown GPU 'b200-180gb'")
    assert all(gpu_id in message for gpu_id in EXPECTED_IDS)


def test_measured_serving_throughput_is_keyed_by_known_gpu_ids() -> None:
    for model in models().values():
        assert set(model.serving_tokens_per_s) <= set(gpu_ids()), model.id
        if model.serving_tokens_per_s:
            assert model.serving_source, model.id


def test_cli_catalog_gpus_prints_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    # DESIGN §8: `catalog gpus --format json` lists id, source, as_of, bf16_tflops, memory_gb,
    # usd_per_hour for every GPU.
    assert main(["catalog", "gpus", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in entries] == EXPECTED_IDS
    for entry in entries:
        for key in ("source", "as_of", "bf16_tflops", "memory_gb", "usd_per_hour"):
            assert entry[key], (entry["id"], key)


def _write(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    path = tmp_path / "gpus.json"
    path.write_text(json.dumps({"gpus": entries}), encoding="utf-8")
    return path


def _entry(**changes: object) -> dict[str, object]:
    return get_gpu("h100-80gb").model_dump() | changes


def test_an_unknown_key_in_the_file_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="tflops"):
        _load(_write(tmp_path, [_entry(tflops=989)]))


def test_a_price_outside_its_range_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="usd_per_hour_low <= usd_per_hour"):
        _load(_write(tmp_path, [_entry(usd_per_hour=9.0)]))


def test_a_gpu_listed_twice_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="listed twice"):
        _load(_write(tmp_path, [_entry(), _entry()]))
