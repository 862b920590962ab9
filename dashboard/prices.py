"""The prices in force for one session: the bundled catalogue, or a LiteLLM file uploaded here.

An upload goes through the CLI's `--prices` path (`estimators.price_import.import_prices`) once;
the session keeps the refreshed catalogue as canonical JSON with its SHA-256 (`UploadedPrices`),
never the file. Every cached call takes the `UploadedPrices` (or None) and keys on the digest
(`dashboard/cached.py`), so two sessions with different files never see each other's figures,
and a rerun neither re-reads the file nor hashes the table.

Uploaded prices live in the session only: share links carry the scenario, not the prices.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from pydantic import TypeAdapter

from estimators.catalog import ModelEntry
from estimators.price_import import (
    as_of_in_name,
    file_source,
    import_prices,
    require_all_usable,
)

PRICES_KEY = "prices.uploaded"

_TABLE = TypeAdapter(dict[str, ModelEntry])


@dataclass(frozen=True)
class UploadedPrices:
    """A price file applied to the catalogue: what it changed, and the catalogue it made.

    `table_json` is the whole refreshed catalogue (what `estimate(scenario, prices)` takes);
    `digest` is its SHA-256, the cache key. Plain strings and tuples: it pickles cheaply into
    session state on every rerun.
    """

    file_name: str
    as_of: str
    dated_by_name: bool  # True: `as_of` is the date in the file's name; False: the upload day
    repriced: tuple[str, ...]  # catalogue ids whose token prices the file gives
    fine_tuned: tuple[str, ...]  # ids whose fine-tuned inference prices it gives
    table_json: str
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.table_json.encode("utf-8")).hexdigest()
        object.__setattr__(self, "digest", digest)

    def table(self) -> dict[str, ModelEntry]:
        """The refreshed catalogue (parsed from `table_json`; cached by `cached.price_table`)."""
        return _TABLE.validate_json(self.table_json)


def read_upload(file_name: str, raw: bytes, today: date) -> UploadedPrices:
    """Apply a LiteLLM price file to the bundled catalogue; raises EstimatorError naming the
    problem (size, JSON, shape, an unusable price, no catalogue model in it)."""
    named = as_of_in_name(file_name, today)
    as_of = named or today.isoformat()
    table, report = import_prices(raw, as_of, file_source(file_name))
    require_all_usable(report)
    return UploadedPrices(
        file_name=file_name,
        as_of=as_of,
        dated_by_name=named is not None,
        repriced=tuple(report.updated),
        fine_tuned=tuple(report.fine_tuned_updated),
        table_json=_TABLE.dump_json(table).decode("utf-8"),
    )


# --- the session's prices --------------------------------------------------------------------


def in_force() -> UploadedPrices | None:
    """The uploaded prices in force, or None for the bundled catalogue."""
    return st.session_state.get(PRICES_KEY)


def use(uploaded: UploadedPrices) -> None:
    st.session_state[PRICES_KEY] = uploaded


def clear() -> None:
    """Back to the bundled catalogue's prices."""
    st.session_state[PRICES_KEY] = None
