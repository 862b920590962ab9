"""An engine failure on some inputs: a message, no traceback, the scenario kept, and an undo."""

from __future__ import annotations

import streamlit as st

from dashboard import cached
from estimators.estimate import estimate
from tests.app.conftest import input_key, scenario_of, texts

POISON = 7_777  # queries per day that the patched engine divides by zero on


def _fragile(scenario, prices=None):
    if scenario.traffic.queries_per_day == POISON:
        raise ZeroDivisionError("float division by zero")
    return estimate(scenario, prices)


def test_an_engine_crash_shows_a_message_and_the_last_change_can_be_undone(app, monkeypatch):
    monkeypatch.setattr(cached, "estimate", _fragile)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = app("describe")
    before = scenario_of(at).traffic.queries_per_day
    at.number_input(key=input_key(at, "traffic.queries_per_day")).set_value(POISON).run()

    assert not at.exception
    assert "could not compute these inputs" in texts(at)
    assert scenario_of(at).traffic.queries_per_day == POISON  # valid input, kept as typed
    undo = next(b for b in at.button if b.label == "Undo last change")
    undo.click().run()

    assert not at.exception
    assert scenario_of(at).traffic.queries_per_day == before
    assert "could not compute" not in texts(at)
