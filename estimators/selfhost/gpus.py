"""The GPU catalogue for self-hosted fine-tuning and serving, with a dated source for every price.

Data lives in `presets/gpus.json`; this module only loads, validates and looks it up. Compute is
the dense BF16 tensor peak (sparsity figures are twice that and never reached by training), memory
and bandwidth are per GPU, and prices are on-demand USD per GPU-hour.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from estimators.catalog import PRESETS_DIR
from estimators.errors import UnknownIdError

GPUS_FILE = PRESETS_DIR / "gpus.json"
DEFAULT_GPU_ID = "h100-80gb"


class GpuEntry(BaseModel):
    """One GPU: what it can compute and hold, and what an hour of it costs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    bf16_tflops: float = Field(gt=0)
    memory_gb: float = Field(gt=0)
    memory_bandwidth_gb_per_s: float = Field(gt=0)
    usd_per_hour: float = Field(ge=0)
    usd_per_hour_low: float = Field(ge=0)
    usd_per_hour_high: float = Field(ge=0)
    spec_source: str
    source: str
    as_of: str
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> GpuEntry:
        if not self.usd_per_hour_low <= self.usd_per_hour <= self.usd_per_hour_high:
            raise ValueError(
                f"{self.id}: expected usd_per_hour_low <= usd_per_hour <= usd_per_hour_high, got "
                f"{self.usd_per_hour_low}, {self.usd_per_hour}, {self.usd_per_hour_high}"
            )
        return self


class _GpuFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    gpus: list[GpuEntry]


def _load(path: Path) -> dict[str, GpuEntry]:
    table: dict[str, GpuEntry] = {}
    for entry in _GpuFile.model_validate_json(path.read_bytes()).gpus:
        if entry.id in table:
            raise ValueError(f"{path.name}: GPU id '{entry.id}' is listed twice")
        table[entry.id] = entry
    return table


@cache
def gpus() -> dict[str, GpuEntry]:
    """All catalogue GPUs by id, in file order."""
    return _load(GPUS_FILE)


def get_gpu(gpu_id: str, field: str | None = None) -> GpuEntry:
    """Look a GPU up by id; an unknown id raises an error that lists the known ones."""
    table = gpus()
    if gpu_id not in table:
        raise UnknownIdError("GPU", gpu_id, list(table), field)
    return table[gpu_id]


def gpu_ids() -> list[str]:
    """GPU ids in catalogue order."""
    return list(gpus())
