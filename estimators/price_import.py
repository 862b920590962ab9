"""Refresh catalogue prices from a LiteLLM-format price file (the community price list).

LiteLLM lists USD **per token** under `input_cost_per_token` / `output_cost_per_token` (and
`cache_read_input_token_cost`, `cache_creation_input_token_cost`, `*_batches`, long-context tiers
`*_above_<N>k_tokens`), keyed by model id (sometimes with a provider prefix, e.g.
`openai/gpt-4.1`; an open-weights entry names its serverless provider's key in `litellm_id`), and
fine-tuned inference under `ft:<model>` or a dated `ft:<model>-YYYY-MM-DD`. Only models already
in our catalogue are updated: the file refreshes prices; it does not add models whose tokenizer,
size or fine-tuning offer we know nothing about. Training prices are not in LiteLLM files, so
they are kept. A field the file does not list keeps the catalogue's value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, ValidationError

from estimators.catalog import DATE_PATTERN, MAX_USD_PER_MTOK, TOKENS_PER_MTOK, ModelEntry, models
from estimators.errors import EstimatorError, excerpt

MAX_PRICE_FILE_BYTES = 20_000_000
# Catalogue keys a "no model matched" message lists before "and N more".
_KEYS_SHOWN = 8

Entry = dict[str, object]

# LiteLLM per-token keys → catalogue fields in USD per 1M tokens.
PRICE_FIELDS = {
    "input_cost_per_token": "input_usd_per_mtok",
    "output_cost_per_token": "output_usd_per_mtok",
    "cache_read_input_token_cost": "cached_input_usd_per_mtok",
    "cache_creation_input_token_cost": "cache_write_usd_per_mtok",
    "input_cost_per_token_batches": "batch_input_usd_per_mtok",
    "output_cost_per_token_batches": "batch_output_usd_per_mtok",
}
# LiteLLM counts → catalogue fields.
COUNT_FIELDS = {
    "max_input_tokens": "max_input_tokens",
    "prompt_cache_min_tokens": "cache_min_tokens",
}
# Long-context tiers: the plain price past N thousand tokens (not its batch/flex/priority variants).
_TIER_KEY = re.compile(
    r"(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost)_above_(\d+)k_tokens"
)
_TIER_FIELDS = {
    "input_cost_per_token": "input_usd_per_mtok",
    "output_cost_per_token": "output_usd_per_mtok",
    "cache_read_input_token_cost": "cached_input_usd_per_mtok",
}
# Catalogue fields a refresh may change, in the order a diff lists them.
REFRESHED_FIELDS = (
    *PRICE_FIELDS.values(),
    "long_context",
    "supports_reasoning",
    *COUNT_FIELDS.values(),
    "deprecation_date",
    "superseded_by",
)


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
    # 12 significant digits: 1e-07 × 1e6 is 0.09999999999999999 in floating point; store 0.1.
    return float(f"{float(value) * TOKENS_PER_MTOK:.12g}")


def _count(entry: Entry, key: str) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"{key} is not a whole number")
    if value < 0:
        raise ValueError(f"{key} is negative")
    return int(value)


def long_context_tiers(entry: Entry) -> list[dict[str, object]]:
    """Every `*_above_<N>k_tokens` tier of an entry, N × 1,000 tokens, lowest threshold first."""
    tiers: dict[int, dict[str, object]] = {}
    for key in entry:
        match = _TIER_KEY.fullmatch(key)
        if match is None:
            continue
        threshold = int(match.group(2)) * 1000
        price = _per_mtok(entry, key)
        if threshold > 0 and price is not None:
            tier = tiers.setdefault(threshold, {"above_tokens": threshold})
            tier[_TIER_FIELDS[match.group(1)]] = price
    return [
        tiers[t]
        for t in sorted(tiers)
        if {"input_usd_per_mtok", "output_usd_per_mtok"} & set(tiers[t])
    ]


def litellm_fields(entry: Entry) -> dict[str, object]:
    """The catalogue fields one LiteLLM entry gives: only the ones it lists [USD per 1M tokens].

    Raises ValueError naming the key of a value that is not a usable number, flag or date.
    """
    fields: dict[str, object] = {}
    for key, name in PRICE_FIELDS.items():
        price = _per_mtok(entry, key)
        if price is not None:
            fields[name] = price
    for key, name in COUNT_FIELDS.items():
        count = _count(entry, key)
        if count is not None:
            fields[name] = count
    reasoning = entry.get("supports_reasoning")
    if reasoning is not None:
        if not isinstance(reasoning, bool):
            raise ValueError("supports_reasoning is not true or false")
        fields["supports_reasoning"] = reasoning
    deprecation = entry.get("deprecation_date")
    if deprecation is not None:
        if not isinstance(deprecation, str) or not re.fullmatch(DATE_PATTERN, deprecation):
            raise ValueError("deprecation_date is not a YYYY-MM-DD date")
        fields["deprecation_date"] = deprecation
    tiers = long_context_tiers(entry)
    if tiers:
        fields["long_context"] = tiers
    return fields


def _find(table: Mapping[str, object], model: ModelEntry) -> tuple[str, Entry] | None:
    for key in dict.fromkeys((model.lookup_id, model.id, f"{model.provider}/{model.id}")):
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


def refresh_model(
    model: ModelEntry,
    entry: Entry,
    source: str,
    as_of: str,
    successors: Mapping[str, str] | None = None,
) -> ModelEntry:
    """The model with every field the LiteLLM entry lists re-read, dated `as_of` from `source`.

    `successors` maps LiteLLM keys to catalogue ids, so the entry's `successor_model` can set
    `superseded_by` when the successor is in the catalogue.
    """
    update = litellm_fields(entry)
    successor = (successors or {}).get(str(entry.get("successor_model")))
    if successor is not None and successor != model.id:
        update["superseded_by"] = successor
    update |= {"source": source, "as_of": as_of, "details_source": "", "details_as_of": ""}
    return ModelEntry.model_validate(model.model_dump() | update)


def _refresh_fine_tuned(model: ModelEntry, entry: Entry, source: str, as_of: str) -> ModelEntry:
    ft = model.fine_tuning
    assert ft is not None
    new_in = _per_mtok(entry, "input_cost_per_token")
    new_out = _per_mtok(entry, "output_cost_per_token")
    refreshed = ft.model_copy(
        update={
            "input_usd_per_mtok": ft.input_usd_per_mtok if new_in is None else new_in,
            "output_usd_per_mtok": ft.output_usd_per_mtok if new_out is None else new_out,
            "source": f"fine-tuned inference: {source}; training: {_training_source(ft.source)}",
            # LiteLLM lists no training prices: the offer stays dated by its training price, the
            # oldest figure in it, so a refresh never makes a mid-2025 price look current.
            "as_of": ft.as_of,
        }
    )
    return model.model_copy(update={"fine_tuning": refreshed})


def _training_source(source: str) -> str:
    """Where the training price came from, out of a source a refresh may already have written."""
    for marker in ("; training: ", " (training price kept: "):
        if marker in source:
            return source.split(marker, 1)[1].removesuffix(")")
    return source


def check_price_file_size(size_bytes: int) -> None:
    """Refuse a price file over `MAX_PRICE_FILE_BYTES` [bytes], before it is read."""
    if size_bytes > MAX_PRICE_FILE_BYTES:
        raise EstimatorError(f"price file: larger than {MAX_PRICE_FILE_BYTES:,} bytes")


def parse_price_file(raw: bytes | str) -> dict[str, object]:
    """Decode a LiteLLM price file; anything but a JSON object of entries is a clear error."""
    check_price_file_size(len(raw))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        # ValueError covers bad JSON, bad UTF-8 and a number of over 4,300 digits (whose
        # message ends with advice for Python programmers, not for whoever wrote the file).
        detail = str(error).split("; use sys.set_int_max_str_digits", 1)[0]
        raise EstimatorError(f"price file: not valid JSON ({detail})") from None
    if not isinstance(data, dict):
        raise EstimatorError("price file: expected a JSON object of models keyed by id (LiteLLM)")
    return data


def _reason(error: ValueError) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return str(error)


def refresh_table(
    catalogue: Mapping[str, ModelEntry], table: Mapping[str, object], as_of: str, source: str
) -> tuple[dict[str, ModelEntry], PriceImport]:
    """A catalogue with each model the LiteLLM table lists re-read, and a report of what changed."""
    refreshed = dict(catalogue)
    successors = {m.lookup_id: m.id for m in catalogue.values()} | {m: m for m in catalogue}
    updated: list[str] = []
    fine_tuned: list[str] = []
    not_found: list[str] = []
    skipped: dict[str, str] = {}
    for model_id, model in catalogue.items():
        found = _find(table, model)
        if found is None:
            not_found.append(model_id)
        else:
            try:
                # a key other than the id (a provider's entry) is named in the source
                cited = source if found[0] == model_id else f"{found[0]} in {source}"
                refreshed[model_id] = refresh_model(model, found[1], cited, as_of, successors)
                updated.append(model_id)
            except ValueError as error:
                skipped[found[0]] = _reason(error)
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


def file_source(name: str) -> str:
    """How prices read from a user's file cite it (line items, PDF): `LiteLLM file NAME`."""
    return f"LiteLLM file {excerpt(name)}"


