"""Fixtures for the unit tests."""

from __future__ import annotations

import pytest

from estimators.scenario import Scenario
from tests.scenarios import scenario_with


@pytest.fixture
def small_scenario() -> Scenario:
    return scenario_with()
