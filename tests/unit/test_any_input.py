"""Over the whole input space: a scenario either validates and estimates to finite numbers, or
fails with the validation error type, never anything else (issue 9)."""

from __future__ import annotations

import json
import math
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.estimate import estimate
from estimators.results import Estimate
from estimators.scenario import ScenarioError, parse_scenario, parse_scenario_json
from tests.strategies import scenario_dicts

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
# ANY_EXAMPLES raises the count for a deeper local run (2,000 per test passed before commit).
ANY = settings(max_examples=int(os.environ.get("ANY_EXAMPLES", "150")), deadline=None)


def _paths(data: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(data, dict):
        return [prefix]
    out = [prefix] if prefix else []
    for key, value in data.items():
        out += _paths(value, (*prefix, key))
    return out


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, object]:
    """A valid scenario with one field (at any depth) replaced by an arbitrary JSON value."""
    data = draw(scenario_dicts())
    path = draw(st.sampled_from(_paths(data)))
    target = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index,assignment]
    target[path[-1]] = draw(JSON_VALUES)  # type: ignore[index]
    return data


def _assert_finite(result: Estimate) -> None:
    for a in result.approaches:
        for value in (a.setup_usd, a.per_query_usd, a.maintenance_usd_per_month, a.total_usd):
            assert value is None or (math.isfinite(value) and value >= 0)


def _check(data: object) -> None:
    """Validation may refuse the input; a scenario it accepts must estimate, to finite numbers."""
    try:
        scenario = parse_scenario(data)
    except ScenarioError:
        return
    _assert_finite(estimate(scenario))


def _check_text(raw: str | bytes) -> None:
    try:
        scenario = parse_scenario_json(raw)
    except ScenarioError:
        return
    _assert_finite(estimate(scenario))


@ANY
@given(JSON_VALUES)
def test_any_json_value(data: object) -> None:
    _check(data)


@ANY
@given(near_valid())
def test_a_valid_scenario_with_one_field_replaced(data: dict[str, object]) -> None:
    _check(data)


@ANY
@given(st.binary(max_size=200))
def test_any_bytes_as_a_scenario_file(raw: bytes) -> None:
    _check_text(raw)


@ANY
@given(near_valid())
def test_the_same_through_json_text(data: dict[str, object]) -> None:
    try:
        text = json.dumps(data, allow_nan=True)
    except (TypeError, ValueError):
        return
    _check_text(text)