def import_prices(
    raw: bytes | str, as_of: str, source: str = "Imported LiteLLM price file"
) -> tuple[dict[str, ModelEntry], PriceImport]:
    """The catalogue with prices refreshed from the file, and a report of what changed.

    A file that lists no catalogue model is refused (EstimatorError listing the keys that would
    match): it is the wrong file, and would otherwise change nothing without a word.
    """
    catalogue = models()
    table, report = refresh_table(catalogue, parse_price_file(raw), as_of, source)
    if not report.updated and not report.fine_tuned_updated and not report.skipped:
        keys = [m.lookup_id for m in catalogue.values()]
        more = f" and {len(keys) - _KEYS_SHOWN} more" if len(keys) > _KEYS_SHOWN else ""
        raise EstimatorError(
            "price file: no model in it is in the catalogue. LiteLLM keys it by model id, "
            f"optionally with a provider prefix (openai/gpt-4.1): {', '.join(keys[:_KEYS_SHOWN])}"
            f"{more}."
        )
    return table, report


def require_all_usable(report: PriceImport) -> None:
    """Refuse an import that skipped an entry it matched to a catalogue model.

    The dashboard applies a price file whole or not at all, so a bad price for one model never
    sits unnoticed beside good ones (the CLI prints the skipped entries and goes on). The
    message names the key and the field at fault.
    """
    if report.skipped:
        problems = [f"{excerpt(key)}: {why}" for key, why in report.skipped.items()]
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise EstimatorError(f"price file: {'; '.join(problems[:3])}{more}")


_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def as_of_in_name(name: str, today: date) -> str | None:
    """The date a price file's name carries (`litellm-prices-2026-07-24.json` → 2026-07-24).

    LiteLLM files hold no date of their own; a real calendar day no later than `today` in the
    name is taken as the day the prices were read, else None (the caller dates them today).
    """
    for match in _NAME_DATE.finditer(name):
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if day <= today:
            return match.group(1)
    return None
