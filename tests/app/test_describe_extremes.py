"""Every number a reader can type on Describe, at 0, negative, its bounds and far past them:
applied when the scenario allows it, else refused beside the field with the last valid scenario
kept; never a traceback (the brief's lesson from an assumption of 0 crashing every page)."""

from __future__ import annotations

import itertools
import math

import pytest

from dashboard.widgets.groups import GROUPS
from estimators.assumptions import defaults
from estimators.scenario import ScenarioError, parse_scenario, set_field
from tests.app.conftest import input_key, open_groups, plain, scenario_of

TYPED = (0, -1, 1, 2.5, 1e9, 1e15, 1e308, -1e308)


def _value_at(scenario, path: str) -> object:
    node: object = scenario.model_dump(mode="json")
    for part in path.split("."):
        node = node[part]  # type: ignore[index]
    return node


def _allowed(scenario, path: str, value: float) -> bool:
    """What the engine says of this value alone in the scenario in force."""
    data = scenario.model_dump(mode="json")
    set_field(data, path, value)
    try:
        parse_scenario(data)
    except ScenarioError:
        return False
    return True


# Models holds choices only; the assumptions grid is a table, tried below.
WITH_NUMBERS = [g for g in GROUPS if g.name not in {"models", "assumptions"}]


@pytest.mark.parametrize("group", WITH_NUMBERS, ids=lambda g: g.name)
def test_every_number_input_at_its_extremes_is_applied_or_refused_beside_it(app, group):
    at = open_groups(app("describe"), group.name)
    prefix = input_key(at, "")
    paths = [n.key[len(prefix) :] for n in at.number_input if n.key and n.key.startswith(prefix)]
    assert paths, f"{group.name} draws no number input"
    for path in paths:
        for typed in TYPED:
            valid = scenario_of(at)
            widget = at.number_input(key=input_key(at, path))
            kept = _value_at(valid, path)  # None: an empty box (the rule decides)
            widget.set_value(typed).run()
            assert not at.exception, (path, typed, [e.value for e in at.exception])
            now = scenario_of(at)
            if _allowed(valid, path, typed):
                assert math.isclose(float(_value_at(now, path)), typed), (path, typed)
            else:
                assert now == valid, (path, typed)  # the last valid scenario stays in force
                messages = [e.value for e in at.error]
                assert any("Not applied" in m for m in messages), (path, typed, messages)
            # Back to the value before, so each is tried on its own. AppTest cannot type an
            # empty box (None), so an empty field is emptied in session state instead.
            if kept is None:
                at.session_state[input_key(at, path)] = None
                at.run()
            else:
                at.number_input(key=input_key(at, path)).set_value(kept).run()
                assert not [e.value for e in at.error if "Not applied" in e.value], (path, typed)
            assert not at.exception


def test_a_fraction_in_a_whole_number_field_is_refused_by_name_not_rounded(app):
    at = app("describe")
    before = scenario_of(at)
    at.number_input(key=input_key(at, "traffic.output_tokens")).set_value(250.5).run()
    assert scenario_of(at) == before
    assert any("enter a whole number (got 250.5)" in e.value for e in at.error)
    at.number_input(key=input_key(at, "traffic.output_tokens")).set_value(300.0).run()
    assert scenario_of(at).traffic.output_tokens == 300
    assert isinstance(scenario_of(at).traffic.output_tokens, int)


def test_every_assumption_at_its_extremes_is_applied_or_refused_with_its_name(app):
    """What the grid writes for one edited cell, for each of the 70 assumptions in turn."""
    at = app("describe")
    grid = input_key(at, "assumptions")
    nudge = input_key(at, "traffic.output_tokens")  # any edit re-validates the whole scenario
    edits = itertools.count(1)
    for name, entry in defaults().items():
        for typed in (0.0, -1.0, entry.low, entry.high, 1e308):
            valid = scenario_of(at)
            at.session_state[grid] = valid.assumptions | {name: typed}
            at.number_input(key=nudge).set_value(250 + next(edits) % 2).run()
            assert not at.exception, (name, typed)
            now = scenario_of(at)
            if now.assumptions.get(name) != typed:
                assert now.assumptions == valid.assumptions, (name, typed)
                shown = [plain(e.value) for e in at.error]
                assert any(name in m and "Not applied" in m for m in shown), (
                    name,
                    typed,
                    [e.value for e in at.error],
                )
        at.session_state[grid] = {}
        at.number_input(key=nudge).set_value(250 + next(edits) % 2).run()
        assert scenario_of(at).assumptions == {}, name
