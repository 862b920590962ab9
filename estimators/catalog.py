"""The dated price catalogue: every model the scenario may name, with its source and date.

Data lives in `presets/models/*.json` (one file per family of sources); this module only loads,
validates and looks it up. Prices are USD per 1M tokens, as providers publish them.

Besides the base input/output prices an entry may carry what real bills turn on (cached input,
cache writes, batch prices, long-context tiers), whether the model reasons, its input limit, and
its retirement: the provider's shutdown date and the catalogue model that replaces it. A saved
scenario that names a retired model still loads; `retirement_notice` says so and suggests the
closest current model, and `estimate()` makes the approaches it answers unavailable once the
prices in force are dated on or after its shutdown. `price_age` says how old the prices behind a
scenario are.

Size: Loading, validating, dating and retiring catalogue entries are one concept (what a price in
the catalogue means).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from estimators.errors import UnknownIdError

PRESETS_DIR = Path(__file__).resolve().parent.parent / "presets"
MODELS_DIR = PRESETS_DIR / "models"
TOKENS_PER_MTOK = 1_000_000
# Past this many days a price is stale enough that the UI says so and how to refresh it.
STALE_AFTER_DAYS = 90
DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
# No price may exceed this [USD per 1M tokens]: 400× the dearest catalogue price, and small
# enough that a 120-month horizon at the largest traffic a scenario allows stays finite.
MAX_USD_PER_MTOK = 10_000.0


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FineTuningPrice(_Entry):
    """A provider's fine-tuning offer for one base model [USD per 1M tokens].

    `max_tokens_per_example` is the training cap per example (OpenAI truncates longer examples
    rather than rejecting them); `limits_source` cites it.
    """

    training_usd_per_mtok: float = Field(ge=0, le=MAX_USD_PER_MTOK)
    input_usd_per_mtok: float = Field(ge=0, le=MAX_USD_PER_MTOK)
    output_usd_per_mtok: float = Field(ge=0, le=MAX_USD_PER_MTOK)
    source: str
    as_of: str
    max_tokens_per_example: int | None = Field(default=None, gt=0)
    limits_source: str = ""


class AdapterOffer(_Entry):
    """Adapter (LoRA) fine-tuning of an open-weights model on a hosted service, as documented.

    Not a per-token offer the engine can price: where `served_at_base_price` is false the
    provider serves the adapter only on dedicated GPUs, which costs like self-hosting.
    `training_usd_per_mtok` is None where the provider's docs give no figure.
    """

    provider: str
    training_usd_per_mtok: float | None = Field(ge=0)
    served_at_base_price: bool
    serving: str
    source: str
    as_of: str


class LongContextTier(_Entry):
    """Prices for prompts longer than `above_tokens` (LiteLLM `*_above_<N>k_tokens`) [USD/1M]."""

    above_tokens: int = Field(gt=0)
    input_usd_per_mtok: float | None = Field(default=None, ge=0)
    output_usd_per_mtok: float | None = Field(default=None, ge=0)
    cached_input_usd_per_mtok: float | None = Field(default=None, ge=0)


class ModelEntry(_Entry):
    """One model: hosted prices (None where no provider lists one) and what self-hosting needs.

    `source`/`as_of` date the input and output prices; the optional fields after `note` (cached,
    batch, long-context prices, reasoning, input limit, retirement) come from the same read unless
    `details_source`/`details_as_of` say otherwise. `litellm_id` is the key of the entry in
    LiteLLM's price list when it is not the id itself (e.g. a serverless provider's key for an
    open-weights model).
    """

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
    litellm_id: str | None = None
    cached_input_usd_per_mtok: float | None = Field(default=None, ge=0)
    cache_write_usd_per_mtok: float | None = Field(default=None, ge=0)
    cache_min_tokens: int | None = Field(default=None, ge=0)
    batch_input_usd_per_mtok: float | None = Field(default=None, ge=0)
    batch_output_usd_per_mtok: float | None = Field(default=None, ge=0)
    supports_reasoning: bool | None = None
    # Whether a call without a reasoning/thinking parameter reasons (the provider's default
    # effort); None where no source says, and the reasoning assumption then applies.
    reasons_by_default: bool | None = None
    reasoning_default_source: str = ""
    long_context: list[LongContextTier] = Field(default_factory=list)
    max_input_tokens: int | None = Field(default=None, gt=0)
    deprecation_date: str | None = Field(default=None, pattern=DATE_PATTERN)
    superseded_by: str | None = None
    details_source: str = ""
    details_as_of: str = ""
    adapter_fine_tuning: list[AdapterOffer] = Field(default_factory=list)

    @property
    def has_api_price(self) -> bool:
        return self.input_usd_per_mtok is not None and self.output_usd_per_mtok is not None

    @property
    def lookup_id(self) -> str:
        """The key of this model in LiteLLM's price list."""
        return self.litellm_id or self.id


class _ModelFile(_Entry):
    description: str = ""
    models: list[ModelEntry]


