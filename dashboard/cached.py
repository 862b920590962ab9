"""Cached calls into the engine: every function here is pure in its arguments.

Every cache keys on the scenario's canonical JSON and the session's prices (`UploadedPrices`
by its digest, or None for the bundled catalogue), so two sessions with the same scenario and
prices share one computation and a session never sees another's data (each value is a pure
result of that key: a frozen Estimate shared as it is, or a copy of a spec or a PDF).
The plain estimate (decision path, verdicts and risks included) serves every page; the ranges of
the uncertainty analysis (~35 ms, up to ~0.2 ms a draw for self-hosted) only Compare and Export;
the chart specs only Compare; the PDF only the Export page's button.

Altair (with jsonschema) and fpdf2 load on first use, inside the functions that need them: a
fresh server's first visitor gets Compare's totals on screen before Altair has loaded, and no
page but Export's PDF button ever loads fpdf2 (issue 17: both were a fifth of the first load).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from dashboard import state
from dashboard.format import md
from dashboard.prices import UploadedPrices
from estimators.catalog import ModelEntry, models
from estimators.errors import EstimatorError
from estimators.estimate import estimate
from estimators.price_import import file_source
from estimators.results import Estimate
from estimators.scenario import parse_scenario_json
from estimators.uncertainty.analysis import with_uncertainty

_CACHE_ENTRIES = 256
# Uploaded prices hash as their digest: hashing the 50 kB table on every call would cost
# a quarter of a millisecond each time.
_BY_DIGEST = {UploadedPrices: lambda uploaded: uploaded.digest}


# A parsed catalogue is ~0.2 MB: a few dozen files in use at once is plenty.
@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=_BY_DIGEST)
def price_table(prices: UploadedPrices | None) -> Mapping[str, ModelEntry]:
    """The catalogue in force, read-only: the bundled one, or an upload's (parsed once)."""
    return MappingProxyType(models() if prices is None else prices.table())


def _table_or_none(prices: UploadedPrices | None) -> Mapping[str, ModelEntry] | None:
    # None, not the bundled table, keeps the built-in path exactly what the CLI runs.
    return None if prices is None else price_table(prices)


# The estimates are frozen pydantic models, so every session can share one object: a resource
# cache hands it over as it is, where `st.cache_data` would unpickle a copy on every rerun
# (1–2 ms, a tenth of a rerun's own work).
@st.cache_resource(max_entries=_CACHE_ENTRIES, show_spinner=False, hash_funcs=_BY_DIGEST)
def estimate_for(scenario_json: str, prices: UploadedPrices | None) -> Estimate:
    """`estimate()` of a scenario given as its canonical JSON, at the session's prices."""
    return estimate(parse_scenario_json(scenario_json), _table_or_none(prices))


@st.cache_resource(
    max_entries=_CACHE_ENTRIES,
    show_spinner="Working out how sure the figures are…",
    hash_funcs=_BY_DIGEST,
)
def estimate_with_ranges(scenario_json: str, prices: UploadedPrices | None) -> Estimate:
    """The estimate with P10–P90 ranges, P(cheapest) and the tornado rows (10,000 draws)."""
    return with_uncertainty(estimate_for(scenario_json, prices), prices=_table_or_none(prices))


