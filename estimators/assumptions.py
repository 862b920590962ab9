"""Default assumptions: every number a formula uses that is not a user input or a price.

Each entry in `presets/assumptions/*.json` has a likely `value`, a `low` and `high` for the
uncertainty analysis, the domain `min`..`max` a scenario may set it to (min defaults to 0), a
`unit`, a `source` and a `note`. A scenario's `assumptions` map overrides values by id; unknown
ids are an error that lists the valid ones, and a value outside the domain names the id.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from estimators.errors import EstimatorError, UnknownIdError

ASSUMPTIONS_DIR = Path(__file__).resolve().parent.parent / "presets" / "assumptions"


class Assumption(BaseModel):
    """One default with its range and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float = Field(ge=0)
    low: float = Field(ge=0)
    high: float = Field(ge=0)
    unit: str
    source: str
    note: str
    # The domain an override must stay in: finite everywhere, so that no value a scenario may set
    # overflows a formula (rag.top_k = 1e300) or divides by zero (selfhost.mfu = 0).
    min: float = Field(default=0.0, ge=0)
    max: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.min <= self.low <= self.value <= self.high <= self.max:
            raise ValueError(
                "expected min <= low <= value <= high <= max, got "
                f"{self.min}, {self.low}, {self.value}, {self.high}, {self.max}"
            )
        return self


_FILE = TypeAdapter(dict[str, Assumption])


@cache
def defaults() -> dict[str, Assumption]:
    """Every assumption by id, merged from all files in `presets/assumptions/`."""
    merged: dict[str, Assumption] = {}
    for path in sorted(ASSUMPTIONS_DIR.glob("*.json")):
        for key, entry in _FILE.validate_json(path.read_bytes()).items():
            if key in merged:
                raise ValueError(f"{path.name}: assumption id '{key}' is defined twice")
            merged[key] = entry
    return merged


def check_overrides(overrides: Mapping[str, float]) -> None:
    """Reject unknown ids and values that are not finite or outside an entry's `min`..`max`."""
    table = defaults()
    for key, value in overrides.items():
        if key not in table:
            raise UnknownIdError("assumption", key, list(table), field="assumptions")
        if not math.isfinite(value) or value < 0:
            raise EstimatorError(f"assumptions.{key}: expected a finite number >= 0, got {value}")
        entry = table[key]
        if value < entry.min:
            raise EstimatorError(
                f"assumptions.{key}: expected at least {entry.min:g}, got {value:g}"
            )
        if value > entry.max:
            raise EstimatorError(
                f"assumptions.{key}: expected at most {entry.max:g}, got {value:g}"
            )
    _check_chunking(_default_values() | dict(overrides))


@cache
def _default_values() -> dict[str, float]:
    """Every likely value by id, gathered once; read only (callers merge it into a new dict)."""
    return {key: entry.value for key, entry in defaults().items()}


def _check_chunking(values: Mapping[str, float]) -> None:
    # Overlapping chunks advance by chunk − overlap tokens: a step of zero or less never ends.
    chunk, overlap = values["rag.chunk_tokens"], values["rag.chunk_overlap_tokens"]
    if overlap >= chunk:
        raise EstimatorError(
            "assumptions.rag.chunk_overlap_tokens: expected less than rag.chunk_tokens "
            f"({overlap:g} >= {chunk:g})"
        )


class Assumptions:
    """The values in force for one scenario: defaults, with the scenario's overrides on top."""

    def __init__(self, overrides: Mapping[str, float] | None = None) -> None:
        overrides = dict(overrides or {})
        check_overrides(overrides)
        self._values = _default_values() | overrides
        self.overridden = frozenset(overrides)
        self.carries_draws = False  # checked numbers, never arrays

    @classmethod
    def of_values(cls, values: Mapping[str, object], overridden: Iterable[str] = ()) -> Assumptions:
        """Values already resolved, taken as they are: no checks, so they may be numpy arrays.

        The uncertainty analysis passes one array of draws per assumption through the same
        formulas; its draws stay inside each entry's checked low..high range.
        """
        resolved = cls.__new__(cls)
        resolved._values = dict(values)  # type: ignore[arg-type]
        resolved.overridden = frozenset(overridden)
        resolved.carries_draws = any(isinstance(v, np.ndarray) for v in resolved._values.values())
        return resolved

    def __getitem__(self, key: str) -> float:
        try:
            return self._values[key]
        except KeyError:
            raise UnknownIdError("assumption", key, list(self._values)) from None

    def source(self, key: str) -> str:
        return "Set in this scenario" if key in self.overridden else defaults()[key].source

    def items(self) -> list[tuple[str, float]]:
        return list(self._values.items())
