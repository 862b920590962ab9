"""Sidebar: presets, scenario files (bad ones explained inline), share links in and out."""

from __future__ import annotations

import base64
import json
import zlib

from dashboard import share_link, state
from estimators.presets import DEFAULT_PRESET, get_preset, presets
from estimators.scenario import Scenario
from tests.app.conftest import alerts, scenario_of, texts, totals_shown

PRESET_KEY = "sidebar.preset"


def _uploader(at):
    return at.sidebar.get("file_uploader")[0]


def test_picking_another_example_loads_it_and_updates_the_figures(app):
    at = app()
    other = next(pid for pid in presets() if pid != DEFAULT_PRESET)
    before = totals_shown(at)
    at.sidebar.selectbox(key=PRESET_KEY).set_value(other).run()
    assert scenario_of(at) == get_preset(other).scenario
    assert totals_shown(at) != before
    assert f"Loaded the example “{get_preset(other).title}”" in texts(at)


def test_a_valid_scenario_file_replaces_the_scenario(app):
    at = app()
    data = {"name": "Legal drafts", "traffic": {"queries_per_day": 200}, "horizon_months": 24}
    _uploader(at).upload("legal.json", json.dumps(data).encode(), "application/json")
    at.run()
    scenario = scenario_of(at)
    assert (scenario.name, scenario.traffic.queries_per_day, scenario.horizon_months) == (
        "Legal drafts",
        200,
        24,
    )
    assert "Loaded the scenario from legal.json" in texts(at)


def test_a_bad_scenario_file_is_explained_inline_and_the_scenario_kept(app):
    at = app()
    valid = scenario_of(at)
    bad = {"traffic": {"queries_per_day": -5}, "modles": {}}
    _uploader(at).upload("bad.json", json.dumps(bad).encode(), "application/json")
    at.run()
    assert not at.exception
    message = "\n".join(alerts(at, "error"))
    assert "bad.json was not loaded" in message
    assert "traffic.queries_per_day" in message
    assert "modles" in message and "unknown key" in message
    assert scenario_of(at) == valid
    assert totals_shown(at)  # the comparison still shows


def test_a_file_that_is_not_json_says_so(app):
    at = app()
    _uploader(at).upload("notes.json", b"{not json", "application/json")
    at.run()
    assert any("not valid JSON" in m for m in alerts(at, "error"))


def test_the_share_link_carries_the_scenario_in_force(app):
    at = app()
    link = at.sidebar.get("code")[0].value
    token = link.split(f"?{share_link.SHARE_PARAM}=", 1)[1]
    assert share_link.decode_share(token) == scenario_of(at)
    assert at.query_params[share_link.SHARE_PARAM] == token  # the address bar is a share link too


def test_opening_a_share_link_loads_its_scenario(app):
    scenario = get_preset("invoice-extraction").scenario
    token = share_link.encode_share(scenario).token
    at = app(query={share_link.SHARE_PARAM: token})
    assert scenario_of(at) == scenario
    assert "Opened from a share link." in texts(at)


def test_an_invalid_share_link_explains_itself_and_loads_the_default(app):
    token = base64.urlsafe_b64encode(zlib.compress(b"some text")).decode().rstrip("=")
    at = app(query={share_link.SHARE_PARAM: token})
    assert not at.exception
    warnings = alerts(at, "warning")
    assert any("This share link could not be opened" in w for w in warnings)
    assert any("not valid JSON" in w for w in warnings)
    assert scenario_of(at) == get_preset(DEFAULT_PRESET).scenario


def test_an_edited_example_can_go_back_to_the_shipped_one(app):
    at = app("describe")
    key = f"{state.INPUT_PREFIX}{at.session_state[state.REVISION_KEY]}:traffic.input_tokens"
    at.number_input(key=key).set_value(900).run()
    assert scenario_of(at) != get_preset(DEFAULT_PRESET).scenario
    assert "Example scenario, edited." in texts(at)
    at.sidebar.button[0].click().run()
    assert scenario_of(at) == get_preset(DEFAULT_PRESET).scenario
    assert "as shipped" in texts(at)


def test_a_scenario_naming_an_unknown_gpu_loads_and_the_engine_explains(app):
    at = app("describe")
    data = {
        "fine_tuning": {"hosting": "self_hosted", "gpu": "tpu-v9"},
        "models": {"small": "llama-3.1-8b-instruct"},
    }
    _uploader(at).upload("tpu.json", json.dumps(data).encode(), "application/json")
    at.run()
    assert not at.exception
    assert scenario_of(at).fine_tuning.gpu == "tpu-v9"
    at.switch_page("dashboard/views/compare.py").run()
    assert "unknown GPU 'tpu-v9'" in texts(at)


def test_a_preset_file_loads_as_its_scenario(app):
    at = app()
    preset = get_preset("ticket-triage")
    _uploader(at).upload(
        "ticket-triage.json", preset.model_dump_json(exclude={"id"}).encode(), "application/json"
    )
    at.run()
    assert scenario_of(at) == preset.scenario


def test_start_from_scratch_then_undo_brings_the_example_back(app):
    at = app()
    example = scenario_of(at)
    next(b for b in at.sidebar.button if b.label == "Start from scratch").click().run()
    assert not at.exception
    blank = scenario_of(at)
    assert blank.model_copy(update={"name": "Untitled scenario"}) == Scenario()
    assert "Your own scenario, started blank." in [c.value for c in at.sidebar.caption]
    next(b for b in at.sidebar.button if b.label == "Undo last change").click().run()
    assert not at.exception
    assert scenario_of(at) == example