def results_or_stop(
    scenario_json: str, prices: UploadedPrices | None, ranges: bool = False
) -> Estimate:
    """The page's estimate, or an inline error and the page stops there.

    The scenario in force has validated, so this fails only when a catalogue or the engine
    rejects a combination (the message names the field) or on an engine bug (arithmetic that
    should have been guarded); either way no traceback reaches the user, the scenario stays as it
    is and the last change can be undone.
    """
    try:
        if ranges:
            return estimate_with_ranges(scenario_json, prices)
        return estimate_for(scenario_json, prices)
    except EstimatorError as error:
        message = f"These inputs cannot be estimated: {md(str(error))}"
    except (ArithmeticError, ValueError) as error:
        message = (
            "The engine could not compute these inputs "
            f"({type(error).__name__}: {md(str(error))}). This is a bug in finetune-or-not, "
            "not in your inputs; undo the last change or pick an example."
        )
    st.error(message, icon=":material/warning:")
    if state.can_undo():
        st.button("Undo last change", icon=":material/undo:", on_click=state.undo)
    st.stop()
    raise AssertionError("unreachable: st.stop() raises")


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False, hash_funcs=_BY_DIGEST)
def chart_specs(scenario_json: str, prices: UploadedPrices | None) -> dict[str, dict[str, object]]:
    """The Compare charts as Vega-Lite specs, built once per scenario by `report`.

    Building and serialising the Altair charts costs ~50 ms, half a rerun's budget; the specs
    are pure functions of the estimate, so they are cached like it. `validate=False` skips
    Altair's jsonschema check (a third of the build): the unit tests validate every chart's spec.
    """
    from report import charts, uncertainty_charts  # Altair loads after the totals are drawn

    result = estimate_with_ranges(scenario_json, prices)
    specs = {
        "cumulative": charts.cumulative_cost_chart(result).to_dict(validate=False),
        "composition": charts.cost_composition_chart(result).to_dict(validate=False),
        "per_1k": charts.cost_per_1k_queries_chart(result).to_dict(validate=False),
        "latency": charts.latency_chart(result).to_dict(validate=False),
    }
    if result.p_cheapest:
        specs["p_cheapest"] = uncertainty_charts.p_cheapest_chart(result).to_dict(validate=False)
    return {name: arrow_datasets(spec) for name, spec in specs.items()}


@st.cache_data(max_entries=_CACHE_ENTRIES, show_spinner=False, hash_funcs=_BY_DIGEST)
def tornado_spec(
    scenario_json: str, prices: UploadedPrices | None, approach_id: str
) -> dict[str, object] | str:
    """One approach's tornado as a Vega-Lite spec, or the sentence saying why there is none."""
    from report import uncertainty_charts  # Altair: see chart_specs

    try:
        result = estimate_with_ranges(scenario_json, prices)
        chart = uncertainty_charts.tornado_chart(result, approach_id)
    except ValueError as reason:
        return str(reason)
    return arrow_datasets(chart.to_dict(validate=False))


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=_BY_DIGEST)
def pdf_for(scenario_json: str, prices: UploadedPrices | None) -> bytes:
    """The PDF summary of a scenario, built once per scenario (about a second): five people
    clicking the button at once wait for one build, not five (Streamlit locks the cache key)."""
    from report.pdf import estimate_pdf  # fpdf2, fonts and chart rendering: on the first click

    return estimate_pdf(
        estimate_with_ranges(scenario_json, prices),
        prices=_table_or_none(prices),
        prices_source=file_source(prices.file_name) if prices else None,
    )


# --- Export's results JSON (issue 17, page reruns) ---------------------------------------------


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=_BY_DIGEST)
def results_json_for(scenario_json: str, prices: UploadedPrices | None) -> str:
    """The full results as indented JSON, built when the download is clicked: the dump of an
    estimate with its ranges was most of an Export rerun (tens of milliseconds)."""
    from report.cli import estimate_json  # the CLI's printers: on the first click, as fpdf2 is

    return json.dumps(
        estimate_json(estimate_with_ranges(scenario_json, prices)), indent=2, ensure_ascii=False
    )


# --- Chart data sent as Streamlit sends it (issue 17, page reruns) ------------------------------


def arrow_datasets(spec: dict[str, object]) -> dict[str, object]:
    """The spec with its named datasets as Arrow IPC bytes, the form `st.vega_lite_chart` sends.

    Given rows, Streamlit converts each dataset through a pandas frame on every rerun (Compare's
    nine took about half of its rerun); given bytes it sends them as they are. Converting once,
    inside the cached builders, leaves reruns the copy alone.
    """
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict):
        return spec
    converted = {name: convert_anything_to_arrow_bytes(rows) for name, rows in datasets.items()}
    return spec | {"datasets": converted}
