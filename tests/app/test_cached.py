"""Per-scenario caches (issue 17): the PDF and the share link are built once per scenario; every
cached figure is keyed by the session's prices too (issue 13)."""

from __future__ import annotations

import json
from datetime import date

import pytest

import report.pdf
from dashboard import cached, share_link, state
from dashboard.prices import read_upload
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
    monkeypatch.setattr(
        report.pdf, "estimate_pdf", lambda result, **_: builds.append(result) or b"%P"
    )
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    other = Scenario(name="Other").model_dump_json()
    assert [cached.pdf_for(chatbot, None) for _ in range(3)] == [b"%P"] * 3
    assert len(builds) == 1
    cached.pdf_for(other, None)
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


def _upload(general_input_per_token: float, name: str = "prices.json"):
    """A price file that changes the input price of gpt-5.4, the default example's general model."""
    raw = json.dumps({"gpt-5.4": {"input_cost_per_token": general_input_per_token}}).encode()
    return read_upload(name, raw, date(2026, 12, 1))


def test_every_cached_figure_is_keyed_by_the_prices_as_well_as_the_scenario():
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    built_in = cached.estimate_for(chatbot, None)
    dearer = cached.estimate_for(chatbot, _upload(4e-06))
    # a second upload of the same file is another object with the same digest: a cache hit
    assert cached.estimate_for(chatbot, _upload(4e-06)) is dearer
    cheaper = cached.estimate_for(chatbot, _upload(1e-06))
    per_query = [r.approach("prompting").per_query_usd for r in (built_in, dearer, cheaper)]
    # 550 input tokens at $2.50, $4.00 and $1.00 per 1M, plus 250 output at $15.00 per 1M
    assert per_query == pytest.approx([0.001375 + 0.00375, 0.0022 + 0.00375, 0.00055 + 0.00375])
    ranged = cached.estimate_with_ranges(chatbot, _upload(4e-06))
    assert ranged.approach("prompting").per_query_usd == dearer.approach("prompting").per_query_usd
    assert cached.chart_specs(chatbot, None) != cached.chart_specs(chatbot, _upload(4e-06))
    assert cached.tornado_spec(chatbot, None, "prompting") != cached.tornado_spec(
        chatbot, _upload(4e-06), "prompting"
    )


def test_the_pdf_is_built_once_per_scenario_and_prices_with_the_file_named(monkeypatch):
    builds = []
    monkeypatch.setattr(
        report.pdf, "estimate_pdf", lambda result, **kwargs: builds.append(kwargs) or b"%P"
    )
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    cached.pdf_for(chatbot, None)
    cached.pdf_for(chatbot, _upload(4e-06))
    cached.pdf_for(chatbot, _upload(4e-06))
    assert len(builds) == 2
    assert builds[0] == {"prices": None, "prices_source": None}
    assert builds[1]["prices_source"] == "LiteLLM file prices.json"
    assert builds[1]["prices"]["gpt-5.4"].input_usd_per_mtok == pytest.approx(4.0)


def test_the_results_json_download_is_the_full_estimate_of_the_scenario():
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    built = cached.results_json_for(chatbot, None)
    assert json.loads(built) == estimate_json(cached.estimate_with_ranges(chatbot, None))
    # an uploaded price file is part of the key: its download carries its prices
    dearer = cached.results_json_for(chatbot, _upload(4e-06))
    assert json.loads(dearer) == estimate_json(cached.estimate_with_ranges(chatbot, _upload(4e-06)))
    assert dearer != built
    assert built.startswith('{\n  "')  # indented, as the download always was


def test_chart_data_is_cached_as_the_arrow_bytes_streamlit_sends():
    chatbot = get_preset(DEFAULT_PRESET).scenario.model_dump_json()
    specs = cached.chart_specs(chatbot, None)
    assert set(specs) >= {"cumulative", "composition", "per_1k", "latency"}
    for spec in specs.values():
        assert spec["datasets"]
        assert all(isinstance(rows, bytes) for rows in spec["datasets"].values())
