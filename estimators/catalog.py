"""The dated price catalogue: every model the scenario may name, with its source and date.

Data lives in `presets/models/*.json` (one file per family of sources); this module only loads,
validates and looks it up. Prices are USD per 1M tokens, as providers publish them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from estimators.errors import UnknownIdError

PRESETS_DIR = Path(__file__).resolve().parent.parent / "presets"
MODELS_DIR = PRESETS_DIR / "models"
TOKENS_PER_MTOK = 1_000_000
# No price may exceed this [USD per 1M tokens]: 400× the dearest catalogue price, and small
# enough that a 120-month horizon at the largest traffic a scenario allows stays finite.
MAX_USD_PER_MTOK = 10_000.0


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FineTuningPrice(_Entry):
    """A provider's fine-tuning offer for one base model [USD per 1M tokens]."""

    training_usd_per_mtok: float = Field(ge=0, le=MAX_USD_PER_MTOK)
    input_usd_per_mtok: float = Field(ge=0, le=MAX_USD_PER_MTOK)
    output_usd_per_mtok: float = Field(ge=0, le=MAX_USD_PER_MTOK)
    source: str
    as_of: str


class ModelEntry(_Entry):
    """One model: hosted prices (None where no provider lists one) and what self-hosting needs."""

    id: str
    provider: str
    kind: Literal["chat", "embedding"]
    input_usd_per_mtok: float | None = Field(ge=0, le=MAX_USD_PER_MTOK)
    output_usd_per_mtok: float | None = Field(ge=0, le=MAX_USD_PER_MTOK)
    context_tokens: int = Field(gt=0)
    encoding: Literal["o200k_base", "cl100k_base"]
    encoding_exact: bool
    open_weights: bool
    params_b: float | None = Field(default=None, gt=0)
    fine_tuning: FineTuningPrice | None = None
    source: str
    as_of: str
    note: str = ""
    # Measured serving throughput where a public benchmark gives one (filled by the compute data).
    serving_tokens_per_s: dict[str, float] = Field(default_factory=dict)
    serving_source: str = ""

    @property
    def has_api_price(self) -> bool:
        return self.input_usd_per_mtok is not None and self.output_usd_per_mtok is not None


class _ModelFile(_Entry):
    description: str = ""
    models: list[ModelEntry]


@cache
def models() -> dict[str, ModelEntry]:
    """All catalogue models by id, merged from every file in `presets/models/`."""
    merged: dict[str, ModelEntry] = {}
    for path in sorted(MODELS_DIR.glob("*.json")):
        for entry in _ModelFile.model_validate_json(path.read_bytes()).models:
            if entry.id in merged:
                raise ValueError(f"{path.name}: model id '{entry.id}' is listed twice")
            merged[entry.id] = entry
    return merged


def get_model(model_id: str, field: str | None = None) -> ModelEntry:
    """Look a model up by id; an unknown id raises an error that lists the known ones."""
    table = models()
    if model_id not in table:
        raise UnknownIdError("model", model_id, list(table), field)
    return table[model_id]


def model_ids(kind: Literal["chat", "embedding"] | None = None) -> list[str]:
    """Ids in catalogue order, optionally only chat or only embedding models."""
    return [m.id for m in models().values() if kind is None or m.kind == kind]


def prices_as_of(table: Mapping[str, ModelEntry] | None = None) -> str:
    """The newest `as_of` date among a price table's entries (ISO strings sort by date)."""
    entries = list((table or models()).values())
    dates = [m.as_of for m in entries] + [m.fine_tuning.as_of for m in entries if m.fine_tuning]
    return max(dates)