def _check_successors(merged: Mapping[str, ModelEntry]) -> None:
    for entry in merged.values():
        successor = entry.superseded_by
        if successor is not None and (successor == entry.id or successor not in merged):
            raise ValueError(f"model '{entry.id}': superseded_by '{successor}' is not another id")


@cache
def models() -> dict[str, ModelEntry]:
    """All catalogue models by id, merged from every file in `presets/models/`."""
    return load_models(MODELS_DIR)


def load_models(directory: Path) -> dict[str, ModelEntry]:
    """Every model in the `*.json` files of a directory, checked for duplicates and successors."""
    return parse_model_files({p.name: p.read_bytes() for p in sorted(directory.glob("*.json"))})


def parse_model_files(files: Mapping[str, bytes | str]) -> dict[str, ModelEntry]:
    """Models from catalogue file texts keyed by file name, merged in the order given."""
    merged: dict[str, ModelEntry] = {}
    for name, text in files.items():
        for entry in _ModelFile.model_validate_json(text).models:
            if entry.id in merged:
                raise ValueError(f"{name}: model id '{entry.id}' is listed twice")
            merged[entry.id] = entry
    _check_successors(merged)
    return merged


def get_model(model_id: str, field: str | None = None) -> ModelEntry:
    """Look a model up by id; an unknown id raises an error that lists the known ones."""
    table = models()
    if model_id not in table:
        raise UnknownIdError("model", model_id, list(table), field)
    return table[model_id]


def model_ids(
    kind: Literal["chat", "embedding"] | None = None, on: date | None = None
) -> list[str]:
    """Ids in catalogue order, optionally only chat or only embedding models.

    With `on`, models retired by that day are left out (saved scenarios may still name them).
    """
    return [
        m.id
        for m in models().values()
        if (kind is None or m.kind == kind) and (on is None or not is_retired(m, on))
    ]


def prices_as_of(
    table: Mapping[str, ModelEntry] | None = None, model_ids: Iterable[str] | None = None
) -> str:
    """The newest `as_of` date among a price table's entries (ISO strings sort by date).

    With `model_ids`, only those entries count (the models a scenario uses).
    """
    source = table or models()
    entries = list(source.values()) if model_ids is None else [source[i] for i in model_ids]
    dates = [m.as_of for m in entries] + [m.fine_tuning.as_of for m in entries if m.fine_tuning]
    return max(dates)


# --- how old the prices are ---------------------------------------------------------------


def as_of_date(text: str) -> date:
    """A catalogue date: `YYYY-MM-DD`, or `YYYY-MM` read as the first of that month."""
    if not re.fullmatch(DATE_PATTERN, text):
        raise ValueError(f"'{text}' is not a YYYY-MM-DD or YYYY-MM date")
    return date.fromisoformat(text if len(text) == 10 else f"{text}-01")


class PriceAge(BaseModel):
    """How old the prices behind a set of models are, on a given day [days].

    Token prices (`as_of` of each model, what `make prices` refreshes) and fine-tuning offers
    (training prices come from provider pages, not from LiteLLM) are dated apart.
    """

    model_config = ConfigDict(frozen=True)

    on: str
    newest_as_of: str
    oldest_as_of: str
    oldest_model: str
    days_since_newest: int
    days_since_oldest: int
    oldest_fine_tuning_as_of: str | None
    days_since_oldest_fine_tuning: int | None

    def is_stale(self, max_days: int = STALE_AFTER_DAYS) -> bool:
        """True when some token price in use is older than `max_days`."""
        return self.days_since_oldest > max_days


def _lookup(table: Mapping[str, ModelEntry], model_id: str) -> ModelEntry:
    if model_id not in table:
        raise UnknownIdError("model", model_id, list(table))
    return table[model_id]


def price_age(
    model_ids: Iterable[str], on: date, table: Mapping[str, ModelEntry] | None = None
) -> PriceAge:
    """Days between `on` and the newest and the oldest price dates of the given models."""
    source = table if table is not None else models()
    entries = [_lookup(source, model_id) for model_id in dict.fromkeys(model_ids)]
    if not entries:
        raise ValueError("price_age needs at least one model id")
    dated = sorted(entries, key=lambda m: (as_of_date(m.as_of), m.id))
    oldest, newest = dated[0], dated[-1]
    offers = sorted(as_of_date(m.fine_tuning.as_of) for m in entries if m.fine_tuning)
    return PriceAge(
        on=on.isoformat(),
        newest_as_of=newest.as_of,
        oldest_as_of=oldest.as_of,
        oldest_model=oldest.id,
        days_since_newest=(on - as_of_date(newest.as_of)).days,
        days_since_oldest=(on - as_of_date(oldest.as_of)).days,
        oldest_fine_tuning_as_of=offers[0].isoformat() if offers else None,
        days_since_oldest_fine_tuning=(on - offers[0]).days if offers else None,
    )


# --- retired models and their successors --------------------------------------------------


def is_retired(model: ModelEntry, on: date) -> bool:
    """True once the provider's shutdown date (`deprecation_date`) has come."""
    return model.deprecation_date is not None and as_of_date(model.deprecation_date) <= on


