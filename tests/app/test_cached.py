"""Per-scenario caches (issue 17): the PDF and the share link are built once per scenario."""

from __future__ import annotations

import json

import pytest

import report.pdf
from dashboard import cached, share_link, state
from estimators.presets import DEFAULT_PRESET, get_preset
from estimators.scenario import Scenario
from report.cli import estimate_json


@pytest.fixture(autouse=True)
def _empty_caches():
    cached.pdf_for.clear()
    state.share_link_for.clear()
    yield
    cached.pdf_for.clear()
    state.share_link_for.clear()


def test_the_pdf_is_built_once_per_scenario(monkeypatch):
    builds = []
    monkeypatch.setattr(report.pdf, "estimate_pdf", lambda result: builds.append(result) or b"%P")
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    other = Scenario(name="Other").model_dump_json()
    assert [cached.pdf_for(chatbot) for _ in range(3)] == [b"%P"] * 3
    assert len(builds) == 1
    cached.pdf_for(other)
    assert len(builds) == 2


def test_the_share_link_is_encoded_once_per_scenario_and_choice(monkeypatch):
    calls = []
    real = share_link.encode_share

    def counting(scenario, include_prompt=False):
        calls.append(include_prompt)
        return real(scenario, include_prompt=include_prompt)

    monkeypatch.setattr(state, "encode_share", counting)
    text = Scenario(name="Linked").model_dump_json()
    first = state.share_link_for(text)
    assert state.share_link_for(text) == first
    state.share_link_for(text, True)
    assert calls == [False, True]


def test_the_results_json_download_is_the_full_estimate_of_the_scenario():
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    built = cached.results_json_for(chatbot)
    assert json.loads(built) == estimate_json(cached.estimate_with_ranges(chatbot))
    assert built.startswith('{\n  "')  # indented, as the download always was


def test_chart_data_is_cached_as_the_arrow_bytes_streamlit_sends():
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    specs = cached.chart_specs(chatbot)
    assert set(specs) >= {"cumulative", "composition", "per_1k", "latency"}
    for spec in specs.values():
        assert spec["datasets"]
        assert all(isinstance(rows, bytes) for rows in spec["datasets"].values())
