"""Hosted models' speeds and open-weights models' KV-cache size, from `presets/latency.json`.

A catalogue model with its own figures uses them; any figure it lacks comes from its size class
(small / mid / large for closed models, by id, e.g. "mini" → small; open_small / open_large for
open weights, by parameter count). Data only: the formulas live in `formulas.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from estimators.catalog import PRESETS_DIR, ModelEntry

LATENCY_FILE = PRESETS_DIR / "latency.json"
KIB = 1024
SizeClass = Literal["small", "mid", "large", "open_small", "open_large"]
DEFAULT_CLASS: SizeClass = "mid"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassSpeed(_Entry):
    """Defaults for a size class: medians of the cited points for its models."""

    output_tokens_per_s: float = Field(gt=0)  # [tok/s]
    ttft_ms: float = Field(gt=0)  # [ms] short prompt, network included
    prefill_ms_per_1k_tokens: float = Field(ge=0)  # [ms per 1k prompt tokens]
    kv_kib_per_token: float | None = Field(default=None, gt=0)  # [KiB] open weights only
    source: str


class ModelSpeed(_Entry):
    """A model's own figures; any left out come from its size class."""

    size_class: SizeClass | None = None
    output_tokens_per_s: float | None = Field(default=None, gt=0)
    ttft_ms: float | None = Field(default=None, gt=0)
    prefill_ms_per_1k_tokens: float | None = Field(default=None, ge=0)
    kv_kib_per_token: float | None = Field(default=None, gt=0)
    kv_source: str = ""
    source: str = ""
    as_of: str = ""

    @model_validator(mode="after")
    def _cited(self) -> ModelSpeed:
        speeds = (self.output_tokens_per_s, self.ttft_ms, self.prefill_ms_per_1k_tokens)
        if any(v is not None for v in speeds) and not (self.source and self.as_of):
            raise ValueError("a speed figure needs a source and an as_of date")
        if self.kv_kib_per_token is not None and not self.kv_source:
            raise ValueError("kv_kib_per_token needs a kv_source")
        return self


class _LatencyFile(_Entry):
    description: str = ""
    as_of: str
    size_classes: dict[SizeClass, ClassSpeed]
    class_by_id: list[tuple[str, SizeClass]]
    open_small_max_params_b: float = Field(gt=0)
    models: dict[str, ModelSpeed]

    @model_validator(mode="after")
    def _every_class(self) -> _LatencyFile:
        missing = set(SizeClass.__args__) - set(self.size_classes)  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"size_classes: missing {', '.join(sorted(missing))}")
        for cls in ("open_small", "open_large"):
            if self.size_classes[cls].kv_kib_per_token is None:
                raise ValueError(f"size_classes.{cls}: needs kv_kib_per_token")
        return self


@cache
def latency_table(path: Path = LATENCY_FILE) -> _LatencyFile:
    """The speed file, validated once per process."""
    return _LatencyFile.model_validate_json(path.read_bytes())


@dataclass(frozen=True)
class ApiSpeed:
    """How fast a hosted model answers, and where each figure comes from."""

    model: str
    size_class: SizeClass
    output_tokens_per_s: float  # [tok/s]
    ttft_ms: float  # [ms]
    prefill_ms_per_1k_tokens: float  # [ms per 1k prompt tokens]
    sources: dict[str, str]  # figure → its source
    basis: str  # one sentence: own figures or the class default


def size_class(model: ModelEntry) -> SizeClass:
    """The model's size class: its entry's, else by parameters (open weights), else by id."""
    table = latency_table()
    own = table.models.get(model.id)
    if own is not None and own.size_class is not None:
        return own.size_class
    if model.open_weights and model.params_b is not None:
        small = model.params_b <= table.open_small_max_params_b
        return "open_small" if small else "open_large"
    return next((cls for part, cls in table.class_by_id if part in model.id), DEFAULT_CLASS)


def api_speed(model: ModelEntry) -> ApiSpeed:
    """Output speed, short-prompt first token and prefill per 1k tokens of a hosted model."""
    table = latency_table()
    cls = size_class(model)
    default = table.size_classes[cls]
    own = table.models.get(model.id) or ModelSpeed()
    own_source = f"{own.source} (as of {own.as_of})"
    class_source = f"size class '{cls}' default: {default.source}"
    figures = {
        "output tokens/s": own.output_tokens_per_s,
        "TTFT ms": own.ttft_ms,
        "prefill ms per 1k tokens": own.prefill_ms_per_1k_tokens,
    }
    sources = {name: own_source if v is not None else class_source for name, v in figures.items()}
    mine = [name for name, v in figures.items() if v is not None]
    basis = (
        f"{model.id}: own figures for {', '.join(mine)}; size class '{cls}' for the rest"
        if mine
        else f"{model.id}: size class '{cls}' defaults (no figures of its own)"
    )
    return ApiSpeed(
        model=model.id,
        size_class=cls,
        output_tokens_per_s=own.output_tokens_per_s or default.output_tokens_per_s,
        ttft_ms=own.ttft_ms or default.ttft_ms,
        prefill_ms_per_1k_tokens=(
            default.prefill_ms_per_1k_tokens
            if own.prefill_ms_per_1k_tokens is None
            else own.prefill_ms_per_1k_tokens
        ),
        sources=sources,
        basis=basis,
    )


def kv_bytes_per_token(model: ModelEntry) -> tuple[float, str]:
    """KV cache one token of context holds in BF16 [bytes], and its source.

    From the model's config where the file lists it (layers × KV heads × head dim × 2 (K and V)
    × 2 bytes), else its open-weights size class's reference model.
    """
    table = latency_table()
    own = table.models.get(model.id)
    if own is not None and own.kv_kib_per_token is not None:
        return own.kv_kib_per_token * KIB, own.kv_source
    cls = size_class(model)
    if cls not in ("open_small", "open_large"):
        cls = "open_small"
    default = table.size_classes[cls]
    kib = default.kv_kib_per_token or 0.0  # both open classes carry one (checked on load)
    return kib * KIB, f"size class '{cls}' default: {default.source}"