def _price_distance(a: ModelEntry, b: ModelEntry) -> float:
    """How far apart two models' prices are: summed |log ratio| of input and output prices."""
    pairs = [
        (a.input_usd_per_mtok, b.input_usd_per_mtok),
        (a.output_usd_per_mtok, b.output_usd_per_mtok),
    ]
    return sum(
        abs(math.log((x + 1e-3) / (y + 1e-3))) for x, y in pairs if x is not None and y is not None
    )


def _closest_in_price(model: ModelEntry, candidates: list[ModelEntry]) -> ModelEntry | None:
    """The candidate whose prices are closest to the model's (ties by id), None if there is none."""
    if not candidates:
        return None
    return min(candidates, key=lambda m: (_price_distance(model, m), m.id))


def closest_current_model(
    model_id: str, on: date, table: Mapping[str, ModelEntry] | None = None
) -> str | None:
    """The model to suggest instead of `model_id` on day `on` (itself if it is not retired).

    Follows `superseded_by` (the provider's named successor) past any successor that is itself
    retired; without one, the current model of the same provider and kind whose prices are
    closest. None when the provider has no current model in the catalogue.
    """
    source = table if table is not None else models()
    model = _lookup(source, model_id)
    seen = {model.id}
    while (
        is_retired(model, on) and model.superseded_by in source and model.superseded_by not in seen
    ):
        model = source[model.superseded_by]
        seen.add(model.id)
    if not is_retired(model, on):
        return model.id
    start = source[model_id]
    candidates = [
        m
        for m in source.values()
        if m.provider == start.provider and m.kind == start.kind and not is_retired(m, on)
    ]
    closest = _closest_in_price(start, candidates)
    return closest.id if closest else None


class RetirementNotice(BaseModel):
    """A model the scenario names that the provider has retired or will retire."""

    model_config = ConfigDict(frozen=True)

    model: str
    deprecation_date: str
    retired: bool
    suggested: str | None
    advice: str  # what to move to: the closest current (or fine-tunable) model, or why none
    message: str


def _fine_tunable_successor(
    model: ModelEntry, on: date, source: Mapping[str, ModelEntry]
) -> ModelEntry | None:
    """The model of the same provider with a fine-tuning offer that outlives this one (no
    shutdown date, or a later one, and not retired on `on`) whose prices are closest."""
    ends = max(on, as_of_date(model.deprecation_date or on.isoformat()))
    candidates = [
        m
        for m in source.values()
        if m.provider == model.provider
        and m.fine_tuning is not None
        and m.id != model.id
        and not is_retired(m, ends + timedelta(days=1))
    ]
    return _closest_in_price(model, candidates)


def retirement_notice(
    model_id: str,
    on: date,
    table: Mapping[str, ModelEntry] | None = None,
    fine_tuned: bool = False,
) -> RetirementNotice | None:
    """A notice for a model past (or with) a shutdown date, with the closest current model.

    `fine_tuned`: the scenario fine-tunes this model through its provider, so the suggestion must
    be a current model the provider fine-tunes too, and the notice says when there is none.
    """
    source = table if table is not None else models()
    model = _lookup(source, model_id)
    if model.deprecation_date is None:
        return None
    retired = is_retired(model, on)
    when = "was retired on" if retired else "is scheduled to retire on"
    prices = (
        " Saved scenarios naming it still load; the approaches it would answer cannot run."
        if retired
        else ""
    )
    if fine_tuned and model.fine_tuning is not None:
        successor = _fine_tunable_successor(model, on, source)
        suggested = successor.id if successor else None
        if successor is None:
            advice = (
                f" No '{model.provider}' model with a documented fine-tuning offer outlives it, so "
                "a fine-tune of it ends with it: plan the retrain on an open-weights model "
                "(fine_tuning.hosting 'self_hosted') or on the provider's next fine-tunable model."
            )
        else:
            its_own = (
                f" (itself scheduled to retire on {successor.deprecation_date})"
                if successor.deprecation_date
                else ""
            )
            advice = f" Closest model with a fine-tuning offer: '{successor.id}'{its_own}."
    else:
        suggested = closest_current_model(model_id, on, source)
        if not retired and suggested == model_id:
            suggested = model.superseded_by
        advice = f" Closest current model: '{suggested}'." if suggested else ""
    return RetirementNotice(
        model=model_id,
        deprecation_date=model.deprecation_date,
        retired=retired,
        suggested=suggested,
        advice=advice.strip(),
        message=f"'{model_id}' {when} {model.deprecation_date}.{advice}{prices}",
    )


def retirement_notices(
    model_ids: Iterable[str],
    on: date,
    table: Mapping[str, ModelEntry] | None = None,
    fine_tuned: Collection[str] = (),
) -> list[RetirementNotice]:
    """Notices for each distinct model id that has a shutdown date, in the order given;
    `fine_tuned` lists the ids the scenario fine-tunes through their provider."""
    found = (
        retirement_notice(model_id, on, table, model_id in fine_tuned)
        for model_id in dict.fromkeys(model_ids)
    )
    return [notice for notice in found if notice is not None]
