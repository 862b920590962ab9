"""Refresh catalogue prices from a LiteLLM-format price file (the community price list).

LiteLLM lists USD **per token** under `input_cost_per_token` / `output_cost_per_token`, keyed by
model id (sometimes with a provider prefix, e.g. `openai/gpt-4.1`), and fine-tuned inference under
`ft:<model>` or a dated `ft:<model>-YYYY-MM-DD`. Only models already in our catalogue are updated:
the file refreshes prices; it does not add models whose tokenizer, size or fine-tuning offer we know
nothing about. Training prices are not in LiteLLM files, so they are kept.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from estimators.catalog import MAX_USD_PER_MTOK, TOKENS_PER_MTOK, ModelEntry, models
from estimators.errors import EstimatorError

MAX_PRICE_FILE_BYTES = 20_000_000

Entry = dict[str, object]


class PriceImport(BaseModel):
    """What an import changed, so the user can see which prices are theirs and which are ours."""

    model_config = ConfigDict(frozen=True)

    updated: list[str]
    fine_tuned_updated: list[str]
    not_found: list[str]
    skipped: dict[str, str]
    as_of: str
    source: str


def _per_mtok(entry: Entry, key: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{key} is not a finite number")
    if value < 0:
        raise ValueError(f"{key} is negative")
    if value * TOKENS_PER_MTOK > MAX_USD_PER_MTOK:
        raise ValueError(
            f"{key} is {value:g} USD per token; expected at most "
            f"{MAX_USD_PER_MTOK / TOKENS_PER_MTOK:g} (${MAX_USD_PER_MTOK:,.0f} per 1M tokens)"
        )
    return float(value) * TOKENS_PER_MTOK


def _find(table: Mapping[str, object], model: ModelEntry) -> tuple[str, Entry] | None:
    for key in (model.id, f"{model.provider}/{model.id}"):
        entry = table.get(key)
        if isinstance(entry, dict):
            return key, entry
    return None


def _find_fine_tuned(table: Mapping[str, object], model: ModelEntry) -> tuple[str, Entry] | None:
    """`ft:<id>`, else the newest dated snapshot `ft:<id>-YYYY-MM-DD`."""
    pattern = re.compile(rf"ft:{re.escape(model.id)}(-\d{{4}}-\d{{2}}-\d{{2}})?")
    keys = sorted(k for k in table if pattern.fullmatch(k) and isinstance(table[k], dict))
    if not keys:
        return None
    key = f"ft:{model.id}" if f"ft:{model.id}" in keys else keys[-1]
    entry = table[key]
    assert isinstance(entry, dict)
    return key, entry


def _prices(entry: Entry, old_in: float | None, old_out: float | None) -> tuple[float | None, ...]:
    new_in = _per_mtok(entry, "input_cost_per_token")
    new_out = _per_mtok(entry, "output_cost_per_token")
    return (old_in if new_in is None else new_in, old_out if new_out is None else new_out)


def _refresh(model: ModelEntry, entry: Entry, source: str, as_of: str) -> ModelEntry:
    new_in, new_out = _prices(entry, model.input_usd_per_mtok, model.output_usd_per_mtok)
    update = {"input_usd_per_mtok": new_in, "output_usd_per_mtok": new_out}
    return model.model_copy(update=update | {"source": source, "as_of": as_of})


def _refresh_fine_tuned(model: ModelEntry, entry: Entry, source: str, as_of: str) -> ModelEntry:
    ft = model.fine_tuning
    assert ft is not None
    new_in, new_out = _prices(entry, ft.input_usd_per_mtok, ft.output_usd_per_mtok)
    refreshed = ft.model_copy(
        update={
            "input_usd_per_mtok": new_in,
            "output_usd_per_mtok": new_out,
            "source": f"{source} (training price kept: {ft.source})",
            "as_of": as_of,
        }
    )
    return model.model_copy(update={"fine_tuning": refreshed})


def parse_price_file(raw: bytes | str) -> dict[str, object]:
    """Decode a LiteLLM price file; anything but a JSON object of entries is a clear error."""
    if len(raw) > MAX_PRICE_FILE_BYTES:
        raise EstimatorError(f"price file: larger than {MAX_PRICE_FILE_BYTES:,} bytes")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise EstimatorError(f"price file: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise EstimatorError("price file: expected a JSON object of models keyed by id (LiteLLM)")
    return data


def import_prices(
    raw: bytes | str, as_of: str, source: str = "Imported LiteLLM price file"
) -> tuple[dict[str, ModelEntry], PriceImport]:
    """The catalogue with prices refreshed from the file, and a report of what changed."""
    table = parse_price_file(raw)
    refreshed = dict(models())
    updated: list[str] = []
    fine_tuned: list[str] = []
    not_found: list[str] = []
    skipped: dict[str, str] = {}
    for model_id, model in models().items():
        found = _find(table, model)
        if found is None:
            not_found.append(model_id)
        else:
            try:
                refreshed[model_id] = _refresh(model, found[1], source, as_of)
                updated.append(model_id)
            except ValueError as error:
                skipped[found[0]] = str(error)
        ft_found = _find_fine_tuned(table, model) if model.fine_tuning else None
        if ft_found is not None:
            try:
                current = refreshed[model_id]
                refreshed[model_id] = _refresh_fine_tuned(current, ft_found[1], source, as_of)
                fine_tuned.append(model_id)
            except ValueError as error:
                skipped[ft_found[0]] = str(error)
    report = PriceImport(
        updated=updated,
        fine_tuned_updated=fine_tuned,
        not_found=not_found,
        skipped=skipped,
        as_of=as_of,
        source=source,
    )
    return refreshed, report
