"""Export page: scenario JSON, results CSV and JSON, and the PDF, all from the scenario in force."""

from __future__ import annotations

from estimators.scenario import parse_scenario_json
from tests.app.conftest import scenario_of


def test_offers_every_download(app):
    at = app("export")
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Download scenario JSON",
        "Download results CSV",
        "Download full results JSON",
        "Download PDF summary",
    ]


def test_the_scenario_json_is_the_scenario_in_force(app):
    at = app("export")
    assert parse_scenario_json(at.code[0].value) == scenario_of(at)
