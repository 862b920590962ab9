"""The scenario file: defaults, strictness and errors that name the field."""

from __future__ import annotations

import json
import math
import re

import pytest

from estimators.assumptions import defaults
from estimators.errors import excerpt
from estimators.estimate import estimate
from estimators.presets import SCENARIOS_DIR, presets
from estimators.scenario import (
    ScenarioError,
    parse_scenario,
    parse_scenario_file,
    parse_scenario_json,
    scenario_to_json,
)


def test_an_empty_object_is_a_valid_scenario() -> None:
    scenario = parse_scenario({})
    assert scenario.schema_version == 1
    # the default general model is a current one (gpt-4.1 retires on 2027-01-14)
    assert scenario.models.general == "gpt-5.4"


@pytest.mark.parametrize("preset_id", list(presets()))
def test_presets_round_trip_exactly_through_json(preset_id: str) -> None:
    scenario = presets()[preset_id].scenario
    assert parse_scenario_json(scenario_to_json(scenario)) == scenario


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"traffic": {"queries_per_day": -1}}, "traffic.queries_per_day"),
        ({"traffic": {"queries_per_day": True}}, "traffic.queries_per_day"),
        ({"traffic": {"queries_per_day": "1000"}}, "traffic.queries_per_day"),
        ({"horizon_months": 0}, "horizon_months"),
        ({"horizon_months": 121}, "horizon_months"),
        ({"traffic": {"monthly_growth_pct": 101}}, "traffic.monthly_growth_pct"),
        ({"task": {"problems": ["vibes"]}}, "task.problems.0"),
        ({"task": {"problems": ["style", "style"]}}, "task.problems"),
        ({"surprise": 1}, "surprise"),
        ({"data": {"knowledge_base": {"pages": 3}}}, "data.knowledge_base.pages"),
        ({"models": {"general": "gpt-9"}}, "models.general"),
        ({"models": {"embedding": "gpt-4.1"}}, "models.embedding"),
        ({"assumptions": {"rag.topk": 3}}, "rag.topk"),
        ({"assumptions": {"rag.top_k": -1}}, "assumptions.rag.top_k"),
        ({"fine_tuning": {"hosting": "cloud"}}, "fine_tuning.hosting"),
        ({"schema_version": 2}, "schema_version"),
    ],
)
def test_invalid_scenarios_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert field in str(caught.value)


@pytest.mark.parametrize(
    "text", ['{"traffic": {"queries_per_day": NaN}}', '{"horizon_months": 1e999}']
)
def test_non_finite_numbers_are_rejected(text: str) -> None:
    with pytest.raises(ScenarioError):
        parse_scenario_json(text)


def test_malformed_json_says_where() -> None:
    with pytest.raises(ScenarioError, match="line 1 column"):
        parse_scenario_json('{"name": ')


def test_a_top_level_list_is_rejected_clearly() -> None:
    with pytest.raises(ScenarioError, match="JSON object"):
        parse_scenario(json.loads("[1, 2]"))


def test_mitigations_must_name_known_risks() -> None:
    assert parse_scenario({"mitigations_in_place": ["retraining_lag"]}).mitigations_in_place
    with pytest.raises(ScenarioError, match=r"mitigations_in_place\.0"):
        parse_scenario({"mitigations_in_place": ["vibes"]})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"name": "a\\u0000b"}', "U+0000"),
        ('{"name": "abc\u202edcba"}'.encode(), "U+202E"),
        (b'{"task": {"description": "ring \\u0007"}}', "task.description"),
        (b'{"name": "\xff"}', "not UTF-8"),
        ('{"name": "x"}'.encode("utf-16"), "UTF-16"),
        (b"[" * 100_000 + b"]" * 100_000, "recursion limit"),
        (b'{"horizon_months": 1' + b"0" * 5000 + b"}", "not valid JSON"),
    ],
)
def test_hostile_scenario_bytes_get_a_clear_message(raw: bytes, expected: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(expected)):
        parse_scenario_json(raw)


def test_a_utf8_bom_and_crlf_are_accepted() -> None:
    scenario = parse_scenario_json(b'\xef\xbb\xbf{\r\n  "name": "Windows file"\r\n}\r\n')
    assert scenario.name == "Windows file"


