"""Price-class factors: providers move list prices, so the analysis scales them by class.

`uncertainty.api_price_factor` multiplies the hosted per-token prices of the scenario's models,
`uncertainty.finetune_price_factor` the training and fine-tuned inference prices. At 1.0 (the
default) prices are the catalogue's; a scenario may pin either, and the Monte Carlo draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from estimators.catalog import ModelEntry, get_model
from estimators.scenario import Scenario

Number: TypeAlias = float | NDArray[np.float64]

API_PRICE_FACTOR = "uncertainty.api_price_factor"
FINETUNE_PRICE_FACTOR = "uncertainty.finetune_price_factor"
_ROLES = ("general", "small", "large", "embedding")
_HOSTED_PRICES = (
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cached_input_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "batch_input_usd_per_mtok",
    "batch_output_usd_per_mtok",
)
_TIER_PRICES = ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok")


def _times(price: float | None, factor: Number) -> Number | None:
    if price is None:
        return None
    return price * factor


def _scaled_entry(entry: ModelEntry, api_factor: Number, finetune_factor: Number) -> ModelEntry:
    # model_copy(update=...) does not validate, which lets arrays of draws in.
    tuning = entry.fine_tuning
    if tuning is not None:
        tuning = tuning.model_copy(
            update={
                "training_usd_per_mtok": _times(tuning.training_usd_per_mtok, finetune_factor),
                "input_usd_per_mtok": _times(tuning.input_usd_per_mtok, finetune_factor),
                "output_usd_per_mtok": _times(tuning.output_usd_per_mtok, finetune_factor),
            }
        )
    # Cached, cache-write, batch and long-context prices move with the list price they belong to.
    tiers = [
        tier.model_copy(
            update={key: _times(getattr(tier, key), api_factor) for key in _TIER_PRICES}
        )
        for tier in entry.long_context
    ]
    return entry.model_copy(
        update={key: _times(getattr(entry, key), api_factor) for key in _HOSTED_PRICES}
        | {"fine_tuning": tuning, "long_context": tiers}
    )


def scale_prices(
    prices: Mapping[str, ModelEntry],
    scenario: Scenario,
    api_factor: Number = 1.0,
    finetune_factor: Number = 1.0,
) -> dict[str, ModelEntry]:
    """The price mapping with the scenario's models' prices × the price-class factors [USD/1M].

    Hosted per-token prices (chat and embedding; list, cached, cache-write, batch and
    long-context) × `api_factor`; training and fine-tuned inference
    prices × `finetune_factor`. Factors may be arrays of draws. With both factors exactly 1.0
    the mapping comes back unchanged, so a caller can apply pinned factors at no cost otherwise.
    """
    out = dict(prices)
    drawn = isinstance(api_factor, np.ndarray) or isinstance(finetune_factor, np.ndarray)
    if not drawn and api_factor == 1.0 and finetune_factor == 1.0:
        return out
    for model_id in dict.fromkeys(getattr(scenario.models, role) for role in _ROLES):
        entry = prices.get(model_id) or get_model(model_id)
        out[model_id] = _scaled_entry(entry, api_factor, finetune_factor)
    return out