def test_negative_zero_is_stored_as_zero() -> None:
    scenario = parse_scenario_json(b'{"traffic": {"queries_per_day": -0.0}}')
    assert str(scenario.traffic.queries_per_day) == "0.0"


def test_any_script_survives_in_a_name() -> None:
    name = "Ünïcödé 你好 שלום مرحبا 🎉👩‍💻"
    assert parse_scenario({"name": name}).name == name


# --- preset files and echoed text (issue 17) -----------------------------------------------------


@pytest.mark.parametrize("preset_id", list(presets()))
def test_every_shipped_preset_file_loads_as_its_scenario(preset_id: str) -> None:
    raw = (SCENARIOS_DIR / f"{preset_id}.json").read_bytes()
    assert parse_scenario_file(raw) == presets()[preset_id].scenario


def test_a_preset_file_is_held_to_the_scenario_file_rules() -> None:
    lone = b'{"title": "t", "scenario": {"name": "\\ud800"}}'
    with pytest.raises(ScenarioError, match="not valid JSON"):
        parse_scenario_json(lone.replace(b'{"title": "t", "scenario": ', b"")[:-1])
    with pytest.raises(ScenarioError, match="not valid JSON"):
        parse_scenario_file(lone)
    with pytest.raises(ScenarioError, match=r"traffic\.queries_per_day: Input should be a finite"):
        parse_scenario_file(b'{"id": "x", "scenario": {"traffic": {"queries_per_day": NaN}}}')


def test_a_scenario_key_beside_other_keys_is_not_a_preset_file() -> None:
    with pytest.raises(ScenarioError, match="scenario: unknown key"):
        parse_scenario_file(b'{"name": "x", "scenario": {}}')


def test_excerpt_cuts_long_text_and_escapes_what_does_not_print() -> None:
    assert excerpt("gpt-4.1") == "gpt-4.1"
    assert excerpt("x" * 5_000) == "x" * 100 + "… (5,000 characters)"
    assert excerpt("a\nb\u202ec\ud800") == "a\\nb\\u202ec\\ud800"


# --- every assumption has a bounded domain (issue 17) ---------------------------------------------


def test_every_assumption_has_a_finite_domain_around_its_range() -> None:
    for key, entry in defaults().items():
        assert math.isfinite(entry.max), key
        assert 0 <= entry.min <= entry.low <= entry.value <= entry.high <= entry.max, key


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("rag.top_k", 1e300, "assumptions.rag.top_k: expected at most 1000, got 1e+300"),
        ("rag.vector_store_usd_per_month", 1e308, "expected at most"),
        ("lora.setup_hours", 1e12, "assumptions.lora.setup_hours: expected at most 10000"),
        ("selfhost.mfu", 0, "assumptions.selfhost.mfu: expected at least 0.01, got 0"),
        ("selfhost.serving_utilisation", 0, "expected at least 0.01"),
        ("selfhost.usable_memory_fraction", 0, "expected at least 0.01"),
        ("calendar.days_per_month", 0, "expected at least 28"),
    ],
)
def test_an_assumption_outside_its_domain_is_named(key: str, value: float, says: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario({"assumptions": {key: value}})
    assert says in str(caught.value)


def test_every_assumption_at_either_end_of_its_domain_gives_finite_totals() -> None:
    """The domain is what keeps the engine finite: 1e300 top-k chunks overflowed, a zero MFU
    divided by zero. Every preset, every assumption at its min and at its max."""
    table = defaults()
    chunk_max = table["rag.chunk_tokens"].max
    for key, entry in table.items():
        for value in (entry.min, entry.max):
            overrides = {key: value}
            if key == "rag.chunk_tokens":  # the overlap must stay below the chunk
                overrides["rag.chunk_overlap_tokens"] = 0
            if key == "rag.chunk_overlap_tokens":
                overrides = {key: min(value, chunk_max - 1), "rag.chunk_tokens": chunk_max}
            for preset in presets().values():
                data = preset.scenario.model_dump(mode="json")
                data["assumptions"] = {**data["assumptions"], **overrides}
                result = estimate(parse_scenario(data))
                for approach in result.approaches:
                    if approach.total_usd is not None:
                        assert math.isfinite(approach.total_usd), (key, value, preset.id)
